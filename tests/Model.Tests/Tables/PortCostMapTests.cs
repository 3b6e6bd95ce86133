using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Tests.Tables;

/// <summary>
/// <see cref="PortCostMap"/>: after random insertions, removals and cost changes — from a first cost other than 0 on
/// (before it, a map of members only leaves its word records alone) — the member bitmap, the per-word and per-block
/// sums, <see cref="PortCostMap.CostAt"/> and <see cref="PortCostMap.CostOf"/> (cost digits counted plane by plane,
/// costs of 16 and more looked up) agree with a plain map.
/// </summary>
public class PortCostMapTests
{
    [Fact]
    public void Sums_and_cost_of_word_subsets_match_a_plain_dictionary() =>
        Prop.ForAll(Arb.From(
            from ops in Gen.ArrayOf(
                from kind in Gen.Choose(0, 2)
                from port in Gen.Choose(1000, 1300) // a few words, many collisions
                from cost in Gen.Frequency((6, Gen.Constant(1)), (2, Gen.Choose(2, 5)), (1, Gen.Constant(0)), (1, Gen.Choose(6, 40)))
                select (kind, port, cost), 300)
            from masks in Gen.ArrayOf(ArbMap.Default.GeneratorFor<ulong>(), 8)
            from zeroUntil in Gen.Frequency((1, Gen.Constant(0)), (2, Gen.Choose(0, 300))) // a prefix of members only (cost 0)
            select (ops, masks, zeroUntil)), t =>
        {
            var map = new PortCostMap();
            var plain = new Dictionary<int, int>();
            bool costs = false; // a cost other than 0 was ever given
            for (int i = 0; i < t.ops.Length; i++)
            {
                var (kind, port, cost) = t.ops[i];
                if (i < t.zeroUntil) cost = 0;
                if (kind != 1 && cost != 0 && (kind == 0 || plain.ContainsKey(port))) costs = true;
                // Set + SetCost, or Add; Set(false) or Remove (chosen by a port bit, so both meet the same ports).
                if (kind == 0 && (port & 2) == 0) { map.Set(port, true); plain.TryAdd(port, 0); map.SetCost(port, cost); plain[port] = cost; }
                else if (kind == 0) { map.Add(port, cost); plain[port] = cost; }
                else if (kind == 1 && (port & 2) == 0) { map.Set(port, false); plain.Remove(port); }
                else if (kind == 1) { map.Remove(port); plain.Remove(port); }
                else if (plain.ContainsKey(port) && (port & 4) == 0) { map.SetCost(port, cost); plain[port] = cost; }
                else if (plain.TryGetValue(port, out int had)) { map.AddCost(port, cost - had); plain[port] = cost; } // a chain position moving
                Assert.Equal(costs, map.HasCosts); // until then the word records are left alone
            }
            Assert.Equal(plain.Count, map.Count);
            for (int w = 1000 >> 6; w <= 1300 >> 6; w++)
            {
                ulong members = 0, notOne = 0;
                for (int b = 0; b < 64; b++)
                {
                    int port = (w << 6) | b;
                    if (plain.ContainsKey(port)) members |= 1UL << b;
                    if (plain.GetValueOrDefault(port) != 1) notOne |= 1UL << b;
                    Assert.Equal(plain.GetValueOrDefault(port), map.CostAt(port));
                }
                Assert.Equal(members, map.BitsOf(w));
                Assert.Equal(notOne, map.ExtraOf(w));
                for (int q = 0; q < 2; q++)
                    Assert.Equal(plain.Where(kv => kv.Key >> 6 == w && (kv.Key & 1) == q).Sum(kv => kv.Value), map.WordCost(w, q));
                foreach (var mask in t.masks)
                {
                    ulong subset = members & mask;
                    int expected = 0;
                    for (int b = 0; b < 64; b++) if ((subset >> b & 1) != 0) expected += plain[(w << 6) | b];
                    Assert.Equal(expected, map.CostOf(w, subset));
                }
            }
            for (int k = 1000 >> 9; k <= 1300 >> 9; k++)
                for (int q = 0; q < 2; q++)
                {
                    var inBlock = plain.Where(kv => kv.Key >> 9 == k && (kv.Key & 1) == q).ToList();
                    Assert.Equal(inBlock.Count, map.BlockCount(k, q));
                    Assert.Equal(inBlock.Sum(kv => kv.Value), map.BlockCost(k, q));
                }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));

    [Fact]
    public void Tracked_range_sums_match_a_plain_dictionary() =>
        Prop.ForAll(Arb.From(
            from ops in Gen.ArrayOf(
                from kind in Gen.Choose(0, 2)
                from port in Gen.Choose(990, 1310)
                from cost in Gen.Frequency((6, Gen.Constant(1)), (2, Gen.Choose(2, 5)), (1, Gen.Constant(0)), (1, Gen.Choose(6, 40)))
                select (kind, port, cost), 300)
            from low in Gen.Choose(995, 1150)
            from high in Gen.Choose(1100, 1305)
            from trackAt in Gen.Choose(0, 300)
            select (ops, low, high, trackAt)), t =>
        {
            var map = new PortCostMap();
            var plain = new Dictionary<int, int>();
            for (int i = 0; i < t.ops.Length; i++)
            {
                if (i == t.trackAt) map.TrackRange(t.low, t.high); // tracking starts on a map that already has members
                var (kind, port, cost) = t.ops[i];
                if (kind == 0 && (port & 2) == 0) { map.Set(port, true); plain.TryAdd(port, 0); map.SetCost(port, cost); plain[port] = cost; }
                else if (kind == 0) { map.Add(port, cost); plain[port] = cost; }
                else if (kind == 1 && (port & 2) == 0) { map.Set(port, false); plain.Remove(port); }
                else if (kind == 1) { map.Remove(port); plain.Remove(port); }
                else if (plain.ContainsKey(port)) { map.SetCost(port, cost); plain[port] = cost; }
            }
            if (t.trackAt >= t.ops.Length) map.TrackRange(t.low, t.high);
            Assert.True(map.Tracks(t.low, t.high));
            for (int q = 0; q < 2; q++)
            {
                var inRange = plain.Where(kv => kv.Key >= t.low && kv.Key <= t.high && (kv.Key & 1) == q).ToList();
                Assert.Equal(inRange.Count, map.TrackedCount(q));
                Assert.Equal(inRange.Sum(kv => kv.Value), map.TrackedCost(q));
            }
            ulong parityCounts = (ulong)(uint)plain.Keys.Count(k => (k & 1) == 0) | (ulong)(uint)plain.Keys.Count(k => (k & 1) == 1) << 32;
            Assert.Equal(parityCounts, map.ParityCounts);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
}
