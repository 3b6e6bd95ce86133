using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Scenarios;

/// <summary>In which order the connects visit the destinations.</summary>
public enum DestinationOrder
{
    /// <summary>All connects to the first destination (until the count or EADDRNOTAVAIL), then the next.</summary>
    Sequential,
    /// <summary>Connect i goes to destination i mod n; stops at the first EADDRNOTAVAIL.</summary>
    RoundRobin,
}

/// <summary>What a port fill does.</summary>
public sealed record PortFillRequest
{
    /// <summary>Namespace <c>net.ipv4.ip_local_port_range</c> low bound.</summary>
    public required ushort RangeLow { get; init; }
    /// <summary>Namespace <c>net.ipv4.ip_local_port_range</c> high bound.</summary>
    public required ushort RangeHigh { get; init; }
    /// <summary>Destination ports on 127.0.0.1 (a listener that never accepts is opened on each).
    /// Use ports no concurrent scenario uses: the kernel's perturb table is global.</summary>
    public required IReadOnlyList<ushort> Destinations { get; init; }
    /// <summary>Connects per destination (Sequential) or in total (RoundRobin); 1 – 1,000,000.</summary>
    public required int Count { get; init; }
    /// <summary>Destination order.</summary>
    public DestinationOrder Order { get; init; } = DestinationOrder.Sequential;
    /// <summary>Client socket preparation.</summary>
    public ConnectSocketOptions Socket { get; init; } = new();
    /// <summary>Stop (per destination when Sequential) at the first EADDRNOTAVAIL.</summary>
    public bool StopAtAddrNotAvail { get; init; } = true;
    /// <summary>Bound on the whole workload.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Further per-namespace sysctls (net.* keys).</summary>
    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();
    /// <summary>Probe options when the scenario opens its own probe.</summary>
    public ProbeOptions Probe { get; init; } = new();
    /// <summary>Ports held by explicit bind() on 127.0.0.1 before the connects (BindOwned buckets).</summary>
    public IReadOnlyList<PreBind> PreBinds { get; init; } = [];
}

/// <summary>Everything a port fill recorded.</summary>
public sealed record PortFillResult
{
    /// <summary>Namespace used (already deleted).</summary>
    public required string Namespace { get; init; }
    /// <summary>Probe backend used.</summary>
    public required ProbeBackend Backend { get; init; }
    /// <summary>Backends tried with reasons.</summary>
    public required IReadOnlyList<BackendAttempt> Attempts { get; init; }
    /// <summary>User-side results (getsockname ports, errnos, timings), in call order.</summary>
    public required IReadOnlyList<ConnectResult> Connects { get; init; }
    /// <summary>The probe's per-connect view, in call order.</summary>
    public required IReadOnlyList<ConnectTrace> Traces { get; init; }
    /// <summary>Every event of the workload thread.</summary>
    public required IReadOnlyList<ProbeEvent> Events { get; init; }
    /// <summary>Lost events of the probe session (ring full + user-side overflow).</summary>
    public required long LostEvents { get; init; }
    /// <summary>Why the workload stopped (see <see cref="ConnectFiller.StopReason"/>).</summary>
    public required string StopReason { get; init; }
    /// <summary>Thread id of the workload thread.</summary>
    public required int WorkloadTid { get; init; }
    /// <summary>Namespace sysctls during the run.</summary>
    public required IReadOnlyDictionary<string, string> Sysctls { get; init; }
    /// <summary>The trace header for this run (kernel, HZ, jiffies anchor, backend, sysctls).</summary>
    public required TraceHeader Header { get; init; }

    /// <summary>Writes header + events as JSON Lines.</summary>
    public void WriteTrace(Stream stream)
    {
        using var w = new TraceWriter(stream);
        w.WriteHeader(Header);
        foreach (var e in Events) w.WriteEvent(e);
        w.WriteFooter(Events.Count, LostEvents, 0);
    }
}

/// <summary>
/// The port-fill experiment (shared/kernel/port-selection.md §8): a fresh namespace with the
/// given range, listeners that never accept, sequential blocking connects from one thread
/// inside the namespace keeping every socket open, the probe tracing that thread.
/// </summary>
public static class PortFillScenario
{
    /// <summary>Convenience form: <paramref name="count"/> connects per destination, sequential.</summary>
    public static PortFillResult Run((ushort Low, ushort High) range, IReadOnlyList<ushort> destinations, int count,
        ConnectSocketOptions? socket = null, ProbeSession? probe = null) =>
        Run(new PortFillRequest
        {
            RangeLow = range.Low,
            RangeHigh = range.High,
            Destinations = destinations,
            Count = count,
            Socket = socket ?? new ConnectSocketOptions(),
        }, probe);

    /// <summary>
    /// Runs the fill. With <paramref name="probe"/> null a probe session is opened and closed
    /// here; a shared session has its buffered events taken (others' events are dropped).
    /// Everything (sockets, listeners, namespace, own probe) is released on every path.
    /// </summary>
    /// <exception cref="ProbeUnavailableException">No probe can run here.</exception>
    /// <exception cref="ArgumentException">Invalid request.</exception>
    public static PortFillResult Run(PortFillRequest request, ProbeSession? probe = null)
    {
        Validate(request);
        var perDest = request.Count;
        var destinations = request.Order == DestinationOrder.Sequential
            ? request.Destinations.SelectMany(d => Enumerable.Repeat(d, perDest)).ToList()
            : Enumerable.Range(0, request.Count).Select(i => request.Destinations[i % request.Destinations.Count]).ToList();

        var somaxconn = Math.Max(4096, perDest + 64);
        var sysctls = new Dictionary<string, string>(request.Sysctls)
        {
            ["net.ipv4.ip_local_port_range"] = $"{request.RangeLow} {request.RangeHigh}",
            ["net.core.somaxconn"] = somaxconn.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        var ownProbe = probe is null;
        probe ??= ProbeSession.Open(request.Probe);
        try
        {
            using var ns = NetworkNamespace.Create(sysctls);
            var filler = new ConnectFiller();
            var listeners = new List<Listener>();
            PortHolder? holder = null;
            var tid = ns.Thread.Tid;
            try
            {
                ns.Thread.Invoke(() =>
                {
                    foreach (var d in request.Destinations.Distinct()) listeners.Add(Listener.Open(d, somaxconn));
                    holder = PortHolder.Open(request.PreBinds);
                });
                foreach (var d in request.Destinations.Distinct()) probe.TraceListenPort(d);
                var rc = probe.Trace(tid);
                if (rc < 0) throw new ProbeUnavailableException($"cannot register tid {tid} with the probe: {LibC.Describe(-rc)}");
                var budget = request.TimeLimit + TimeSpan.FromSeconds(30);
                ns.Thread.Invoke(() =>
                {
                    if (request.Order == DestinationOrder.RoundRobin)
                        filler.Run(destinations, request.Socket, request.TimeLimit, request.StopAtAddrNotAvail);
                    else
                    {
                        var deadline = DateTime.UtcNow + request.TimeLimit;
                        foreach (var d in request.Destinations)
                        {
                            var left = deadline - DateTime.UtcNow;
                            if (left <= TimeSpan.Zero) break;
                            filler.Run(Enumerable.Repeat(d, perDest).ToList(), request.Socket, left, request.StopAtAddrNotAvail);
                        }
                    }
                }, budget);
            }
            finally
            {
                probe.Untrace(tid);
                try
                {
                    ns.Thread.Invoke(() =>
                    {
                        filler.Dispose();
                        foreach (var l in listeners) l.Dispose();
                        holder?.Dispose();
                    }, TimeSpan.FromSeconds(30));
                }
                catch (Exception e) when (e is TimeoutException or ObjectDisposedException)
                {
                    filler.Dispose(); // fds are process-wide: close them from here
                    foreach (var l in listeners) l.Dispose();
                    holder?.Dispose();
                }
            }

            var events = probe.TakeEvents().Where(e => e.Tid == (uint)tid).ToList();
            var results = filler.Results.Select((r, i) => r with { Index = i }).ToList();
            var traces = ConnectTrace.Assemble(events, (uint)tid);
            var snapshot = ns.SnapshotSysctls();
            var header = new TraceHeader
            {
                KernelRelease = KernelClock.Release(),
                Hz = KernelClock.Hz(),
                Jiffies = KernelClock.ReadJiffiesAnchor(),
                Backend = probe.Backend,
                Mode = probe.Mode,
                Attempts = probe.Attempts,
                Cgroup = probe.CgroupPath,
                Sysctls = snapshot,
                Namespace = ns.Name,
                Traced = [tid],
            };
            var lost = probe.LostEvents;
            return new PortFillResult
            {
                Namespace = ns.Name,
                Backend = probe.Backend,
                Attempts = probe.Attempts,
                Connects = results,
                Traces = traces,
                Events = events,
                LostEvents = lost,
                WorkloadTid = tid,
                StopReason = filler.StopReason,
                Sysctls = snapshot,
                Header = header,
            };
        }
        finally
        {
            if (ownProbe) probe.Dispose();
        }
    }

    private static void Validate(PortFillRequest r)
    {
        if (r.RangeLow == 0 || r.RangeHigh < r.RangeLow)
            throw new ArgumentException($"bad port range {r.RangeLow}-{r.RangeHigh}");
        if (r.Destinations.Count == 0 || r.Destinations.Any(d => d == 0))
            throw new ArgumentException("need at least one non-zero destination port");
        if (r.Count is < 1 or > 1_000_000)
            throw new ArgumentException($"count {r.Count} outside 1..1000000");
        if (r.TimeLimit <= TimeSpan.Zero || r.TimeLimit > TimeSpan.FromHours(1))
            throw new ArgumentException("time limit must be in (0, 1 h]");
    }
}
