using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary><c>validate ports</c>: a live two-destination fill (or a replayed trace) compared by <see cref="PortsValidation"/>.</summary>
public static class ValidatePorts
{
    /// <summary>Runs the check.</summary>
    /// <exception cref="UsageException">Bad input.</exception>
    /// <exception cref="ProbeUnavailableException">No probe here.</exception>
    public static CheckOutcome Run(ValidateOptions o)
    {
        PortsReport report;
        if (o.Trace is { } path)
        {
            TraceFile trace;
            try { trace = TraceFile.Read(path); }
            catch (Exception e) when (e is FormatException or IOException) { throw new UsageException($"--trace {path}: {e.Message}"); }
            var range = o.Range is { } r ? Parsing.Range("--range", r) : RangeFromSysctls(trace.Sysctls) ?? new PortRange(40000, 40999);
            var release = o.Kernel ?? trace.KernelRelease;
            if (!KernelProfile.TryFromRelease(release, out var profile, out var err)) throw new UsageException($"kernel '{release}': {err}");
            var obs = PortsValidation.FromEvents(trace.Events, trace.Hz, trace.Jiffies);
            report = Compare(obs, range, profile!, trace.Backend, release, trace.LostEvents);
        }
        else
        {
            var range = o.Range is { } r ? Parsing.Range("--range", r) : new PortRange(40000, 40999);
            var result = Live(range, o.DestinationPorts, o.Backends);
            if (o.Record is { } rec)
            {
                using var f = new FileStream(rec, FileMode.Create, FileAccess.Write);
                result.WriteTrace(f);
            }
            var release = result.Header.KernelRelease;
            if (!KernelProfile.TryFromRelease(release, out var profile, out var err)) throw new InvalidOperationException($"kernel '{release}': {err}");
            report = Compare(PortsValidation.FromLive(result), range, profile!, result.Backend.ToString().ToLowerInvariant(), release, result.LostEvents);
        }
        return new CheckOutcome(report.VerdictLine(), report.ToJson(), report.Agrees);
    }

    private static PortsReport Compare(IReadOnlyList<ObservedConnect> obs, PortRange range, KernelProfile profile, string backend, string release, long lost)
    {
        try { return PortsValidation.Compare(obs, range, profile, backend, release, lost); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>
    /// The live fill: connects alternate between the destinations (round robin) until the first EADDRNOTAVAIL (connect
    /// R + 1 of the first destination). Each destination's sequence is the one it would have alone (ports held by other
    /// destinations stay usable, 4-tuple reuse), and interleaving puts the fitted and the predicted destination under the
    /// same machine load, so a load change during the run does not bias the cost prediction.
    /// </summary>
    public static PortFillResult Live(PortRange range, IReadOnlyList<int> destinations, IReadOnlyList<ProbeBackend>? backends = null) =>
        PortFillScenario.Run(new PortFillRequest
        {
            RangeLow = (ushort)range.Low,
            RangeHigh = (ushort)range.High,
            Destinations = destinations.Select(d => (ushort)d).ToList(),
            Count = destinations.Count * (range.Count + 1),
            Order = DestinationOrder.RoundRobin,
            TimeLimit = TimeSpan.FromSeconds(120),
            Probe = new ProbeOptions { Backends = backends ?? ProbeBackendSpec.ConnectRecordOrder },
        });

    private static PortRange? RangeFromSysctls(IReadOnlyDictionary<string, string> sysctls)
    {
        if (!sysctls.TryGetValue("net.ipv4.ip_local_port_range", out var v)) return null;
        var parts = v.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && int.TryParse(parts[0], out var lo) && int.TryParse(parts[1], out var hi) && lo > 0 && hi >= lo && hi <= 65535
            ? new PortRange(lo, hi) : null;
    }
}
