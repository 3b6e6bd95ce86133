namespace PortSelection.Model.Kernel;

/// <summary>The SYN_SENT give-up test of <c>tcp_write_timeout</c> per era (listen-queues.md §6.2).</summary>
public enum SynTimeoutRule
{
    /// <summary>≤ 2.6.31 (parent of 6fa12c85031): give up when <c>k ≥ N</c>.</summary>
    CountOnly,

    /// <summary>v2.6.32 upstream and 2.6.32.y (6fa12c85031): <c>k &gt; 0 &amp;&amp; t ≥ Budget(N, TCP_RTO_MIN = 0.2 s)</c> — gives up at 21 s with N = 5.</summary>
    BudgetRtoMinBase,

    /// <summary>3.x – 4.18 (3.10.108, 4.9.337): <c>k &gt; 0 &amp;&amp; t ≥ Budget(N, TCP_TIMEOUT_INIT)</c>; TCP_USER_TIMEOUT ignored in SYN_SENT.</summary>
    BudgetInitialRto,

    /// <summary>~4.19 – 6.4 (absent 4.9.337, present 4.19.222): <c>k ≥ N</c> or <c>k &gt; 0 &amp;&amp; t ≥ (USER_TIMEOUT or Budget(N, r))</c>; timer clamped to the remaining user timeout.</summary>
    CountOrBudget,

    /// <summary>6.5+ (ccce324dabfe): <c>k ≥ N + L</c> or <c>k &gt; 0 &amp;&amp; t ≥ (USER_TIMEOUT or Budget(N, r))</c>, L = tcp_syn_linear_timeouts.</summary>
    CountPlusLinearOrBudget,
}
