namespace PortSelection.Model.Ports;

/// <summary>
/// The per-network-namespace sysctls that port selection reads, validated with the kernel's own rules.
/// </summary>
/// <remarks>
/// Rules (net/ipv4/sysctl_net_ipv4.c, shared/kernel/port-selection.md §6): <c>ip_local_port_range</c> both ints in
/// 1..65535, EINVAL if high &lt; low (equal is accepted) or, 5.10+, low &lt; <c>ip_unprivileged_port_start</c>;
/// same parity is accepted with a warning. <c>ip_local_reserved_ports</c> in list syntax, may include ports
/// outside the range. <c>tcp_tw_reuse</c> 0/1/2 (default 2 since ~4.20, 0 before), <c>tcp_tw_reuse_delay</c>
/// 1..(TCP_PAWS_MSL·1000 = 60000) ms, default 1000 (6.14+), <c>ip_autobind_reuse</c> 0/1 (5.7+).
/// </remarks>
public sealed record NamespaceConfig
{
    /// <summary><c>net.ipv4.ip_local_port_range</c>.</summary>
    public PortRange Range { get; init; } = new(32768, 60999);

    /// <summary><c>net.ipv4.ip_local_reserved_ports</c>.</summary>
    public PortBitmap Reserved { get; init; } = PortBitmap.Empty;

    /// <summary><c>net.ipv4.ip_unprivileged_port_start</c> (default 1024).</summary>
    public int UnprivilegedPortStart { get; init; } = 1024;

    /// <summary><c>net.ipv4.tcp_tw_reuse</c>: 0 off, 1 on, 2 loopback only.</summary>
    public int TcpTwReuse { get; init; } = 2;

    /// <summary><c>net.ipv4.tcp_tw_reuse_delay</c> in milliseconds (6.14+).</summary>
    public int TcpTwReuseDelayMs { get; init; } = 1000;

    /// <summary><c>net.ipv4.ip_autobind_reuse</c> (5.7+).</summary>
    public bool AutobindReuse { get; init; }

    /// <summary>Maximum <c>tcp_tw_reuse_delay</c>: <c>TCP_PAWS_MSL * 1000</c> ms.</summary>
    public const int MaxTwReuseDelayMs = 60_000;

    /// <summary>The defaults of a kernel profile (range high 61000 before 4.2, tw_reuse 0 before ~4.20).</summary>
    public static NamespaceConfig DefaultsFor(Kernel.KernelProfile profile) => new()
    {
        Range = new PortRange(profile.DefaultRangeLow, profile.DefaultRangeHigh),
        TcpTwReuse = profile.DefaultTcpTwReuse,
    };

    /// <summary>
    /// Checks this configuration with the kernel's write-time rules for <paramref name="profile"/>.
    /// Returns the errors (the kernel would refuse the write) and warnings (accepted, but the kernel warns or
    /// the setting has a consequence the user should know).
    /// </summary>
    public (IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings) Validate(Kernel.KernelProfile profile)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        if (Range.Low < 1 || Range.High > 65535 || Range.High < Range.Low)
            errors.Add($"ip_local_port_range {Range.Low} {Range.High}: bounds must satisfy 1 <= low <= high <= 65535");
        else if (profile.RangeLowCheckedAgainstUnprivilegedStart && Range.Low < UnprivilegedPortStart)
            errors.Add($"ip_local_port_range low {Range.Low} is below ip_unprivileged_port_start {UnprivilegedPortStart} (EINVAL on {profile.Version}); raise low or lower ip_unprivileged_port_start");
        if (Range.SameParity && Range.Low != Range.High)
            warnings.Add($"ip_local_port_range {Range.Low} {Range.High}: same parity for start/end (kernel: \"prefer different parity for start/end values\"); one port of the low parity is unreachable per scan start");
        if (UnprivilegedPortStart is < 0 or > 65535)
            errors.Add($"ip_unprivileged_port_start {UnprivilegedPortStart} outside 0..65535");
        if (TcpTwReuse is < 0 or > 2)
            errors.Add($"tcp_tw_reuse {TcpTwReuse}: accepted values are 0 (off), 1 (on), 2 (loopback only)");
        if (TcpTwReuseDelayMs < 1 || TcpTwReuseDelayMs > MaxTwReuseDelayMs)
            errors.Add($"tcp_tw_reuse_delay {TcpTwReuseDelayMs} ms: accepted 1..{MaxTwReuseDelayMs}");
        if (AutobindReuse && !profile.AutobindReuseSysctl)
            warnings.Add($"ip_autobind_reuse does not exist on {profile.Version} (5.7+); ignored");
        int reservedInRange = 0;
        for (int p = Range.Low; p <= Range.High && p <= 65535; p++) if (Reserved.Contains(p)) reservedInRange++;
        if (reservedInRange == Range.Count && Range.Count > 0)
            warnings.Add("every port of ip_local_port_range is reserved: connect() and bind(0) will always fail");
        return (errors, warnings);
    }
}
