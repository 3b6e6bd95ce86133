using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Simulation;

namespace PortSelection.Model.Tests.Simulation;

/// <summary><see cref="ScanStatistics"/> (selection, no sort) against the nearest-rank definition on a sorted copy.</summary>
public class ScanStatisticsTests
{
    private static ScanStatistics BySorting(int[] samples)
    {
        var s = samples.OrderBy(x => x).ToArray();
        int Rank(double q) => s[Math.Clamp((int)Math.Ceiling(q * s.Length) - 1, 0, s.Length - 1)];
        return new ScanStatistics(s.Length, s.Select(x => (double)x).Sum() / s.Length, Rank(0.50), Rank(0.99), s[^1]);
    }

    [Fact]
    public void Selection_gives_the_nearest_rank_statistics_of_a_sorted_copy() =>
        Prop.ForAll(Arb.From(
            from n in Gen.Choose(1, 3000)
            from spread in Gen.Elements(1, 3, 50, 5000, 65536)
            from xs in Gen.ArrayOf(Gen.Choose(0, spread), n)
            select xs), xs =>
        {
            var expected = BySorting(xs);
            var actual = ScanStatistics.Of(new List<int>(xs));
            Assert.Equal(expected with { Mean = 0 }, actual with { Mean = 0 });
            Assert.Equal(expected.Mean, actual.Mean, 9);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));

    [Fact]
    public void The_histogram_path_gives_the_nearest_rank_statistics_of_a_sorted_copy() =>
        Prop.ForAll(Arb.From(
            from n in Gen.Choose(ScanStatistics.HistogramFrom, 20_000)
            from low in Gen.Elements(0, 1, -5, 1000, int.MinValue / 2)
            from spread in Gen.Elements(0, 1, 7, 1023, 1024, 5000, 131072, int.MaxValue)
            from skew in Gen.Choose(1, 4)
            from seed in Gen.Choose(0, int.MaxValue)
            select (n, low, spread, skew, seed)), t =>
        {
            // Skewed values (most small, a long tail) as scan lengths are, or uniform ones.
            var rng = new Random(t.seed);
            var xs = new int[t.n];
            for (int i = 0; i < xs.Length; i++)
                xs[i] = (int)Math.Clamp(t.low + Math.Floor(t.spread * Math.Pow(rng.NextDouble(), t.skew)), int.MinValue, int.MaxValue);
            var expected = BySorting(xs);
            var actual = ScanStatistics.Of(new List<int>(xs));
            Assert.Equal(expected with { Mean = 0 }, actual with { Mean = 0 });
            Assert.Equal(expected.Mean, actual.Mean, 6);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void Empty_and_single_samples()
    {
        Assert.Equal(default, ScanStatistics.Of(new List<int>()));
        Assert.Equal(new ScanStatistics(1, 7, 7, 7, 7), ScanStatistics.Of(new List<int> { 7 }));
        Assert.Equal(new ScanStatistics(4, 2.5, 2, 4, 4), ScanStatistics.Of(new List<int> { 4, 3, 2, 1 }));
    }
}
