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
        ReservedReport report;
        if (o.Trace is { } path)
        {
            var trace = TraceReplay.Read(path);
            report = Replay(trace, TraceReplay.Range(o.Range, trace, ReservedValidation.DefaultRange), o.Kernel);
        }
        else
        {
            var range = o.Range is { } r ? Parsing.Range("--range", r) : ReservedValidation.DefaultRange;
            report = Live(range, ReservedValidation.DefaultReserved, ReservedValidation.DefaultBinds.Where(b => range.Contains(b.Port)).ToList(), DestinationPort, o.Record, o.Backends);
        }
        return new CheckOutcome(report.VerdictLine(), report.ToJson(), report.Agrees);
    }

    /// <summary>
    /// The same comparison on a recorded fill (<c>validate reserved --record FILE</c>): the connects are the probe's
    /// (chosen port, connect() return), the reserved list is the recorded <c>ip_local_reserved_ports</c>, and the explicit
    /// binds are <see cref="ReservedValidation.DefaultBinds"/> inside the range (the ones the live check makes).
    /// </summary>
    /// <exception cref="UsageException">The trace has no recorded reserved list.</exception>
    public static ReservedReport Replay(TraceFile trace, PortRange range, string? kernel = null)
    {
        var (release, profile) = TraceReplay.Profile(kernel, trace);
        if (!trace.Sysctls.TryGetValue("net.ipv4.ip_local_reserved_ports", out var reserved))
            throw new UsageException("--trace: the trace records no net.ipv4.ip_local_reserved_ports (not a `validate reserved` recording)");
        var obs = PortsValidation.FromEvents(trace.Events, trace.Hz, trace.Jiffies);
        var connects = obs.Select((c, i) => new ConnectResult(i, (ushort)c.DestinationPort, c.Errno, "connect", (ushort)(c.Port ?? c.UserPort ?? 0), 0, 0)).ToList();
        var binds = ReservedValidation.DefaultBinds.Where(b => range.Contains(b.Port)).ToList();
        return ReservedValidation.Compare(connects, range, reserved, binds, profile, TraceReplay.MainDestination(obs), release);
    }

    /// <summary>Fills the range (R + 1 connects) in a private namespace with the reserved list and binds, then compares; the trace goes to <paramref name="record"/> when given.</summary>
    public static ReservedReport Live(PortRange range, string reserved, IReadOnlyList<(int Port, bool Listen)> binds, ushort dport, string? record = null, IReadOnlyList<ProbeBackend>? backends = null)
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
            Probe = new ProbeOptions { Backends = backends ?? ProbeBackendSpec.ConnectRecordOrder },
        });
        TraceReplay.Record(record, fill);
        var profile = KernelProfile.FromRelease(fill.Header.KernelRelease);
        return ReservedValidation.Compare(fill.Connects, range, reserved, binds, profile, dport, fill.Header.KernelRelease);
    }
}
