using PortSelection.Validator.Reports;

namespace PortSelection.Validator.Tests.Reports;

public sealed class HistogramCdfTests
{
    [Fact]
    public void Cdf_of_1_to_4_steps_by_quarters()
    {
        var cdf = Cdf.FromSamples([4, 2, 1, 3, double.NaN]);
        Assert.Equal([1, 2, 3, 4], cdf.Values);
        Assert.Equal([0.25, 0.5, 0.75, 1], cdf.Fractions);
        Assert.Equal(0, cdf.At(0.5));
        Assert.Equal(0.5, cdf.At(2.5));
        Assert.Equal(1, cdf.At(10));
        Assert.Equal(2, cdf.Quantile(0.5));
        Assert.Equal(4, cdf.Quantile(1));
    }

    [Fact]
    public void Cdf_merges_ties()
    {
        var cdf = Cdf.FromSamples([1, 1, 1, 5]);
        Assert.Equal([1, 5], cdf.Values);
        Assert.Equal([0.75, 1], cdf.Fractions);
        var s = cdf.ToSeries("c");
        Assert.Equal(SeriesKind.Step, s.Kind);
        Assert.Equal(new ChartPoint(1, 0), s.Points[0]);
        Assert.Equal(new ChartPoint(5, 1), s.Points[^1]);
    }

    [Fact]
    public void Histogram_counts_half_open_bins_with_closed_last_bin()
    {
        var h = Histogram.FromSamples([0, 1, 1.5, 2, 3, 4, double.PositiveInfinity], 4);
        Assert.Equal([0, 1, 2, 3, 4], h.Edges);
        Assert.Equal([1, 2, 1, 2], h.Counts);
        Assert.Equal(6, h.Total);
    }

    [Fact]
    public void Histogram_with_fixed_range_drops_outside_samples_and_normalizes()
    {
        var h = Histogram.FromSamples([-1, 0.5, 0.5, 1.5, 9], 2, 0, 2);
        Assert.Equal([2, 1], h.Counts);
        var s = h.ToSeries("h", normalize: true);
        Assert.Equal(2.0 / 3, s.Points.Max(p => p.Y), 12);
    }

    [Fact]
    public void Histogram_of_equal_samples_has_a_range()
    {
        var h = Histogram.FromSamples([7, 7, 7], 3);
        Assert.Equal(3, h.Total);
        Assert.True(h.Edges[^1] > h.Edges[0]);
    }
}
