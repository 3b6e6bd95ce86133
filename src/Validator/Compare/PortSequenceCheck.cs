using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Validator.Compare;

/// <summary>What the era-E consistency check found for one destination's sequence of chosen ports.</summary>
public sealed record SequenceCheck
{
    /// <summary>Destination port.</summary>
    public required int DestinationPort { get; init; }
    /// <summary>Successful connects.</summary>
    public required int Successes { get; init; }
    /// <summary>1-based ordinal of the first successful connect whose port has the other parity than low (R/2 + 1 when the halves are clean), or null.</summary>
    public int? ParitySwitchAt { get; init; }
    /// <summary>True when every port before the switch has low's parity and none after it.</summary>
    public required bool ParityHalvesClean { get; init; }
    /// <summary>Transitions between consecutive chosen ports checked (re-key boundaries excluded).</summary>
    public required int Transitions { get; init; }
    /// <summary>Transitions explained by <c>T += max(i, 2r) + 2</c> for some feasible start and r ∈ 0..7.</summary>
    public required int Consistent { get; init; }
    /// <summary>Indices (of the later connect) of unexplained transitions.</summary>
    public required IReadOnlyList<int> Misses { get; init; }
    /// <summary>Indices (of the later connect) where the timeseed changed (10 s re-key).</summary>
    public required IReadOnlyList<int> RekeyBoundaries { get; init; }
    /// <summary>Dense-regime exact predictions made.</summary>
    public required int DensePredictions { get; init; }
    /// <summary>Dense predictions that matched the observed port.</summary>
    public required int DenseHits { get; init; }
    /// <summary>Per successful connect (in order): model probes (bind buckets consulted) of the model replay.</summary>
    public required IReadOnlyList<int> ModelProbes { get; init; }
    /// <summary>Per successful connect (in order): all work counters of the model replay.</summary>
    public IReadOnlyList<ScanCounters> ModelCounters { get; init; } = [];
    /// <summary>Per successful connect (in order): true when the model's connect created the bind bucket (the port had none).</summary>
    public IReadOnlyList<bool> ModelCreatedBucket { get; init; } = [];
}

/// <summary>
/// Checks a sequence of ports chosen by connect() towards one destination (sockets kept open, one
/// 10-s key window at a time) against the era-E rule <c>table_perturb[index] += max(i, 2r) + 2</c>
/// (shared/kernel/port-selection.md §3.5, probe-notes §4). The secret makes the absolute start unknown,
/// so the check tracks the set of feasible starts: the starts from which the two-pass parity scan over
/// the then-occupied ports yields the observed port, intersected with the starts reachable from the
/// previous feasible set by one update with some r ∈ 0..7. Dense regime: when every feasible start
/// skipped ≥ 7 busy same-parity ports, the next start is unique and the model (a <see cref="KernelHost"/>
/// replay) predicts the exact next port. Work counters of each connect come from that replay.
/// </summary>
public static class PortSequenceCheck
{
    /// <summary>Runs the check for one destination.</summary>
    /// <param name="profile">Kernel profile (must be era E, step 2).</param>
    /// <param name="range">Namespace port range (even number of ports).</param>
    /// <param name="destinationPort">Destination port (127.0.0.1).</param>
    /// <param name="ports">Chosen ports in order (successful connects only).</param>
    /// <param name="timeSeeds">Timeseed per connect (same length), or null entries when unknown.</param>
    /// <param name="nearRekey">Per connect: within the anchor's uncertainty of a boundary.</param>
    /// <exception cref="ArgumentException">Unsupported era or range, or ports outside the range.</exception>
    public static SequenceCheck Run(KernelProfile profile, PortRange range, int destinationPort,
        IReadOnlyList<int> ports, IReadOnlyList<uint?> timeSeeds, IReadOnlyList<bool> nearRekey)
    {
        if (profile.Era != ConnectEra.E) throw new ArgumentException($"the sequence check models era E (5.18+); kernel {profile.Version} is era {profile.Era}");
        int rem = range.Count;
        if (rem < 4 || rem % 2 != 0) throw new ArgumentException($"the sequence check needs an even range of at least 4 ports (got {rem})");
        foreach (var p in ports)
            if (p < range.Low || p > range.High) throw new ArgumentException($"port {p} outside {range.Low}-{range.High}");

        // Model replay: one namespace, the start of each scan injected through table_perturb[0] with port_offset 0.
        var perturb = new PerturbState(profile.PerturbOrder);
        var host = new KernelHost(profile, new SeededDraws(1), new FixedPortOffset(0), perturb: perturb);
        var ns = host.AddNamespace(NamespaceConfig.DefaultsFor(profile) with { Range = range, Reserved = PortBitmap.Empty });

        var busy = new bool[rem];
        int busyEven = 0;
        var lowParity = range.Low & 1;
        int? paritySwitch = null;
        bool clean = true;
        int transitions = 0, consistent = 0, densePred = 0, denseHits = 0;
        var misses = new List<int>();
        var rekeys = new List<int>();
        var probes = new List<int>(ports.Count);
        var counters = new List<ScanCounters>(ports.Count);
        var created = new List<bool>(ports.Count);
        List<(int S, int I)>? chain = null;

        for (int k = 0; k < ports.Count; k++)
        {
            int q = ports[k] - range.Low;
            if ((ports[k] & 1) != lowParity) paritySwitch ??= k + 1;
            else if (paritySwitch is not null) clean = false;

            bool rekey = k > 0 && timeSeeds[k] is { } t1 && timeSeeds[k - 1] is { } t0 && t1 != t0;
            if (rekey) rekeys.Add(k);
            var feasible = Feasible(busy, busyEven, rem, q);

            if (k > 0 && chain is not null && !rekey)
            {
                // Dense prediction: every feasible start skipped >= 7 busy ports => next start unique.
                if (chain.Count > 0 && chain.All(c => c.I >= 14))
                {
                    var (s0, i0) = chain[0];
                    int next = (s0 + i0 + 2) % rem;
                    densePred++;
                    var predicted = Replay(host, ns, perturb, next, destinationPort, record: false);
                    host.Close(predicted.Socket, 0);
                    if (predicted.Port == ports[k]) denseHits++;
                }
                var reachable = new HashSet<int>();
                foreach (var (s, i) in chain)
                    for (int r = 0; r < 8; r++) reachable.Add((s + Math.Max(i, 2 * r) + 2) % rem);
                var kept = feasible.Where(f => reachable.Contains(f.S)).ToList();
                bool skip = kept.Count == 0 && nearRekey[k];
                if (!skip)
                {
                    transitions++;
                    if (kept.Count > 0) { consistent++; feasible = kept; }
                    else misses.Add(k);
                }
            }
            chain = feasible;

            // Replay the connect from the feasible start with the fewest skipped ports, for the work counters.
            var (bs, _) = feasible.Count > 0 ? feasible.MinBy(f => f.I) : (q & ~1, 0);
            var res = Replay(host, ns, perturb, bs, destinationPort, record: false);
            probes.Add(res.Result.Counters.Probes);
            counters.Add(res.Result.Counters);
            created.Add(res.Result.CreatedBucket);
            if (res.Port != ports[k] && feasible.Count > 0)
                throw new InvalidOperationException($"model replay chose {res.Port} where the feasible start {bs} implies {ports[k]}");
            if (res.Port != ports[k])
            {
                // Port not reachable by the model (e.g. a low-parity gap left): place it to keep the occupied set.
                host.Close(res.Socket, 0);
                host.PlaceConnection(ns, new FourTuple(Ipv4Address.Loopback, ports[k], Ipv4Address.Loopback, destinationPort));
            }
            if (!busy[q]) { busy[q] = true; if ((q & 1) == 0) busyEven++; }
        }

        return new SequenceCheck
        {
            DestinationPort = destinationPort, Successes = ports.Count, ParitySwitchAt = paritySwitch, ParityHalvesClean = clean,
            Transitions = transitions, Consistent = consistent, Misses = misses, RekeyBoundaries = rekeys,
            DensePredictions = densePred, DenseHits = denseHits, ModelProbes = probes,
            ModelCounters = counters, ModelCreatedBucket = created,
        };
    }

    /// <summary>Starts (even offsets) from which the scan yields offset <paramref name="q"/>, with the pass index i.</summary>
    private static List<(int S, int I)> Feasible(bool[] busy, int busyEven, int rem, int q)
    {
        var list = new List<(int, int)>();
        if (busy[q]) return list;
        if ((q & 1) == 0)
        {
            for (int i = 0; i < rem; i += 2)
            {
                int s = ((q - i) % rem + rem) % rem;
                if (i > 0 && !busy[s]) break;
                list.Add((s, i));
            }
        }
        else if (busyEven == rem / 2)
        {
            // Pass 2 begins at start + 1 (the other parity) with i from 0.
            for (int i = 0; i < rem; i += 2)
            {
                int p = ((q - i) % rem + rem) % rem;
                if (i > 0 && !busy[p]) break;
                list.Add(((p - 1 + rem) % rem, i));
            }
        }
        return list;
    }

    private static (int? Port, int Socket, ConnectResult Result) Replay(KernelHost host, int ns, PerturbState perturb, int start, int dport, bool record)
    {
        perturb[0] = (uint)start;
        var sk = host.Socket(ns);
        var r = host.Connect(sk, Ipv4Address.Loopback, dport, 0, record);
        return (r.Port, sk, r);
    }
}
