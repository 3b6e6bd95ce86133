using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Simulation;

namespace PortSelection.Model.Tests.Simulation;

/// <summary>
/// <see cref="EhashChains"/> against plain lists (newest first, as the kernel's chains): after random insertions at the
/// head and removals anywhere — chains from empty to a dozen members and more, so the inline record and the rest kept aside both
/// fill and drain — every chain holds the same members in the same order, and the moves told for each change are
/// exactly the position changes of the other members.
/// </summary>
public class EhashChainsTests
{
    private struct Recorder : EhashChains.IMoves
    {
        public Dictionary<uint, int> Moves;

        public void Moved(uint member, int by)
        {
            Assert.False(Moves.ContainsKey(member), $"member {member} told twice");
            Moves[member] = by;
        }
    }

    [Fact]
    public void Chains_and_moves_match_plain_lists()
    {
        int longChains = 0; // scripts whose chains grew past the inline four
        Prop.ForAll(Arb.From(Gen.ArrayOf(
            from push in Gen.Frequency((5, Gen.Constant(true)), (4, Gen.Constant(false)))
            from bucket in Gen.Choose(0, 3)
            from pick in Gen.Choose(0, 1000)
            select (push, bucket, pick), 400)), script =>
        {
            var chains = new EhashChains(4);
            var plain = Enumerable.Range(0, 4).Select(_ => new List<uint>()).ToArray();
            uint next = 1;
            int maxLength = 0;
            foreach (var (push, bucket, pick) in script)
            {
                var list = plain[bucket];
                var rec = new Recorder { Moves = [] };
                var before = list.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
                if (push || list.Count == 0)
                {
                    uint m = next++;
                    chains.Push((uint)bucket, m, ref rec);
                    list.Insert(0, m);
                }
                else
                {
                    uint m = list[pick % list.Count];
                    chains.Remove((uint)bucket, m, ref rec);
                    list.Remove(m);
                }
                // Every member whose position changed was told, by exactly that change; no other.
                var expected = list.Select((m, i) => (m, i)).Where(x => before.ContainsKey(x.m) && before[x.m] != x.i)
                    .ToDictionary(x => x.m, x => x.i - before[x.m]);
                Assert.Equal(expected.OrderBy(kv => kv.Key), rec.Moves.OrderBy(kv => kv.Key));
                maxLength = Math.Max(maxLength, list.Count);
                for (uint b = 0; b < 4; b++)
                {
                    Assert.Equal(plain[b], chains.Members(b));
                    Assert.Equal(plain[b].Count, chains.Length(b));
                }
            }
            if (script.Length > 0 && maxLength > 9) longChains++;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
        Assert.True(longChains > 50, $"only {longChains} of 300 scripts made a chain longer than 9");
    }
}
