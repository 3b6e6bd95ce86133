namespace PortSelection.Model.Kernel;

/// <summary>Client SYN retransmission schedule family (listen-queues.md §6.1, §6.3).</summary>
public enum SynScheduleEra
{
    /// <summary>v2.6.32 (22763c5cf369): TCP_TIMEOUT_INIT 3 s, doubling; default tcp_syn_retries 5.</summary>
    ThreeSecondBase,

    /// <summary>3.1 – 3.6: initial RTO 1 s (RFC 6298), doubling; default tcp_syn_retries 5 (⇒ give-up 63 s).</summary>
    OneSecondFiveRetries,

    /// <summary>3.7 – 6.4: initial RTO 1 s, doubling (1, 3, 7, 15, 31, 63 s); default tcp_syn_retries 6 (⇒ 127 s).</summary>
    Exponential,

    /// <summary>6.5+ (ccce324dabfe): the first <c>tcp_syn_linear_timeouts</c> (default 4) backoffs are linear: 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s ⇒ 131 s.</summary>
    Linear,
}
