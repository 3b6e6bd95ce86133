using PortSelection.Model.Kernel;
using PortSelection.Model.Listen;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary>The resolved inputs of <c>portsel backlog</c>: each value with where it came from.</summary>
internal sealed record BacklogInputs
{
    public required KernelProfile Kernel { get; init; }
    public required ValueSource KernelSource { get; init; }
    public required int ListenArg { get; init; }
    public required ValueSource ListenArgSource { get; init; }
    public required ListenSysctls Sysctls { get; init; }
    public required ClientSynOptions Client { get; init; }
    public required IReadOnlyDictionary<string, ValueSource> Sources { get; init; }
    public double? ArrivalRate { get; init; }
    public double? AcceptRate { get; init; }
    public int? Workers { get; init; }
    public double RttMs { get; init; }
    public double? TargetP99 { get; init; }
    public bool Recommend { get; init; }

    /// <summary>Raw flag values (null = not given).</summary>
    internal sealed record Flags(
        string? Kernel, int? Backlog, int? Somaxconn, int? MaxSynBacklog, int? Syncookies, bool? AbortOnOverflow,
        int? SynRetries, int? SynAckRetries, int? LinearTimeouts, long? UserTimeoutMs, double? ArrivalRate, double? AcceptRate,
        int? Workers, double? RttMs, bool Recommend, double? TargetP99, bool IgnoreHost);

    /// <summary>Resolves flags, host sysctls (when they describe the same kernel) and era defaults.</summary>
    /// <exception cref="UsageException">A value is out of range or inconsistent.</exception>
    public static BacklogInputs Resolve(Flags f, HostSysctls host)
    {
        if (f.IgnoreHost) host = HostSysctls.None;
        ValueSource kernelSource;
        KernelVersion version;
        if (f.Kernel is not null)
        {
            if (!KernelVersion.TryParse(f.Kernel, out version, out var err)) throw new UsageException($"--kernel: {err}");
            kernelSource = ValueSource.Flag;
        }
        else if (host.KernelRelease is not null && KernelVersion.TryParse(host.KernelRelease, out version, out _))
        {
            kernelSource = ValueSource.Host;
        }
        else
        {
            version = KernelVersion.Of(6, 18);
            kernelSource = ValueSource.EraDefault;
        }
        // host sysctls describe the running kernel: use them only when the modelled kernel is the running one
        bool hostApplies = host.KernelRelease is not null && KernelVersion.TryParse(host.KernelRelease, out var hv, out _) &&
                           hv.Major == version.Major && hv.Minor == version.Minor;
        if (!hostApplies) host = HostSysctls.None;

        var kernel = KernelProfile.FromVersion(version);
        var lp = kernel.Listen;
        var sources = new Dictionary<string, ValueSource>();
        int Pick(string name, int? flag, int? hostValue, int eraDefault)
        {
            if (flag is int v) { sources[name] = ValueSource.Flag; return v; }
            if (hostValue is int h) { sources[name] = ValueSource.Host; return h; }
            sources[name] = ValueSource.EraDefault;
            return eraDefault;
        }

        int somaxconn = Pick("somaxconn", f.Somaxconn, host.Somaxconn, lp.SomaxconnDefault);
        int maxSyn = Pick("tcp_max_syn_backlog", f.MaxSynBacklog, host.MaxSynBacklog, lp.MaxSynBacklogAssumedDefault);
        int cookies = Pick("tcp_syncookies", f.Syncookies, host.Syncookies, lp.SyncookiesDefault);
        int abort = Pick("tcp_abort_on_overflow", f.AbortOnOverflow is bool b ? (b ? 1 : 0) : null, host.AbortOnOverflow, 0);
        int synRetries = Pick("tcp_syn_retries", f.SynRetries, host.SynRetries, lp.SynRetriesDefault);
        int synAckRetries = Pick("tcp_synack_retries", f.SynAckRetries, host.SynAckRetries, lp.SynAckRetriesDefault);
        int linear = Pick("tcp_syn_linear_timeouts", f.LinearTimeouts, host.SynLinearTimeouts, lp.LinearTimeoutsDefault);
        int listenArg = f.Backlog ?? int.MaxValue;
        var listenSource = f.Backlog is null ? ValueSource.EraDefault : ValueSource.Flag;
        sources["backlog"] = listenSource;

        if (somaxconn < 0) throw new UsageException($"--somaxconn {somaxconn} is out of range; accepted: 0..2147483647 (net.core.somaxconn)");
        if (maxSyn < 1) throw new UsageException($"--max-syn-backlog {maxSyn} is out of range; accepted: 1..2147483647 (net.ipv4.tcp_max_syn_backlog)");
        if (cookies is < 0 or > 2) throw new UsageException($"--syncookies {cookies} is invalid; accepted: 0 (never), 1 (when the SYN queue is full) or 2 (always)");
        if (abort is < 0 or > 1) throw new UsageException($"tcp_abort_on_overflow {abort} is invalid; accepted: 0 or 1");
        if (synRetries is < 1 or > 127) throw new UsageException($"--syn-retries {synRetries} is out of range; accepted: 1..127 (tcp_syn_retries / TCP_SYNCNT)");
        if (synAckRetries is < 0 or > 127) throw new UsageException($"--synack-retries {synAckRetries} is out of range; accepted: 0..127");
        if (linear is < 0 or > 127) throw new UsageException($"--syn-linear-timeouts {linear} is out of range; accepted: 0..127");
        if (f.UserTimeoutMs is < 0) throw new UsageException($"--user-timeout {f.UserTimeoutMs} is negative; accepted: 0 (unset) or milliseconds > 0");
        CheckRate("--arrival-rate", f.ArrivalRate, allowZero: true);
        CheckRate("--accept-rate", f.AcceptRate, allowZero: false);
        if (f.Workers is < 1 or > 1_000_000) throw new UsageException($"--workers {f.Workers} is out of range; accepted: 1..1000000");
        if (f.RttMs is double rtt && (!(rtt >= 0) || double.IsInfinity(rtt) || rtt > 600_000)) throw new UsageException($"--rtt {rtt} is out of range; accepted: 0..600000 ms");
        if (f.TargetP99 is double tp && (!(tp > 0) || double.IsInfinity(tp))) throw new UsageException($"--target-p99 {tp} is out of range; accepted: seconds > 0, e.g. 0.5");
        bool rates = f.ArrivalRate is not null || f.AcceptRate is not null || f.Workers is not null;
        if (rates && (f.ArrivalRate is null || f.AcceptRate is null))
            throw new UsageException("capacity questions need both --arrival-rate and --accept-rate (connections/s); --workers is optional");
        if (f.Recommend && (f.TargetP99 is null || f.ArrivalRate is null || f.AcceptRate is null))
            throw new UsageException("--recommend needs --target-p99 <seconds>, --arrival-rate and --accept-rate");
        if (f.TargetP99 is not null && !f.Recommend)
            throw new UsageException("--target-p99 is only used with --recommend");

        return new BacklogInputs
        {
            Kernel = kernel,
            KernelSource = kernelSource,
            ListenArg = listenArg,
            ListenArgSource = listenSource,
            Sysctls = new ListenSysctls(somaxconn, maxSyn, cookies, abort == 1, synAckRetries),
            Client = new ClientSynOptions(synRetries, linear, f.UserTimeoutMs ?? 0),
            Sources = sources,
            ArrivalRate = f.ArrivalRate,
            AcceptRate = f.AcceptRate,
            Workers = f.Workers,
            RttMs = f.RttMs ?? 1.0,
            TargetP99 = f.TargetP99,
            Recommend = f.Recommend,
        };

        static void CheckRate(string name, double? v, bool allowZero)
        {
            if (v is double r && (double.IsNaN(r) || double.IsInfinity(r) || r < 0 || (!allowZero && r == 0) || r > 1e9))
                throw new UsageException($"{name} {r} is out of range; accepted: connections per second, {(allowZero ? "0" : "> 0")} .. 1e9, e.g. 5000");
        }
    }
}
