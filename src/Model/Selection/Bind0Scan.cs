using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Selection;

/// <summary>
/// bind() with port 0: the reference scan of <c>inet_csk_find_open_port()</c> (4.13+) and of the older
/// <c>inet_csk_get_port()</c> variants (net/ipv4/inet_connection_sock.c).
/// </summary>
/// <remarks>
/// 4.13+ (shared/kernel/port-selection.md §5.3): with SO_REUSEADDR first the lower part
/// <c>[low, low + 2·⌊(hiX−low)/4⌋)</c> then the upper part (no halves when <c>hiX − low &lt; 4</c>);
/// <c>remaining</c> rounded down to even; <c>offset = below(remaining) | 1</c> — the parity opposite to connect()
/// first — then <c>offset − 1</c> for the other parity; step 2 with one wrap subtraction; an owner conflict
/// (relax = false) skips the port; with <c>ip_autobind_reuse</c> (5.7+) the whole search is repeated once with
/// relax = true; failure is EADDRINUSE. 6.3+ clamps by the per-socket range but keeps step 2.
/// 4.6–4.12 (companion of 1580ab63fc9a, §5.2): same shape plus the "smallest fast-reusable bucket" fallback.
/// ≤4.5 (§5.1): random rover, +1 linear scan, smallest-bucket fallback.
/// </remarks>
public static class Bind0Scan
{
    /// <summary>Runs bind(0) for <paramref name="sk"/> in namespace <paramref name="netns"/>.</summary>
    public static BindResult Run(KernelProfile profile, NamespaceConfig config, int netns, uint netHashMix,
        PerSocketRange socketRange, in BindCandidate sk, BindTable bind, IRandomDraws draws, bool record)
    {
        var (range, _) = profile.PerSocketRangeClamp ? socketRange.Clamp(config.Range) : (config.Range, false);
        var run = new Scanner(config, netns, netHashMix, sk, bind, record);
        int? port = profile.Bind0 switch
        {
            Bind0Algorithm.LinearRover => run.Linear(range, draws),
            _ => run.Parity(range, draws, profile.Bind0 == Bind0Algorithm.ParityHalvesSmallest,
                           profile.AutobindReuseSysctl && config.AutobindReuse),
        };
        return new BindResult
        {
            Port = port,
            Error = port is null ? PortError.EADDRINUSE : PortError.None,
            Candidates = run.Log ?? (IReadOnlyList<ScanCandidate>)[],
            Counters = run.Counters,
            Draws = run.Draws,
        };
    }

    private sealed class Scanner(NamespaceConfig config, int netns, uint mix, BindCandidate sk, BindTable bind, bool record)
    {
        public ScanCounters Counters;
        public readonly List<ScanCandidate>? Log = record ? [] : null;
        public readonly List<uint> Draws = [];
        private BindBucket? _smallest;

        /// <summary>0 = usable, 1 = conflict, 2 = reserved.</summary>
        private int Probe(int pass, int i, int port, int half, bool relax, bool trackSmallest)
        {
            Counters.Candidates++;
            if (config.Reserved.Contains(port))
            {
                Counters.Reserved++;
                Log?.Add(new ScanCandidate(pass, i, port, ScanVerdict.Reserved, "reserved", half, relax));
                return 2;
            }
            Counters.Probes++;
            Counters.Locks++;
            var tb = bind.Find(netns, mix, port, out int bn);
            Counters.BhashNodes += bn;
            if (tb is null)
            {
                Log?.Add(new ScanCandidate(pass, i, port, ScanVerdict.Chosen, "free", half, relax));
                return 0;
            }
            Counters.TupleChecks++;
            if (!BindConflict.Any(tb, sk, relax, reusePortOk: false))
            {
                Log?.Add(new ScanCandidate(pass, i, port, ScanVerdict.Chosen, "no conflicting owner", half, relax));
                return 0;
            }
            if (trackSmallest && FastReusable(tb) && (_smallest is null || tb.Owners.Count < _smallest.Owners.Count))
                _smallest = tb;
            Counters.Rescheds++;
            Log?.Add(new ScanCandidate(pass, i, port, ScanVerdict.Conflict, "conflicting owner", half, relax));
            return 1;
        }

        /// <summary>A bucket this socket could share through the fast-reuse flags (the pre-4.13 smallest_size logic).</summary>
        private bool FastReusable(BindBucket tb) =>
            (tb.FastReuse > 0 && sk.Reuse && !sk.Listening) ||
            (tb.FastReusePort > 0 && sk.ReusePort && tb.Owners.All(o => o.Uid == sk.Uid));

        public int? Parity(PortRange range, IRandomDraws draws, bool smallestFallback, bool autobindReuse)
        {
            for (int relaxPass = 0; relaxPass < (autobindReuse ? 2 : 1); relaxPass++)
            {
                bool relax = relaxPass == 1;
                int attemptHalf = sk.Reuse ? 1 : 0;
                while (true)
                {
                    int low = range.Low, hiX = range.High + 1;
                    if (hiX - low < 4) attemptHalf = 0;
                    if (attemptHalf != 0)
                    {
                        int half = low + (((hiX - low) >> 2) << 1);
                        if (attemptHalf == 1) hiX = half; else low = half;
                    }
                    uint remaining = (uint)(hiX - low);
                    if (remaining > 1) remaining &= ~1u;
                    uint draw = draws.Below(remaining);
                    Draws.Add(draw);
                    uint offset = draw | 1u;
                    for (int pass = 1; ; pass++)
                    {
                        int port = low + (int)offset;
                        for (int i = 0; i < remaining; i += 2, port += 2)
                        {
                            if (port >= hiX) port -= (int)remaining;
                            if (Probe(pass, i, port, attemptHalf, relax, smallestFallback) == 0) return port;
                        }
                        if (smallestFallback && _smallest is not null)
                        {
                            Log?.Add(new ScanCandidate(pass, -1, _smallest.Port, ScanVerdict.Chosen, "smallest fast-reusable bucket", attemptHalf, relax));
                            return _smallest.Port;
                        }
                        offset--;
                        if ((offset & 1) != 0) break;
                    }
                    if (attemptHalf == 1) { attemptHalf = 2; continue; }
                    break;
                }
            }
            return null;
        }

        public int? Linear(PortRange range, IRandomDraws draws)
        {
            int remaining = range.Count;
            uint draw = draws.Below((uint)remaining);
            Draws.Add(draw);
            int rover = range.Low + (int)draw;
            for (int i = 0; i < remaining; i++)
            {
                if (Probe(1, i, rover, 0, relax: false, trackSmallest: true) == 0) return rover;
                if (++rover > range.High) rover = range.Low;
            }
            if (_smallest is not null)
            {
                Log?.Add(new ScanCandidate(1, -1, _smallest.Port, ScanVerdict.Chosen, "smallest fast-reusable bucket"));
                return _smallest.Port;
            }
            return null;
        }
    }
}
