using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Selection;

/// <summary>
/// <c>tcp_twsk_unique()</c> (net/ipv4/tcp_ipv4.c): may a new connection take over the 4-tuple of a TIME_WAIT socket?
/// </summary>
/// <remarks>
/// shared/kernel/port-selection.md §2.3. <c>reuse = tcp_tw_reuse</c>; 0 for a FIN_WAIT2-substate TIME_WAIT (5.10+);
/// mode 2 counts only when either end is loopback (~4.20+). With <c>twp == NULL</c> (the socket already had a
/// port: bind() then connect()) the sysctl is ignored and only the peer's timestamps matter. Age rule per era:
/// ≤~4.18 <c>now_s − ts_recent_stamp &gt; 1</c>; ~4.19–6.13 <c>time_after32(now_s, ts_recent_stamp)</c>;
/// 6.14+ (merge 154dee7c3265) <c>time_after32(now_ms, tw_entry_stamp + tcp_tw_reuse_delay)</c>.
/// </remarks>
public static class TimeWaitReuse
{
    /// <summary>Decides whether <paramref name="tw"/> may be recycled by a new connection at <paramref name="nowMs"/>.</summary>
    /// <param name="profile">Kernel switches.</param>
    /// <param name="config">Namespace sysctls (<c>tcp_tw_reuse</c>, <c>tcp_tw_reuse_delay</c>).</param>
    /// <param name="tw">The TIME_WAIT entry that matched the 4-tuple.</param>
    /// <param name="nowMs">Current time in ms (same clock as the entry's stamps).</param>
    /// <param name="portPreassigned">True for the <c>twp == NULL</c> path (bind() before connect()).</param>
    public static bool IsUnique(KernelProfile profile, NamespaceConfig config, EstablishedEntry tw, long nowMs, bool portPreassigned) =>
        IsUnique(profile, config, tw.Tuple.LocalAddress, tw.Tuple.RemoteAddress, tw.HasTimestamps, tw.FinWait2Substate, tw.TsRecentStampSeconds,
            tw.EntryStampMs, nowMs, portPreassigned);

    /// <summary>
    /// <see cref="IsUnique(KernelProfile, NamespaceConfig, EstablishedEntry, long, bool)"/> on the fields of a TIME_WAIT
    /// socket (for tables that keep them in arrays rather than entry objects).
    /// </summary>
    internal static bool IsUnique(KernelProfile profile, NamespaceConfig config, Ipv4Address localAddress, Ipv4Address remoteAddress,
        bool hasTimestamps, bool finWait2, long tsRecentStampSeconds, long entryStampMs, long nowMs, bool portPreassigned)
    {
        int reuse = config.TcpTwReuse;
        if (profile.TimeWaitFinWait2NeverReused && finWait2) reuse = 0;
        if (reuse == 2 && !(localAddress.IsLoopback || remoteAddress.IsLoopback)) reuse = 0;
        if (!hasTimestamps) return false;
        if (portPreassigned) return true;
        if (reuse == 0) return false;
        return profile.TimeWaitAge switch
        {
            TimeWaitAgeRule.MoreThanOneSecond => nowMs / 1000 - tsRecentStampSeconds > 1,
            TimeWaitAgeRule.LaterSecond => unchecked((int)((uint)tsRecentStampSeconds - (uint)(nowMs / 1000))) < 0,
            _ => unchecked((int)((uint)(entryStampMs + config.TcpTwReuseDelayMs) - (uint)nowMs)) < 0,
        };
    }
}
