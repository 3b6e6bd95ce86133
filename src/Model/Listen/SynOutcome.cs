namespace PortSelection.Model.Listen;

/// <summary>What the listener did with one SYN (<c>tcp_conn_request</c>, listen-queues.md §3.2, §4, §8 <c>OnSyn</c>).</summary>
public enum SynOutcome
{
    /// <summary>A request sock was created and a SYN-ACK sent (Q and Y grow).</summary>
    RequestCreated,
    /// <summary>A cookie SYN-ACK was sent; no state kept (<c>SyncookiesSent</c>).</summary>
    CookieSent,
    /// <summary>Retransmitted SYN of a client that already has a request: the SYN-ACK is sent again (<c>tcp_check_req</c>).</summary>
    SynAckResent,
    /// <summary>Dropped: SYN queue full and cookies off (<c>TCPReqQFullDrop</c>, ListenDrops).</summary>
    DroppedSynQueueFull,
    /// <summary>Dropped: accept queue full (<c>A &gt; B</c>, and <c>Y &gt; 1</c> in young-check eras; ListenOverflows, ListenDrops).</summary>
    DroppedAcceptQueueFull,
    /// <summary>Dropped silently by the 3/4 rule with cookies off (ListenDrops only).</summary>
    DroppedThreeQuarterRule,
}
