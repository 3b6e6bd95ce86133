namespace PortSelection.Model.Kernel;

/// <summary>The age test of <c>tcp_twsk_unique()</c> (net/ipv4/tcp_ipv4.c) before a TIME_WAIT 4-tuple may be reused.</summary>
/// <remarks>shared/kernel/port-selection.md §2.3.</remarks>
public enum TimeWaitAgeRule
{
    /// <summary>3.x–~4.18: <c>now_seconds - ts_recent_stamp &gt; 1</c> (at least two whole seconds).</summary>
    MoreThanOneSecond,
    /// <summary>~4.19–6.13: <c>time_after32(now_seconds, ts_recent_stamp)</c> (a strictly later second).</summary>
    LaterSecond,
    /// <summary>6.14+ (merge 154dee7c3265): <c>time_after32(now_ms, tw_entry_stamp + tcp_tw_reuse_delay)</c>.</summary>
    ReuseDelayMilliseconds,
}
