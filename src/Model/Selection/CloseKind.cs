namespace PortSelection.Model.Selection;

/// <summary>How a connected socket goes away.</summary>
public enum CloseKind
{
    /// <summary>This side closes first: the 4-tuple enters TIME_WAIT for 60 s (TCP_TIMEWAIT_LEN) and keeps the port.</summary>
    TimeWait,
    /// <summary>TIME_WAIT entered from the FIN_WAIT2 timeout (substate FIN_WAIT2; never reused on 5.10+).</summary>
    TimeWaitFromFinWait2,
    /// <summary>The peer closes first, or an abortive close (SO_LINGER 0 / RST): no TIME_WAIT on this side.</summary>
    NoTimeWait,
}
