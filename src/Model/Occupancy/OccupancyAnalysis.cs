using PortSelection.Model.Ports;
using PortSelection.Model.Selection;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Occupancy;

/// <summary>
/// Points the model at a namespace's observed sockets: which are client connections, how full each
/// (source, destination, destination port) group's port space is, what the next connect() of each group will
/// cost, and how full each listener's accept queue is.
/// </summary>
/// <remarks>
/// Client heuristic: a non-LISTEN socket whose local port lies inside <c>ip_local_port_range</c> and is not a
/// listening port got its port from connect() autobind (ports of accepted connections are the listener's; a
/// client that bound an explicit port inside the range is miscounted as autobound). Bind-owned ports are
/// approximated by the listening ports (port-selection.md §2.2: a listener's port is always BindOwned).
/// For each group a <see cref="KernelHost"/> of the profile is filled with the group's connections
/// (<see cref="KernelHost.PlaceConnection"/>, TIME_WAIT ones with their entry time derived from the remaining
/// timer) and the bind-owned ports (<see cref="KernelHost.PlaceBinding"/>); the next connect() is simulated
/// with a random port_offset and perturb table per trial, because the kernel's secret and slot are unknown.
/// Other groups' connections are left out: they share no 4-tuple with the group, so they change only cost.
/// </remarks>
public static class OccupancyAnalysis
{
    /// <summary>Model time of the snapshot (ms): TIME_WAIT entry stamps lie in [0, now].</summary>
    public const long NowMs = KernelHost.TimeWaitLengthMs;

    /// <summary>True when <paramref name="s"/> is counted as a client connection (see remarks of the class).</summary>
    public static bool IsClient(ObservedSocket s, PortRange range, IReadOnlySet<int> listeningPorts) =>
        s.State != TcpSocketState.Listen && range.Contains(s.LocalPort) && !listeningPorts.Contains(s.LocalPort);

    /// <summary>Analyses a snapshot.</summary>
    /// <param name="snapshot">Sockets, sysctls and kernel.</param>
    /// <param name="trials">Simulated next connect()s per group (1..10000).</param>
    /// <param name="seed">Seed of the simulated secrets and draws (same seed ⇒ same report).</param>
    /// <param name="calibration">CPU calibration (default <see cref="ConnectCostCalibration.Vm618"/>).</param>
    /// <param name="maxGroups">Simulate at most this many groups (the fullest by occupancy); the rest are dropped.</param>
    public static OccupancyReport Analyze(OccupancySnapshot snapshot, int trials = 32, ulong seed = 1,
        ConnectCostCalibration? calibration = null, int maxGroups = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(trials, 10_000);
        var cal = calibration ?? ConnectCostCalibration.Vm618;
        var range = snapshot.Config.Range;
        var listeners = snapshot.Sockets.Where(s => s.State == TcpSocketState.Listen).ToList();
        var listeningPorts = listeners.Select(s => s.LocalPort).ToHashSet();
        var bindOwned = listeningPorts.Where(range.Contains).Order().ToList();
        var clients = snapshot.Sockets.Where(s => IsClient(s, range, listeningPorts)).ToList();

        var groups = clients
            .GroupBy(s => (s.Ipv6, s.LocalAddress, s.RemoteAddress, s.RemotePort))
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key.LocalAddress, StringComparer.Ordinal)
            .ThenBy(g => g.Key.RemoteAddress, StringComparer.Ordinal).ThenBy(g => g.Key.RemotePort)
            .Take(maxGroups)
            .Select((g, i) => AnalyzeGroup(snapshot, g.Key.Ipv6, g.Key.LocalAddress, g.Key.RemoteAddress, g.Key.RemotePort,
                                           g.ToList(), bindOwned, trials, seed + (ulong)i * 0x9E3779B97F4A7C15UL, cal))
            .OrderBy(g => g.Fit).ThenByDescending(g => g.MeanCandidates).ThenByDescending(g => g.Live + g.TimeWait)
            .ToList();

        var fills = listeners
            .Select(l => new ListenerFill(l.Ipv6, l.LocalAddress, l.LocalPort, l.RxQueue,
                snapshot.Backlogs.TryGetValue((l.Ipv6, l.LocalAddress, l.LocalPort), out var b) ? b : null))
            .OrderByDescending(f => f.Fill ?? -1).ThenByDescending(f => f.AcceptQueue).ThenBy(f => f.Port)
            .ToList();

        return new OccupancyReport
        {
            Groups = groups, Listeners = fills, ClientSockets = clients.Count, TotalSockets = snapshot.Sockets.Count,
            BindOwnedInRange = bindOwned.Count, Calibration = cal,
        };
    }

    /// <summary>The IPv4 address the group is simulated with: itself, or for IPv6 ::1 → 127.0.0.1 and others a stand-in.</summary>
    private static Ipv4Address ModelAddress(bool ipv6, string text, uint standIn)
    {
        if (!ipv6 && Ipv4Address.TryParse(text, out var a, out _)) return a;
        return text == "::1" ? Ipv4Address.Loopback : new Ipv4Address(standIn);
    }

    private static ClientGroup AnalyzeGroup(OccupancySnapshot snap, bool ipv6, string source, string destination, int dport,
        List<ObservedSocket> sockets, List<int> bindOwned, int trials, ulong seed, ConnectCostCalibration cal)
    {
        var src = ModelAddress(ipv6, source, 0x0AFF0001);
        var dst = ModelAddress(ipv6, destination, 0x0AFF0002);
        // One socket per local port (a 4-tuple is unique in ehash).
        var byPort = sockets.GroupBy(s => s.LocalPort).Select(g => g.OrderBy(s => s.State == TcpSocketState.TimeWait).First()).ToList();
        var live = byPort.Where(s => s.State != TcpSocketState.TimeWait).ToList();
        var tw = byPort.Where(s => s.State == TcpSocketState.TimeWait).ToList();

        var draws = new SeededDraws(seed);
        (KernelHost Host, int Ns) Build()
        {
            var host = new KernelHost(snap.Profile, draws, new DrawnPortOffset(draws));
            int ns = host.AddNamespace(snap.Config);
            foreach (var p in bindOwned) host.PlaceBinding(ns, p, Ipv4Address.Any, listening: true);
            foreach (var s in live) host.PlaceConnection(ns, new FourTuple(src, s.LocalPort, dst, dport));
            foreach (var s in tw)
            {
                long remaining = Math.Clamp(s.TimerRemainingMs ?? KernelHost.TimeWaitLengthMs, 1, KernelHost.TimeWaitLengthMs);
                host.PlaceConnection(ns, new FourTuple(src, s.LocalPort, dst, dport), timeWaitSinceMs: NowMs - KernelHost.TimeWaitLengthMs + remaining);
            }
            host.AdvanceTo(NowMs);
            return (host, ns);
        }

        var (host, ns) = Build();
        var results = new List<ConnectResult>(trials);
        PortRange reachable = default;
        int step = 2, reserved = 0, owned = 0, fit = 0, twReusable = 0, blocked = 0;
        for (int t = 0; t < trials; t++)
        {
            int sock = host.Socket(ns);
            var r = host.Connect(sock, dst, dport, NowMs, routedSource: src);
            if (t == 0)
            {
                // Reachable ports from the model's own scan geometry, counted on the untouched state of the
                // first host (the connect above only added its own port, which is excluded by port below).
                step = r.Step;
                reachable = new PortRange(r.ScanRange.Low, r.ScanRange.Low + (int)Math.Max(1, r.Remaining) - 1);
                for (int p = reachable.Low; p <= reachable.High; p++)
                {
                    if (r.Port == p) { fit++; if (r.ReusedTimeWait is not null) twReusable++; continue; }
                    switch (host.StateOf(ns, p))
                    {
                        case PortState.Reserved: reserved++; break;
                        case PortState.BindOwned: owned++; break;
                        case PortState.Free: fit++; break;
                        default:
                            var e = host.Established.Find(ns, new FourTuple(src, p, dst, dport));
                            if (e is null) fit++;
                            else if (e.TimeWait && TimeWaitReuse.IsUnique(snap.Profile, snap.Config, e, NowMs, portPreassigned: false)) { fit++; twReusable++; }
                            else blocked++;
                            break;
                    }
                }
            }
            results.Add(r);
            if (r.Port is null) continue;
            if (r.ReusedTimeWait is not null) (host, ns) = Build();
            else host.Close(sock, NowMs);
        }

        static int Busy(ConnectResult r) => Math.Max(0, r.Counters.Probes - (r.Port is null ? 0 : 1));
        int Count(List<ObservedSocket> xs, int parity) => xs.Count(s => (s.LocalPort & 1) == parity);
        return new ClientGroup
        {
            Ipv6 = ipv6, Source = source, Destination = destination, DestinationPort = dport,
            Live = live.Count, TimeWait = tw.Count, LiveEven = Count(live, 0), LiveOdd = Count(live, 1),
            TimeWaitEven = Count(tw, 0), TimeWaitOdd = Count(tw, 1), TimeWaitReusable = twReusable,
            Reachable = reachable, Step = step, Reserved = reserved, BindOwned = owned, Fit = fit,
            Occupancy = blocked + fit == 0 ? 1.0 : (double)blocked / (blocked + fit),
            Trials = trials,
            MeanCandidates = results.Average(r => r.Counters.Candidates),
            MaxCandidates = results.Max(r => r.Counters.Candidates),
            MeanBusyProbes = results.Average(r => (double)Busy(r)),
            MaxBusyProbes = results.Max(Busy),
            MeanCpuMicroseconds = results.Average(r => cal.CpuMicroseconds(Busy(r))),
            MaxCpuMicroseconds = results.Max(r => cal.CpuMicroseconds(Busy(r))),
            Failures = results.Count(r => r.Port is null),
        };
    }

    /// <summary>A fresh random port_offset for every connect(): the boot secret is unknown.</summary>
    private sealed class DrawnPortOffset(IRandomDraws draws) : IPortOffsetSource
    {
        public ulong PortOffset(Destination destination, long nowMs) => ((ulong)draws.NextU32() << 32) | draws.NextU32();
    }
}
