namespace PortSelection.Model.Kernel;

/// <summary>
/// Every behaviour switch of the port-selection model for one kernel version. Era switches live here and
/// nowhere else: model code asks the profile, never compares versions itself.
/// </summary>
/// <remarks>
/// Sources: shared/kernel/port-selection.md §1 (timeline), §3 (scan per era), §4 (hashes), §5 (bind),
/// §6 (defaults). Each property names the commit that introduced the behaviour.
/// </remarks>
public sealed record KernelProfile
{
    /// <summary>The kernel version this profile describes.</summary>
    public required KernelVersion Version { get; init; }

    /// <summary>The connect() scan era (§3).</summary>
    public required ConnectEra Era { get; init; }

    /// <summary>
    /// True when this version carries the 2022 stable backport of the era-E series although its mainline
    /// minor predates 5.18 (4.9.320, 4.14.285, 4.19.249, 5.4.201, 5.10.125, 5.15.50, 5.17.15).
    /// </summary>
    /// <remarks>
    /// 5.10.125, 4.19.249, 4.14.285 and 4.9.320 are named in port-selection.md §1; the 5.4.y, 5.15.y and
    /// 5.17.y pins are inferred from the same 2022-06 stable batch and are lower confidence (§11 item 5).
    /// </remarks>
    public bool EraEStableBackport { get; init; }

    /// <summary>How port_offset is computed (§4.1).</summary>
    public required PortOffsetAlgorithm PortOffset { get; init; }

    /// <summary>log2 of the <c>table_perturb</c> size: 8 in era D (190cc82489f4), 16 in era E (4c2c8f03a5ab; Kconfig since aeac4ec8f46d in 6.1). 0 before era D.</summary>
    public int PerturbOrder { get; init; }

    /// <summary>Era D only: c579bd1b4021 "add some entropy" — when the first candidate wins, a 1/16 draw turns <c>i = 0</c> into <c>i = 2</c>.</summary>
    public bool ExtraEntropyOneIn16 => Era == ConnectEra.D;

    /// <summary>6.1+ (28044fc1d495): bhash2 (port + address) table, touched on the connect success path and in bind().</summary>
    public bool Bhash2 { get; init; }

    /// <summary>6.3+ and 6.1.32+ (91d0b78c5177): the per-socket <c>IP_LOCAL_PORT_RANGE</c> option clamps the netns range.</summary>
    public bool PerSocketRangeClamp { get; init; }

    /// <summary>6.8+ (207184853dbd, 41db7626b732): a socket with a non-zero <c>IP_LOCAL_PORT_RANGE</c> scans with step 1, single pass.</summary>
    public bool PerSocketRangeStepOne { get; init; }

    /// <summary>The TIME_WAIT age rule of <c>tcp_twsk_unique()</c> (§2.3); 6.14+ uses <c>tcp_tw_reuse_delay</c> (merge 154dee7c3265).</summary>
    public required TimeWaitAgeRule TimeWaitAge { get; init; }

    /// <summary>5.10+: a TIME_WAIT socket in the FIN_WAIT2 substate is never reused (<c>tcp_twsk_unique</c>, [S5.10.262]).</summary>
    public bool TimeWaitFinWait2NeverReused { get; init; }

    /// <summary>6.15+ (86c2bc293b81): busy candidates are rejected under RCU without a lock; only the final or a TIME_WAIT candidate is locked.</summary>
    public bool RcuPreCheck { get; init; }

    /// <summary>6.15+ (9544d60a2605, d4438ce68bf1): ehash = <c>lport + jhash_3words(laddr, faddr, fport, …)</c>, <c>hash_port0</c> computed once per connect.</summary>
    public bool EhashPortAdditive { get; init; }

    /// <summary>6.18+ and 6.17.8+ (d57f4b874946): a bind bucket returns to ConnectOwned when its last non-autobound owner leaves.</summary>
    public bool BindBucketRelease { get; init; }

    /// <summary>bind(port 0) algorithm (§5).</summary>
    public required Bind0Algorithm Bind0 { get; init; }

    /// <summary>5.7+: the <c>ip_autobind_reuse</c> sysctl exists (bind(0) relax pass).</summary>
    public bool AutobindReuseSysctl { get; init; }

    /// <summary>5.1+ (355b98553789): <c>net_hash_mix</c> is a random u32 per netns (before: derived from the <c>struct net</c> address).</summary>
    public bool NetHashMixRandom { get; init; }

    /// <summary>Before 3.13 TIME_WAIT sockets are on a separate <c>twchain</c> walked before the established chain.</summary>
    public bool SeparateTimeWaitChain { get; init; }

    /// <summary>3.13+ (0bbf87d): <c>ip_local_port_range</c> is per network namespace (global before).</summary>
    public bool PerNetnsPortRange { get; init; }

    /// <summary>Default <c>ip_local_port_range</c> high bound: 60999 since 4.2 (07f4c90062f8), 61000 before.</summary>
    public int DefaultRangeHigh { get; init; }

    /// <summary>Default <c>ip_local_port_range</c> low bound (32768 in every era).</summary>
    public int DefaultRangeLow => 32768;

    /// <summary>Default <c>tcp_tw_reuse</c>: 2 (loopback only) since ~4.20, 0 before (id not verified, §11 item 3).</summary>
    public int DefaultTcpTwReuse { get; init; }

    /// <summary>5.10+: writing <c>ip_local_port_range</c> fails when low &lt; <c>ip_unprivileged_port_start</c> (sysctl_net_ipv4.c).</summary>
    public bool RangeLowCheckedAgainstUnprivilegedStart { get; init; }

    /// <summary>4.2+ (90c337da1524): <c>IP_BIND_ADDRESS_NO_PORT</c> exists.</summary>
    public bool BindAddressNoPort { get; init; }

    /// <summary>The listen-queue switches of this version (listen-queues.md; see <see cref="ListenQueueProfile"/>).</summary>
    public ListenQueueProfile Listen => ListenQueueProfile.FromVersion(Version);

    /// <summary>Locks are taken per probe (4.6–6.14: <c>spin_lock_bh</c> per candidate bucket; ≤4.5 plain spin_lock with BH off).</summary>
    public bool LockPerProbe => !RcuPreCheck;

    /// <summary>Builds the profile of a kernel release string such as <c>uname -r</c>.</summary>
    /// <exception cref="FormatException">The string is not a kernel release.</exception>
    public static KernelProfile FromRelease(string release) => FromVersion(KernelVersion.Parse(release));

    /// <summary>Builds the profile of a kernel release string; false with a one-line reason when it is not one.</summary>
    public static bool TryFromRelease(string? release, out KernelProfile? profile, out string? error)
    {
        profile = null;
        if (!KernelVersion.TryParse(release, out var v, out error)) return false;
        profile = FromVersion(v);
        return true;
    }

    /// <summary>A representative kernel for an era: A = 3.13, B = 4.4, C = 5.10.13, D = 5.15.0, E = 5.18.0.</summary>
    public static KernelProfile ForEra(ConnectEra era) => FromVersion(era switch
    {
        ConnectEra.A => KernelVersion.Of(3, 13),
        ConnectEra.B => KernelVersion.Of(4, 4),
        ConnectEra.C => KernelVersion.Of(5, 10, 13),
        ConnectEra.D => KernelVersion.Of(5, 15, 0),
        _ => KernelVersion.Of(5, 18, 0),
    });

    /// <summary>True when <paramref name="v"/> carries the 2022 stable backport of the era-E series (see <see cref="EraEStableBackport"/>).</summary>
    public static bool HasEraEBackport(KernelVersion v) =>
        (v.InSeries(4, 9) && v.Patch >= 320) ||
        (v.InSeries(4, 14) && v.Patch >= 285) ||
        (v.InSeries(4, 19) && v.Patch >= 249) ||
        (v.InSeries(5, 4) && v.Patch >= 201) ||
        (v.InSeries(5, 10) && v.Patch >= 125) ||
        (v.InSeries(5, 15) && v.Patch >= 50) ||
        (v.InSeries(5, 17) && v.Patch >= 15);

    /// <summary>Builds the profile of a kernel version.</summary>
    public static KernelProfile FromVersion(KernelVersion v)
    {
        bool backport = !v.AtLeast(5, 18) && HasEraEBackport(v);
        ConnectEra era =
            v.AtLeast(5, 18) || backport ? ConnectEra.E :
            v.AtLeast(5, 12) ? ConnectEra.D :
            v.AtLeast(4, 6) ? ConnectEra.C :
            v.AtLeast(4, 2) ? ConnectEra.B :
            ConnectEra.A;

        PortOffsetAlgorithm offset =
            era == ConnectEra.E ? PortOffsetAlgorithm.SipHash64WithTimeSeed :
            v.AtLeast(4, 11) ? PortOffsetAlgorithm.SipHash32 :
            v.AtLeast(3, 1) ? PortOffsetAlgorithm.Md5 :
            PortOffsetAlgorithm.HalfMd4;

        return new KernelProfile
        {
            Version = v,
            Era = era,
            EraEStableBackport = backport,
            PortOffset = offset,
            PerturbOrder = era switch { ConnectEra.D => 8, ConnectEra.E => 16, _ => 0 },
            Bhash2 = v.AtLeast(6, 1),
            PerSocketRangeClamp = v.AtLeast(6, 3) || (v.InSeries(6, 1) && v.Patch >= 32),
            PerSocketRangeStepOne = v.AtLeast(6, 8),
            TimeWaitAge = v.AtLeast(6, 14) ? TimeWaitAgeRule.ReuseDelayMilliseconds
                        : v.AtLeast(4, 19) ? TimeWaitAgeRule.LaterSecond
                        : TimeWaitAgeRule.MoreThanOneSecond,
            TimeWaitFinWait2NeverReused = v.AtLeast(5, 10),
            RcuPreCheck = v.AtLeast(6, 15),
            EhashPortAdditive = v.AtLeast(6, 15),
            BindBucketRelease = v.AtLeast(6, 18) || (v.InSeries(6, 17) && v.Patch >= 8),
            Bind0 = v.AtLeast(4, 13) ? Bind0Algorithm.FindOpenPort
                  : v.AtLeast(4, 6) ? Bind0Algorithm.ParityHalvesSmallest
                  : Bind0Algorithm.LinearRover,
            AutobindReuseSysctl = v.AtLeast(5, 7),
            NetHashMixRandom = v.AtLeast(5, 1),
            SeparateTimeWaitChain = !v.AtLeast(3, 13),
            PerNetnsPortRange = v.AtLeast(3, 13),
            DefaultRangeHigh = v.AtLeast(4, 2) ? 60999 : 61000,
            DefaultTcpTwReuse = v.AtLeast(4, 20) ? 2 : 0,
            RangeLowCheckedAgainstUnprivilegedStart = v.AtLeast(5, 10),
            BindAddressNoPort = v.AtLeast(4, 2),
        };
    }

    /// <summary>A short human description, e.g. "6.18.44 (era E, +bhash2, +step1, +rcu, +bucket-release)".</summary>
    public override string ToString()
    {
        var extras = new List<string>();
        if (EraEStableBackport) extras.Add("stable backport");
        if (Bhash2) extras.Add("bhash2");
        if (PerSocketRangeClamp) extras.Add("per-socket range");
        if (PerSocketRangeStepOne) extras.Add("step 1");
        if (TimeWaitAge == TimeWaitAgeRule.ReuseDelayMilliseconds) extras.Add("tw_reuse_delay");
        if (RcuPreCheck) extras.Add("RCU pre-check");
        if (BindBucketRelease) extras.Add("bucket release");
        return extras.Count == 0 ? $"{Version} (era {Era})" : $"{Version} (era {Era}; {string.Join(", ", extras)})";
    }
}
