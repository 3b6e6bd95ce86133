namespace PortSelection.Model.Occupancy;

/// <summary>
/// TCP socket states with the numbers the kernel prints in the <c>st</c> column of <c>/proc/net/tcp</c>
/// (<c>include/net/tcp_states.h</c>).
/// </summary>
public enum TcpSocketState
{
    /// <summary>01 ESTABLISHED.</summary>
    Established = 1,
    /// <summary>02 SYN_SENT (a client's connect() in progress: the local port is already chosen).</summary>
    SynSent = 2,
    /// <summary>03 SYN_RECV (a request socket of a listener).</summary>
    SynRecv = 3,
    /// <summary>04 FIN_WAIT1.</summary>
    FinWait1 = 4,
    /// <summary>05 FIN_WAIT2 (also printed for a TIME_WAIT socket in the FIN_WAIT2 substate).</summary>
    FinWait2 = 5,
    /// <summary>06 TIME_WAIT.</summary>
    TimeWait = 6,
    /// <summary>07 CLOSE.</summary>
    Close = 7,
    /// <summary>08 CLOSE_WAIT.</summary>
    CloseWait = 8,
    /// <summary>09 LAST_ACK.</summary>
    LastAck = 9,
    /// <summary>0A LISTEN.</summary>
    Listen = 10,
    /// <summary>0B CLOSING.</summary>
    Closing = 11,
    /// <summary>0C NEW_SYN_RECV.</summary>
    NewSynRecv = 12,
}
