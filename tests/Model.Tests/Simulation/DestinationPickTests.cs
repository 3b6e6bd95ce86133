using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Simulation;

namespace PortSelection.Model.Tests.Simulation;

/// <summary>The simulation's weighted destination pick (binary search, and the guide table the simulation uses) equals the linear rule.</summary>
public class DestinationPickTests
{
    [Fact]
    public void Binary_search_and_guide_table_pick_what_the_linear_scan_picks() =>
        Prop.ForAll(Arb.From(
            from n in Gen.Choose(1, 70)
            from weights in Gen.ArrayOf(Gen.Elements(0.25, 1.0, 1.0, 2.0, 7.5, 1e-6, 1000.0, 0.1), n)
            from picks in Gen.ArrayOf(Gen.Choose(0, 1_000_000), 50)
            select (weights, picks)), t =>
        {
            var cumulative = new double[t.weights.Length];
            double acc = 0;
            for (int d = 0; d < cumulative.Length; d++) cumulative[d] = acc += t.weights[d];
            var picker = new DestinationPicker(cumulative);
            foreach (var p in t.picks.Select(x => x / 1_000_000.0 * acc).Concat(cumulative).Append(0.0).Append(acc))
            {
                int linear = 0;
                while (linear < cumulative.Length - 1 && p >= cumulative[linear]) linear++;
                Assert.Equal(linear, DestinationPicker.Search(cumulative, p));
                Assert.Equal(linear, picker.Pick(p));
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
}
