namespace PortSelection.Model.Listen;

/// <summary>What the listener did with a 3rd ACK (or first data segment) of a client (listen-queues.md §5, §8 <c>OnAck</c>).</summary>
public enum AckOutcome
{
    /// <summary>The request became a child in the accept queue (A grows, Q shrinks).</summary>
    ChildQueued,
    /// <summary>A valid cookie ACK became a child in the accept queue (<c>SyncookiesRecv</c>).</summary>
    CookieChildQueued,
    /// <summary>Accept queue full, <c>tcp_abort_on_overflow = 0</c>: request marked acked and kept; ACK discarded (ListenOverflows).</summary>
    OverflowRequestKept,
    /// <summary>Accept queue full, <c>tcp_abort_on_overflow = 1</c>: RST sent, request removed (EmbryonicRsts, ListenOverflows).</summary>
    OverflowReset,
    /// <summary>Valid cookie ACK while the accept queue is full: dropped, no state (SyncookiesRecv, ListenOverflows).</summary>
    CookieOverflowDropped,
    /// <summary>Cookie ACK arriving after the cookie window (<c>tcp_synq_no_recent_overflow</c>) or failing validation (<c>SyncookiesFailed</c> when evaluated).</summary>
    CookieRejected,
    /// <summary>No request and no cookie for this client (the kernel answers with a RST).</summary>
    NoRequest,
}
