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
        Step1Report report;
        if (o.Trace is { } path)
        {
            var trace = TraceReplay.Read(path);
            var range = TraceReplay.Range(o.Range, trace, new PortRange(40000, 40999));
            report = Replay(trace, range, o.Kernel);
        }
        else
        {
            var range = o.Range is { } r ? Parsing.Range("--range", r) : new PortRange(40000, 40999);
            report = Live(range, DestinationPort, o.Record, o.Backends);
        }
        return new CheckOutcome(report.VerdictLine(), report.ToJson(), report.Agrees);
    }

    /// <summary>The same comparison on a recorded step-1 fill (<c>validate step1 --record FILE</c>).</summary>
    /// <exception cref="UsageException">The modelled kernel has no step-1 scan.</exception>
    public static Step1Report Replay(TraceFile trace, PortRange range, string? kernel = null)
    {
        var (release, profile) = TraceReplay.Profile(kernel, trace);
        if (!profile.PerSocketRangeStepOne) throw new UsageException($"kernel {release} has no step-1 scan (6.8+)");
        var obs = PortsValidation.FromEvents(trace.Events, trace.Hz, trace.Jiffies);
        return Step1Validation.Compare(obs, range, profile, TraceReplay.MainDestination(obs), release);
    }

    /// <summary>R + 1 connects to <paramref name="dport"/> with the option set, then the comparison; the trace goes to <paramref name="record"/> when given.</summary>
    public static Step1Report Live(PortRange range, ushort dport, string? record = null, IReadOnlyList<ProbeBackend>? backends = null)
    {
        var fill = PortFillScenario.Run(new PortFillRequest
        {
            RangeLow = (ushort)range.Low,
            RangeHigh = (ushort)range.High,
            Destinations = [dport],
            Count = range.Count + 1,
            TimeLimit = TimeSpan.FromSeconds(60),
            Socket = new ConnectSocketOptions { LocalPortRange = (0, 0xFFFF) },
            Probe = new ProbeOptions { Backends = backends ?? ProbeBackendSpec.ConnectRecordOrder },
        });
        TraceReplay.Record(record, fill);
        var profile = KernelProfile.FromRelease(fill.Header.KernelRelease);
        if (!profile.PerSocketRangeStepOne) throw new UsageException($"kernel {fill.Header.KernelRelease} has no step-1 scan (6.8+)");
        return Step1Validation.Compare(PortsValidation.FromLive(fill), range, profile, dport, fill.Header.KernelRelease);
    }
}
