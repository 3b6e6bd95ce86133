using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary><c>validate bind</c>: R + 1 bind(0) calls without and with SO_REUSEADDR, compared by <see cref="BindOrderValidation"/>.</summary>
public static class ValidateBind
{
    /// <summary>Runs the check (<c>--range</c> up to 64 ports; default 40000-40009).</summary>
    /// <exception cref="ProbeUnavailableException">Not root.</exception>
    public static CheckOutcome Run(ValidateOptions o)
    {
        var range = o.Range is { } r ? Parsing.Range("--range", r) : BindOrderValidation.DefaultRange;
        if (range.Count > 64) throw new UsageException($"validate bind: --range {range.Low}-{range.High} has {range.Count} ports; accepted: at most 64");
        var report = Live(range);
        return new CheckOutcome(report.VerdictLine(), report.ToJson(), report.Agrees);
    }

    /// <summary>Runs both sequences live and compares them.</summary>
    public static BindOrderReport Live(PortRange range)
    {
        var release = KernelClock.Release();
        var profile = KernelProfile.FromRelease(release);
        var plain = BindZeroScenario.Run((ushort)range.Low, (ushort)range.High, range.Count + 1, reuseAddr: false);
        var reuse = BindZeroScenario.Run((ushort)range.Low, (ushort)range.High, range.Count + 1, reuseAddr: true);
        return new BindOrderReport(release, range,
            BindOrderValidation.Compare(profile, range, false, plain), BindOrderValidation.Compare(profile, range, true, reuse));
    }
}
