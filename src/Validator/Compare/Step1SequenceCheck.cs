using PortSelection.Model.Ports;

namespace PortSelection.Validator.Compare;

/// <summary>What the step-1 consistency check found for one destination's chosen ports.</summary>
/// <param name="Transitions">Transitions checked (re-key boundaries excluded).</param>
/// <param name="Consistent">Transitions explained by <c>T += max(i, r) + 1</c>, r ∈ 0..7.</param>
/// <param name="Misses">Indices (of the later connect) of unexplained transitions.</param>
/// <param name="RekeyBoundaries">Indices where the timeseed changed.</param>
public sealed record Step1Check(int Transitions, int Consistent, IReadOnlyList<int> Misses, IReadOnlyList<int> RekeyBoundaries);

/// <summary>
/// The 6.8+ step-1 scan (<c>IP_LOCAL_PORT_RANGE</c> set, 207184853dbd; port-selection.md §3.7): one pass of step 1
/// from <c>offset = (T + port_offset) % R</c>, then <c>T += max(i, r) + 1</c>. The secret hides the absolute start, so
/// the check tracks the feasible starts (those from which the scan over the occupied ports yields the observed port)
/// and intersects them with the starts reachable from the previous set.
/// </summary>
public static class Step1SequenceCheck
{
    /// <summary>Runs the check over the chosen ports (successful connects only, sockets kept open).</summary>
    /// <exception cref="ArgumentException">A port outside the range.</exception>
    public static Step1Check Run(PortRange range, IReadOnlyList<int> ports, IReadOnlyList<uint?> timeSeeds, IReadOnlyList<bool> nearRekey)
    {
        int rem = range.Count;
        var busy = new bool[rem];
        int transitions = 0, consistent = 0;
        var misses = new List<int>();
        var rekeys = new List<int>();
        List<(int S, int I)>? chain = null;
        for (int k = 0; k < ports.Count; k++)
        {
            if (!range.Contains(ports[k])) throw new ArgumentException($"port {ports[k]} outside {range.Low}-{range.High}");
            int q = ports[k] - range.Low;
            bool rekey = k > 0 && timeSeeds[k] is { } t1 && timeSeeds[k - 1] is { } t0 && t1 != t0;
            if (rekey) rekeys.Add(k);
            var feasible = new List<(int S, int I)>();
            if (!busy[q])
                for (int i = 0; i < rem; i++)
                {
                    int s = ((q - i) % rem + rem) % rem;
                    if (i > 0 && !busy[s]) break;
                    feasible.Add((s, i));
                }
            if (chain is not null && !rekey)
            {
                var reachable = new HashSet<int>();
                foreach (var (s, i) in chain)
                    for (int r = 0; r < 8; r++) reachable.Add((s + Math.Max(i, r) + 1) % rem);
                var kept = feasible.Where(f => reachable.Contains(f.S)).ToList();
                if (!(kept.Count == 0 && nearRekey[k]))
                {
                    transitions++;
                    if (kept.Count > 0) { consistent++; feasible = kept; }
                    else misses.Add(k);
                }
            }
            chain = feasible;
            busy[q] = true;
        }
        return new Step1Check(transitions, consistent, misses, rekeys);
    }
}
