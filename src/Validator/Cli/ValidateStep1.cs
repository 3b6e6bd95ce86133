using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary><c>validate step1</c>: a live fill with <c>IP_LOCAL_PORT_RANGE = 0xFFFF0000</c> on every socket, compared by <see cref="Step1Validation"/>.</summary>
public static class ValidateStep1
{
    /// <summary>Default destination port.</summary>
    public const ushort DestinationPort = 5302;

    /// <summary>Runs the check.</summary>
    /// <exception cref="ProbeUnavailableException">No probe here.</exception>
    public static CheckOutcome Run(ValidateOptions o)
    {
        var range = o.Range is { } r ? Parsing.Range("--range", r) : new PortRange(40000, 40999);
        var report = Live(range, DestinationPort);
        return new CheckOutcome(report.VerdictLine(), report.ToJson(), report.Agrees);
    }

    /// <summary>R + 1 connects to <paramref name="dport"/> with the option set, then the comparison.</summary>
    public static Step1Report Live(PortRange range, ushort dport)
    {
        var fill = PortFillScenario.Run(new PortFillRequest
        {
            RangeLow = (ushort)range.Low,
            RangeHigh = (ushort)range.High,
            Destinations = [dport],
            Count = range.Count + 1,
            TimeLimit = TimeSpan.FromSeconds(60),
            Socket = new ConnectSocketOptions { LocalPortRange = (0, 0xFFFF) },
        });
        var profile = KernelProfile.FromRelease(fill.Header.KernelRelease);
        if (!profile.PerSocketRangeStepOne) throw new UsageException($"kernel {fill.Header.KernelRelease} has no step-1 scan (6.8+)");
        return Step1Validation.Compare(PortsValidation.FromLive(fill), range, profile, dport, fill.Header.KernelRelease);
    }
}
