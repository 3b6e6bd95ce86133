namespace PortSelection.Validator.Reports;

/// <summary>Equal-width histogram of samples: bin i counts samples in [Edges[i], Edges[i+1]); the last bin
/// also includes its upper edge. Non-finite samples are ignored.</summary>
/// <param name="Edges">Bin edges, ascending (one more than <paramref name="Counts"/>).</param>
/// <param name="Counts">Sample count per bin.</param>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<int> Counts)
{
    /// <summary>Total number of samples counted.</summary>
    public int Total => Counts.Sum();

    /// <summary>Builds a histogram with <paramref name="binCount"/> (≥ 1) equal bins spanning
    /// [<paramref name="min"/>, <paramref name="max"/>] (default: the sample range; all-equal samples get a
    /// unit-wide range around them). Samples outside the range are not counted.</summary>
    public static Histogram FromSamples(IEnumerable<double> samples, int binCount, double? min = null, double? max = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        var data = samples.Where(double.IsFinite).ToArray();
        var lo = min ?? (data.Length > 0 ? data.Min() : 0);
        var hi = max ?? (data.Length > 0 ? data.Max() : 1);
        if (!double.IsFinite(lo) || !double.IsFinite(hi)) throw new ArgumentException("histogram range must be finite");
        if (hi < lo) (lo, hi) = (hi, lo);
        if (hi == lo) { lo -= 0.5; hi += 0.5; }
        var width = (hi - lo) / binCount;
        var edges = new double[binCount + 1];
        for (var i = 0; i <= binCount; i++) edges[i] = i == binCount ? hi : lo + i * width;
        var counts = new int[binCount];
        foreach (var v in data)
        {
            if (v < lo || v > hi) continue;
            var b = v == hi ? binCount - 1 : (int)Math.Floor((v - lo) / width);
            counts[Math.Clamp(b, 0, binCount - 1)]++;
        }
        return new Histogram(edges, counts);
    }

    /// <summary>A step series drawing the bars' outline; with <paramref name="normalize"/> the heights are
    /// fractions of <see cref="Total"/> instead of counts.</summary>
    public Series ToSeries(string name, bool normalize = false)
    {
        var total = Math.Max(1, Total);
        double H(int i) => normalize ? (double)Counts[i] / total : Counts[i];
        var pts = new List<ChartPoint>(Counts.Count + 2);
        if (Counts.Count > 0) pts.Add(new ChartPoint(Edges[0], 0));
        for (var i = 0; i < Counts.Count; i++) pts.Add(new ChartPoint(Edges[i], H(i)));
        if (Counts.Count > 0)
        {
            pts.Add(new ChartPoint(Edges[^1], H(Counts.Count - 1)));
            pts.Add(new ChartPoint(Edges[^1], 0));
        }
        return new Series(name, pts, SeriesKind.Step);
    }
}
