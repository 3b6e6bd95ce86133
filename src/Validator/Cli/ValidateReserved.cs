using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary><c>validate reserved</c>: a live fill with reserved and explicitly bound ports, compared by <see cref="ReservedValidation"/>.</summary>
public static class ValidateReserved
{
    /// <summary>Default destination port (5301–5399 belong to the validate checks of this kind).</summary>
    public const ushort DestinationPort = 5301;

    /// <summary>Runs the check.</summary>
    /// <exception cref="ProbeUnavailableException">No probe here.</exception>
    public static CheckOutcome Run(ValidateOptions o)
    {
        var range = o.Range is { } r ? Parsing.Range("--range", r) : ReservedValidation.DefaultRange;
        var report = Live(range, ReservedValidation.DefaultReserved, ReservedValidation.DefaultBinds.Where(b => range.Contains(b.Port)).ToList(), DestinationPort);
        return new CheckOutcome(report.VerdictLine(), report.ToJson(), report.Agrees);
    }

    /// <summary>Fills the range (R + 1 connects) in a private namespace with the reserved list and binds, then compares.</summary>
    public static ReservedReport Live(PortRange range, string reserved, IReadOnlyList<(int Port, bool Listen)> binds, ushort dport)
    {
        var fill = PortFillScenario.Run(new PortFillRequest
        {
            RangeLow = (ushort)range.Low,
            RangeHigh = (ushort)range.High,
            Destinations = [dport],
            Count = range.Count + 1,
            TimeLimit = TimeSpan.FromSeconds(60),
            Sysctls = new Dictionary<string, string> { ["net.ipv4.ip_local_reserved_ports"] = reserved },
            PreBinds = binds.Select(b => new PreBind((ushort)b.Port, b.Listen)).ToList(),
        });
        var profile = KernelProfile.FromRelease(fill.Header.KernelRelease);
        return ReservedValidation.Compare(fill.Connects, range, reserved, binds, profile, dport, fill.Header.KernelRelease);
    }
}
