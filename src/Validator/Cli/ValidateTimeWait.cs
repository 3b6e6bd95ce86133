using PortSelection.Model.Kernel;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary><c>validate timewait</c>: TIME_WAIT reuse with tcp_tw_reuse 2 and 0, compared by <see cref="TimeWaitValidation"/>.</summary>
public static class ValidateTimeWait
{
    /// <summary>Destination port.</summary>
    public const ushort DestinationPort = 5303;

    /// <summary>The one local port used (range PORT-PORT).</summary>
    public const ushort LocalPort = 40000;

    /// <summary>Runs the check (≈ 2.5 s).</summary>
    /// <exception cref="ProbeUnavailableException">Not root.</exception>
    public static CheckOutcome Run(ValidateOptions o)
    {
        var report = Live(DestinationPort);
        return new CheckOutcome(report.VerdictLine(), report.ToJson(), report.Agrees);
    }

    /// <summary>Both namespaces (tcp_tw_reuse = 2, then 0) live, each reconnecting at 0.15 s and 1.15 s.</summary>
    public static TimeWaitReport Live(ushort dport)
    {
        var release = KernelClock.Release();
        var profile = KernelProfile.FromRelease(release);
        var rows = new List<TimeWaitRow>();
        foreach (var reuse in new[] { 2, 0 })
            rows.AddRange(TimeWaitValidation.Compare(profile, TimeWaitScenario.Run(LocalPort, dport, reuse, TimeWaitValidation.DefaultDelaysMs), dport));
        return new TimeWaitReport(release, rows);
    }
}
