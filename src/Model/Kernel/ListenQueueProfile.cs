namespace PortSelection.Model.Kernel;

/// <summary>
/// Every behaviour switch of the listen-queue model for one kernel version (listen-queues.md): backlog defaults,
/// SYN-queue predicate, young check, syncookies modes, counter accounting and the client / server retransmission
/// schedules. Model code asks this profile, never compares versions itself.
/// </summary>
/// <remarks>
/// Each property cites the kernel version / commit from listen-queues.md §1 (source trees and commit table).
/// Obtain it from <see cref="KernelProfile.Listen"/> or <see cref="FromVersion"/>.
/// </remarks>
public sealed record ListenQueueProfile
{
    /// <summary>The kernel version this profile describes.</summary>
    public required KernelVersion Version { get; init; }

    /// <summary>The listen-queue era (§0 columns).</summary>
    public required ListenEra Era { get; init; }

    /// <summary>The "SYN queue full" predicate (§4.1).</summary>
    /// <remarks>≤ 4.3 table (v2.6.32 22763c5cf369, 3.10.108, 4.2.8); 4.4 ef547f2ac16b <c>Q ≥ B</c>; ≥ 5.12 / 5.4.117 / 5.10.35 <c>Q &gt; B</c>.</remarks>
    public required SynQueueRule SynQueueRule { get; init; }

    /// <summary>
    /// True when a SYN arriving at a full accept queue is dropped only if more than one "young" request exists
    /// (<c>inet_csk_reqsk_queue_young(sk) &gt; 1</c>), i.e. ≤ 4.9 vanilla; false once 5ea8ea2cb7f1 (4.10) drops every such SYN.
    /// </summary>
    /// <remarks>
    /// 5ea8ea2cb7f1 "tcp/dccp: drop SYN packets if accept queue is full", 4.10; backported to 4.4.y and 4.9.y (present in
    /// 4.4.302 / 4.9.337, absent in 4.4.1 / 4.9.0; the 4.4.y backport 7ed7c0386ef2 lies between 4.4.136 and 4.4.186).
    /// The model takes 4.4.y ≥ .179 and 4.9.y ≥ .169 as patched (spring-2019 stable batch; release not pinned, low confidence).
    /// </remarks>
    public required bool YoungCheck { get; init; }

    /// <summary>Default <c>net.core.somaxconn</c>: 128 up to 5.3, 4096 from 5.4 (19f92a030ca6).</summary>
    public required int SomaxconnDefault { get; init; }

    /// <summary>Default <c>net.ipv4.tcp_syncookies</c>: 0 in v2.6.32 (<c>SYNC_INIT</c> with CONFIG_SYSCTL), 1 from 3.x (seen in 3.10.108; switch release not pinned).</summary>
    public required int SyncookiesDefault { get; init; }

    /// <summary><c>tcp_syncookies = 2</c> (cookies for every SYN) is implemented: 4.4.1+ (<c>tcp_conn_request</c>); not in 3.10.108 vanilla, where 2 acts as 1.</summary>
    public required bool SyncookiesMode2 { get; init; }

    /// <summary>
    /// SYN drops are accounted (≥ 3.x, absent v2.6.32, present 3.10.108): <c>TCPReqQFullDrop</c> / <c>TCPReqQFullDoCookies</c>
    /// exist, SYN drops bump ListenDrops, and a SYN dropped at a full accept queue bumps ListenOverflows (§7.1).
    /// </summary>
    public required bool SynDropAccounting { get; init; }

    /// <summary>A SYN answered by a cookie also bumps ListenDrops (3.10 – 4.8: the cookie path exits through the <c>drop:</c> label); 4.9.0+ no longer (§7.1, <c>tcp_listendrop</c>).</summary>
    public required bool CookieSynCountsAsListenDrop { get; init; }

    /// <summary><c>TCPSynRetrans</c> counts SYN and SYN-ACK retransmissions: ≥ 4.x (absent 3.10.108 vanilla, present 4.4.1; RHEL7 backports it).</summary>
    public required bool SynRetransCounter { get; init; }

    /// <summary>Client SYN schedule family (§6.1, §6.3).</summary>
    /// <remarks>2.6.32 3 s base; 3.1 TCP_TIMEOUT_INIT 1 s (RFC 6298; not verified in a 3.1 tree); 3.7 TCP_SYN_RETRIES 6; 6.5 ccce324dabfe linear timeouts.</remarks>
    public required SynScheduleEra SynSchedule { get; init; }

    /// <summary>The SYN_SENT give-up rule (§6.2).</summary>
    /// <remarks>6fa12c85031 (2.6.32) time budget with the 0.2 s base; 3.x – 4.18 budget on TCP_TIMEOUT_INIT; ~4.19 count-or-time + TCP_USER_TIMEOUT (absent 4.9.337, present 4.19.222); 6.5 ccce324dabfe adds L.</remarks>
    public required SynTimeoutRule TimeoutRule { get; init; }

    /// <summary><c>TCP_TIMEOUT_INIT</c> in ms: 3000 in v2.6.32 (and 2.6.32.y longterm), 1000 from 3.1 (§6.1).</summary>
    public required int InitialRtoMs { get; init; }

    /// <summary>Default <c>tcp_syn_retries</c> (<c>TCP_SYN_RETRIES</c>): 5 before 3.7, 6 from 3.7 (3.10.108 l.101).</summary>
    public required int SynRetriesDefault { get; init; }

    /// <summary>Default <c>tcp_synack_retries</c> (<c>TCP_SYNACK_RETRIES</c>): 5 in every era (§6.1).</summary>
    public int SynAckRetriesDefault => 5;

    /// <summary><c>net.ipv4.tcp_syn_linear_timeouts</c> exists (6.5+, ccce324dabfe; absent 6.1.166, present 6.6.150).</summary>
    public bool LinearTimeoutsSysctl => SynSchedule == SynScheduleEra.Linear;

    /// <summary>Default <c>tcp_syn_linear_timeouts</c>: 4 on 6.5+ (ccce324dabfe), 0 (no such sysctl) before.</summary>
    public int LinearTimeoutsDefault => LinearTimeoutsSysctl ? 4 : 0;

    /// <summary><c>tcp_rto_max_ms</c> / <c>TCP_RTO_MAX_MS</c> exist (absent 6.12.15, present 6.18.19; taken as 6.15+, the merge window that added it — bracket 6.13–6.18).</summary>
    public required bool RtoMaxSysctl { get; init; }

    /// <summary><c>TCP_RTO_MAX</c> in ms (120 s, every era; 6.15+ default of <c>tcp_rto_max_ms</c>).</summary>
    public int RtoMaxDefaultMs => 120_000;

    /// <summary><c>TCP_RTO_MIN</c> in ms (200 ms, every era) — the budget base of the 2.6.32 quirk.</summary>
    public int RtoMinMs => 200;

    /// <summary>TCP_USER_TIMEOUT is honoured in SYN_SENT and clamps the SYN timer (~4.19+, §6.2/§6.3).</summary>
    public bool UserTimeoutInSynSent => TimeoutRule >= SynTimeoutRule.CountOrBudget;

    /// <summary>Every request has its own timer (≥ 4.4, <c>reqsk_timer_handler</c>); ≤ 4.3 one 200 ms listener tick (<c>TCP_SYNQ_INTERVAL</c>) makes SYN-ACKs late by up to a few hundred ms.</summary>
    public bool PerRequestTimers => Era >= ListenEra.V4_4;

    /// <summary>How long a cookie ACK is evaluated after the last cookie was sent, in ms: 3 s in v2.6.32/3.10 (<c>tcp_synq_no_recent_overflow</c>), 2 min (<c>TCP_SYNCOOKIE_VALID</c>) from 4.4.</summary>
    public int CookieValidityMs => Era >= ListenEra.V4_4 ? 120_000 : 3_000;

    /// <summary><c>tcp_max_syn_backlog</c> is per network namespace (4.19: <c>net-&gt;ipv4.sysctl_max_syn_backlog</c>; global up to ~4.14).</summary>
    public bool MaxSynBacklogPerNetns => Version.AtLeast(4, 19);

    /// <summary>
    /// Default <c>tcp_max_syn_backlog</c> for a machine whose established hash has <paramref name="ehashBuckets"/> buckets (§4.2):
    /// v2.6.32 <c>tcp_init</c> 1024 on big-hash machines (≥ 2^16 buckets), 128 on small (≤ 2^10 buckets), 256 otherwise;
    /// 3.x – 5.3 <c>max(128, ehash/256)</c>; 5.4+ <c>max(128, ehash/128)</c> (5.3.1 vs 5.4.6).
    /// </summary>
    /// <param name="ehashBuckets">Established-hash size (power of two, ≥ 1).</param>
    public int MaxSynBacklogDefault(long ehashBuckets)
    {
        long e = Math.Max(1, ehashBuckets);
        if (Era == ListenEra.V2_6_32) return e >= 65536 ? 1024 : e <= 1024 ? 128 : 256;
        long d = Version.AtLeast(5, 4) ? 128 : 256;
        return (int)Math.Min(int.MaxValue, Math.Max(128, e / d));
    }

    /// <summary>
    /// The established-hash size the model assumes when the machine is unknown: 262144 buckets, which gives the
    /// <c>tcp_max_syn_backlog</c> = 2048 observed in a fresh netns of the 6.18 test host (§9).
    /// </summary>
    public const long AssumedEhashBuckets = 262_144;

    /// <summary>The default <c>tcp_max_syn_backlog</c> for <see cref="AssumedEhashBuckets"/>.</summary>
    public int MaxSynBacklogAssumedDefault => MaxSynBacklogDefault(AssumedEhashBuckets);

    /// <summary>Builds the listen-queue profile of a kernel version.</summary>
    /// <param name="v">The kernel version.</param>
    public static ListenQueueProfile FromVersion(KernelVersion v)
    {
        bool young = !v.AtLeast(4, 10)
                     && !(v.InSeries(4, 4) && v.Patch >= 179)
                     && !(v.InSeries(4, 9) && v.Patch >= 169);
        bool moreThan = v.AtLeast(5, 12) || (v.InSeries(5, 4) && v.Patch >= 117) || (v.InSeries(5, 10) && v.Patch >= 35);
        ListenEra era =
            !v.AtLeast(3, 0) ? ListenEra.V2_6_32 :
            !v.AtLeast(4, 4) ? ListenEra.V3_10 :
            young ? ListenEra.V4_4 :
            moreThan ? ListenEra.V5_12 :
            ListenEra.V4_10;
        SynScheduleEra schedule =
            v.AtLeast(6, 5) ? SynScheduleEra.Linear :
            v.AtLeast(3, 7) ? SynScheduleEra.Exponential :
            v.AtLeast(3, 1) ? SynScheduleEra.OneSecondFiveRetries :
            SynScheduleEra.ThreeSecondBase;
        SynTimeoutRule timeout =
            v.AtLeast(6, 5) ? SynTimeoutRule.CountPlusLinearOrBudget :
            v.AtLeast(4, 19) ? SynTimeoutRule.CountOrBudget :
            v.AtLeast(3, 0) ? SynTimeoutRule.BudgetInitialRto :
            v.AtLeast(2, 6, 32) ? SynTimeoutRule.BudgetRtoMinBase :
            SynTimeoutRule.CountOnly;
        return new ListenQueueProfile
        {
            Version = v,
            Era = era,
            SynQueueRule = era switch
            {
                ListenEra.V2_6_32 or ListenEra.V3_10 => SynQueueRule.RoundUpPow2Table,
                ListenEra.V5_12 => SynQueueRule.MoreThanBacklog,
                _ => SynQueueRule.AtLeastBacklog,
            },
            YoungCheck = young,
            SomaxconnDefault = v.AtLeast(5, 4) ? 4096 : 128,
            SyncookiesDefault = v.AtLeast(3, 0) ? 1 : 0,
            SyncookiesMode2 = v.AtLeast(4, 4),
            SynDropAccounting = v.AtLeast(3, 0),
            CookieSynCountsAsListenDrop = v.AtLeast(3, 0) && !v.AtLeast(4, 9),
            SynRetransCounter = v.AtLeast(4, 0),
            SynSchedule = schedule,
            TimeoutRule = timeout,
            InitialRtoMs = v.AtLeast(3, 1) ? 1000 : 3000,
            SynRetriesDefault = v.AtLeast(3, 7) ? 6 : 5,
            RtoMaxSysctl = v.AtLeast(6, 15),
        };
    }

    /// <summary>A short description, e.g. "6.18.44 listen era V5_12 (Q &gt; B, no young check, linear SYN timeouts)".</summary>
    public override string ToString() =>
        $"{Version} listen era {Era} ({SynQueueRule}, {(YoungCheck ? "young check" : "no young check")}, SYN schedule {SynSchedule})";
}
