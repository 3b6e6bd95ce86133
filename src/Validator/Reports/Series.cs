namespace PortSelection.Validator.Reports;

/// <summary>Immutable data series of a chart.</summary>
/// <param name="Name">Legend name.</param>
/// <param name="Points">The points (for a band: the lower curve).</param>
/// <param name="Kind">How the series is drawn.</param>
/// <param name="Upper">For <see cref="SeriesKind.Band"/>: the upper value at each point's x (same length
/// as <paramref name="Points"/>); null otherwise.</param>
public sealed record Series(string Name, IReadOnlyList<ChartPoint> Points, SeriesKind Kind = SeriesKind.Line, IReadOnlyList<double>? Upper = null)
{
    /// <summary>A series from parallel arrays; the shorter length wins.</summary>
    public static Series FromArrays(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, SeriesKind kind = SeriesKind.Line)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var n = Math.Min(x.Count, y.Count);
        var pts = new ChartPoint[n];
        for (var i = 0; i < n; i++) pts[i] = new ChartPoint(x[i], y[i]);
        return new Series(name, pts, kind);
    }

    /// <summary>A line series.</summary>
    public static Series Line(string name, IReadOnlyList<double> x, IReadOnlyList<double> y) => FromArrays(name, x, y, SeriesKind.Line);

    /// <summary>A post-step series.</summary>
    public static Series Step(string name, IReadOnlyList<double> x, IReadOnlyList<double> y) => FromArrays(name, x, y, SeriesKind.Step);

    /// <summary>A scatter series.</summary>
    public static Series Scatter(string name, IReadOnlyList<double> x, IReadOnlyList<double> y) => FromArrays(name, x, y, SeriesKind.Scatter);

    /// <summary>A band between <paramref name="low"/> and <paramref name="high"/>; the shortest length wins.</summary>
    public static Series Band(string name, IReadOnlyList<double> x, IReadOnlyList<double> low, IReadOnlyList<double> high)
    {
        ArgumentNullException.ThrowIfNull(high);
        var lower = FromArrays(name, x, low, SeriesKind.Band);
        var n = Math.Min(lower.Points.Count, high.Count);
        var up = new double[n];
        for (var i = 0; i < n; i++) up[i] = high[i];
        return lower with { Points = lower.Points.Take(n).ToArray(), Upper = up };
    }

    /// <summary>Every y value the series draws (both curves for a band).</summary>
    internal IEnumerable<double> AllY => Upper is null ? Points.Select(p => p.Y) : Points.Select(p => p.Y).Concat(Upper);
}
