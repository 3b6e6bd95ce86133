namespace PortSelection.Model.Listen;

/// <summary>Kind of one entry of the listener's trace (what a kernel probe would record).</summary>
public enum ListenerTraceKind
{
    /// <summary>A SYN was processed; see <see cref="ListenerTraceEntry.Syn"/>.</summary>
    Syn,
    /// <summary>A 3rd ACK / cookie ACK was processed; see <see cref="ListenerTraceEntry.Ack"/>.</summary>
    Ack,
    /// <summary>accept() returned a child.</summary>
    Accepted,
    /// <summary>accept() found the queue empty (EAGAIN).</summary>
    AcceptEmpty,
    /// <summary>A request's timer fired and its SYN-ACK was retransmitted (<c>reqsk_timer_handler</c>).</summary>
    SynAckRetransmitted,
    /// <summary>A request's timer fired with <c>num_timeout ≥ R</c> (or the pruned threshold): request dropped.</summary>
    RequestExpired,
}
