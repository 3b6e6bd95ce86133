using PortSelection.Model.Kernel;

namespace PortSelection.Model.Listen;

/// <summary>SYN ("request") queue caps per era (listen-queues.md §4.1, §4.2, §8 derived result 2).</summary>
public static class SynQueueLimits
{
    /// <summary>
    /// The hard cap N: the number of concurrent requests at which the "SYN queue full" predicate becomes true.
    /// ≤ 4.3: the table size <c>roundup_pow2(max(8, min(B₀, M)) + 1)</c> (full when <c>Q ≥ N</c>);
    /// 4.4 – ~5.11: <c>B</c> (full when <c>Q ≥ B</c>); ≥ 5.12: <c>B + 1</c> (full when <c>Q &gt; B</c>).
    /// </summary>
    /// <param name="profile">Listen-queue profile.</param>
    /// <param name="backlog">Current stored backlog B.</param>
    /// <param name="maxSynBacklog">M at the first listen() (only used ≤ 4.3).</param>
    /// <param name="firstBacklog">B₀ of the first listen() (only used ≤ 4.3).</param>
    /// <remarks>
    /// ≤ 4.3 <c>reqsk_queue_is_full</c> (v2.6.32 22763c5cf369, 3.10.108, 4.2.8); 4.4 ef547f2ac16b "remove max_qlen_log";
    /// <c>Q &gt; B</c> in 5.4.117+, 5.10.35+, 5.15 … 6.18 l.291 (commit not found; verified live on 6.18).
    /// </remarks>
    public static long HardCap(ListenQueueProfile profile, int backlog, int maxSynBacklog, int firstBacklog) =>
        profile.SynQueueRule switch
        {
            SynQueueRule.RoundUpPow2Table => ListenBacklog.SynTableEntries(firstBacklog, maxSynBacklog),
            SynQueueRule.AtLeastBacklog => Math.Max(0, backlog),
            _ => (long)Math.Max(0, backlog) + 1,
        };

    /// <summary>True when the "SYN queue full" predicate holds for <paramref name="requests"/> = Q.</summary>
    /// <param name="profile">Listen-queue profile.</param>
    /// <param name="requests">Q, current request socks of the listener.</param>
    /// <param name="backlog">B.</param>
    /// <param name="maxSynBacklog">M at first listen (≤ 4.3 only).</param>
    /// <param name="firstBacklog">B₀ (≤ 4.3 only).</param>
    /// <remarks>See <see cref="HardCap"/>.</remarks>
    public static bool IsFull(ListenQueueProfile profile, long requests, int backlog, int maxSynBacklog, int firstBacklog) =>
        requests >= HardCap(profile, backlog, maxSynBacklog, firstBacklog);

    /// <summary>
    /// The 3/4 rule with cookies off: an unproven peer's SYN is dropped when <c>M − Q &lt; ⌊M/4⌋</c>, so at most
    /// <c>M − ⌊M/4⌋ + 1</c> requests exist.
    /// </summary>
    /// <param name="maxSynBacklog">M.</param>
    /// <remarks>Every era: v2.6.32 <c>tcp_v4_conn_request</c>, 3.10.108, 4.4 … 6.18 <c>tcp_conn_request</c> l.7494 (verified M = 8 ⇒ 7).</remarks>
    public static long ThreeQuarterCap(int maxSynBacklog) => (long)maxSynBacklog - (maxSynBacklog >> 2) + 1;

    /// <summary>True when the 3/4 rule drops a SYN from an unproven peer (<c>C = 0 &amp;&amp; M − Q &lt; M &gt;&gt; 2</c>).</summary>
    /// <param name="syncookies">C.</param>
    /// <param name="maxSynBacklog">M.</param>
    /// <param name="requests">Q.</param>
    /// <remarks>See <see cref="ThreeQuarterCap"/>.</remarks>
    public static bool ThreeQuarterRuleDrops(int syncookies, int maxSynBacklog, long requests) =>
        syncookies == 0 && (maxSynBacklog - requests) < (maxSynBacklog >> 2);

    /// <summary>
    /// Effective SYN-queue capacity (maximum concurrent request socks): the hard cap, then the 3/4 cap when
    /// <c>C = 0</c>; 0 when <c>C = 2</c> and the era implements mode 2.
    /// </summary>
    /// <param name="profile">Listen-queue profile.</param>
    /// <param name="sysctls">Sysctls (C, M).</param>
    /// <param name="backlog">B.</param>
    /// <param name="firstBacklog">B₀ (≤ 4.3 only); defaults to B.</param>
    /// <remarks>§8 derived result 2; mode 2 is implemented from 4.4.1 (<c>syncookies == 2</c> in <c>tcp_conn_request</c>).</remarks>
    public static long Capacity(ListenQueueProfile profile, ListenSysctls sysctls, int backlog, int? firstBacklog = null)
    {
        if (sysctls.Syncookies == 2 && profile.SyncookiesMode2) return 0;
        long hard = HardCap(profile, backlog, sysctls.MaxSynBacklog, firstBacklog ?? backlog);
        return sysctls.Syncookies == 0 ? Math.Min(hard, ThreeQuarterCap(sysctls.MaxSynBacklog)) : hard;
    }
}
