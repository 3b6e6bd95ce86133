using PortSelection.Validator.Compare;

namespace PortSelection.Validator.Tests.Compare;

public sealed class ScanCostFitTests
{
    [Fact]
    public void Least_absolute_deviations_ignores_a_few_preempted_scans_least_squares_does_not()
    {
        // 2.4 µs + 40 ns/probe, with 5 % of the scans preempted (+100 µs).
        var samples = new List<(int, long)>();
        for (int k = 0; k < 200; k++)
        {
            int probes = k < 100 ? 1 : 500;
            long ns = 2400 + 40L * probes + (k % 7) * 10 + (k % 20 == 3 ? 100_000 : 0);
            samples.Add((probes, ns));
        }
        var lad = ScanCostFit.Fit(samples);
        var ls = ScanCostFit.Fit(samples, CostFitMethod.LeastSquares);
        Assert.Equal(CostFitMethod.LeastAbsoluteDeviations, lad.Method);
        Assert.InRange(lad.NsPerProbe, 39, 41);
        Assert.InRange(lad.FixedNs, 2400, 2500);
        Assert.True(Math.Abs(ls.FixedNs - 2400) > 2000, $"least squares intercept {ls.FixedNs}");
    }

    [Fact]
    public void One_distinct_probe_count_gives_the_median()
    {
        var f = ScanCostFit.Fit([(1, 2000), (1, 2100), (1, 90_000)]);
        Assert.Equal(0, f.NsPerProbe);
        Assert.Equal(2100, f.FixedNs);
    }
}
