namespace PortSelection.Validator.Reports;

/// <summary>Immutable description of an x/y chart; render it with <see cref="ChartRenderer.Render"/>.</summary>
/// <param name="Title">Chart title.</param>
/// <param name="X">Horizontal axis.</param>
/// <param name="Y">Vertical axis.</param>
/// <param name="Series">Series in drawing order (bands are drawn first, whatever their position).</param>
/// <param name="Legend">Legend placement.</param>
/// <param name="Width">SVG width in pixels (at least 200).</param>
/// <param name="Height">SVG height in pixels (at least 150).</param>
public sealed record ChartSpec(
    string Title,
    AxisSpec X,
    AxisSpec Y,
    IReadOnlyList<Series> Series,
    LegendPlacement Legend = LegendPlacement.Auto,
    int Width = 760,
    int Height = 460)
{
    /// <summary>Returns a copy with one more series.</summary>
    public ChartSpec WithSeries(Series series) => this with { Series = [.. Series, series] };

    /// <summary>Returns a copy with another legend placement.</summary>
    public ChartSpec WithLegend(LegendPlacement legend) => this with { Legend = legend };

    /// <summary>Returns a copy with another size.</summary>
    public ChartSpec WithSize(int width, int height) => this with { Width = width, Height = height };
}
