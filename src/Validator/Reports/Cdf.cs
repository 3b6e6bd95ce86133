namespace PortSelection.Validator.Reports;

/// <summary>Empirical cumulative distribution function: F(x) = (number of samples ≤ x) / n.
/// Non-finite samples are ignored.</summary>
/// <param name="Values">Distinct sample values, ascending.</param>
/// <param name="Fractions">F at each value (the last is 1 when there are samples).</param>
public sealed record Cdf(IReadOnlyList<double> Values, IReadOnlyList<double> Fractions)
{
    /// <summary>Builds the empirical CDF of <paramref name="samples"/>.</summary>
    public static Cdf FromSamples(IEnumerable<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var sorted = samples.Where(double.IsFinite).Order().ToArray();
        var values = new List<double>();
        var fractions = new List<double>();
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i + 1 < sorted.Length && sorted[i + 1] == sorted[i]) continue;
            values.Add(sorted[i]);
            fractions.Add((double)(i + 1) / sorted.Length);
        }
        return new Cdf(values, fractions);
    }

    /// <summary>F(<paramref name="x"/>): fraction of samples ≤ x (0 without samples).</summary>
    public double At(double x)
    {
        var f = 0.0;
        for (var i = 0; i < Values.Count && Values[i] <= x; i++) f = Fractions[i];
        return f;
    }

    /// <summary>Smallest sample value v with F(v) ≥ <paramref name="p"/> (p in (0, 1]); NaN without samples.</summary>
    public double Quantile(double p)
    {
        for (var i = 0; i < Values.Count; i++)
            if (Fractions[i] >= p - 1e-12) return Values[i];
        return double.NaN;
    }

    /// <summary>A step series rising from 0 at the smallest value to 1 at the largest.</summary>
    public Series ToSeries(string name)
    {
        var pts = new List<ChartPoint>(Values.Count + 1);
        if (Values.Count > 0) pts.Add(new ChartPoint(Values[0], 0));
        for (var i = 0; i < Values.Count; i++) pts.Add(new ChartPoint(Values[i], Fractions[i]));
        return new Series(name, pts, SeriesKind.Step);
    }
}
