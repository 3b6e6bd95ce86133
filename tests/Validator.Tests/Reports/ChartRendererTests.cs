using System.Globalization;
using PortSelection.Validator.Reports;

namespace PortSelection.Validator.Tests.Reports;

public sealed class ChartRendererTests
{
    private static ChartSpec AllKinds() => new(
        "All kinds <&>",
        AxisSpec.Linear("Occupancy", "%"),
        AxisSpec.Log("Scan length", "ports"),
        [
            Series.Band("band", [0, 50, 100], [1, 10, 100], [3, 30, 300]),
            Series.Line("line", [0, 50, 100], [2, 20, 200]),
            Series.Step("step", [0, 50, 100], [1, 5, 50]),
            Series.Scatter("scatter", [10, 60, 90], [4, 40, 80]),
        ]);

    [Fact]
    public void Every_series_kind_renders_one_group_each()
    {
        var doc = SvgAssert.Valid(ChartRenderer.Render(AllKinds()));
        Assert.Equal(["band", "line", "step", "scatter"], SvgAssert.SeriesNames(doc));
        Assert.Contains("All kinds <&>", doc.Root!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Log_y_axis_labels_are_decades()
    {
        var spec = new ChartSpec("t", AxisSpec.Linear("x"), AxisSpec.Log("y"), [Series.Line("a", [0, 1, 2], [1, 500, 30000])]);
        var doc = SvgAssert.Valid(ChartRenderer.Render(spec));
        Assert.Equal(["1", "10", "100", "1k", "10k", "100k"], SvgAssert.AxisLabels(doc, "y"));
    }

    [Fact]
    public void Non_finite_and_non_positive_points_are_skipped()
    {
        var spec = new ChartSpec("t", AxisSpec.Log("x"), AxisSpec.Log("y"),
        [
            Series.Line("a", [1, 2, double.NaN, 4, 5, 6], [1, double.PositiveInfinity, 3, 4, -1, 0]),
            Series.Scatter("b", [double.NegativeInfinity, 1], [1, double.NaN]),
            Series.Band("c", [1, 2, 3], [double.NaN, 1, 2], [2, 3, double.PositiveInfinity]),
        ]);
        var doc = SvgAssert.Valid(ChartRenderer.Render(spec));
        Assert.Equal(3, SvgAssert.SeriesNames(doc).Length);
    }

    [Fact]
    public void Empty_and_constant_series_still_render()
    {
        var empty = SvgAssert.Valid(ChartRenderer.Render(new ChartSpec("empty", AxisSpec.Linear("x"), AxisSpec.Linear("y"), [])));
        Assert.Contains("no data", empty.Root!.Value, StringComparison.Ordinal);
        var flat = SvgAssert.Valid(ChartRenderer.Render(new ChartSpec("flat", AxisSpec.Linear("x"), AxisSpec.Linear("y"),
            [Series.Line("c", [5, 5, 5], [28000, 28000, 28000]), Series.Line("e", [], [])])));
        Assert.Equal(2, SvgAssert.SeriesNames(flat).Length);
        Assert.True(SvgAssert.AxisLabels(flat, "y").Length >= 2);
        Assert.True(SvgAssert.AxisLabels(flat, "x").Length >= 2);
    }

    [Fact]
    public void Rendering_is_deterministic_and_culture_independent()
    {
        var a = ChartRenderer.Render(AllKinds());
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            var b = ChartRenderer.Render(AllKinds());
            Assert.Equal(a, b);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
        Assert.DoesNotContain(",5", a, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LegendPlacement.Auto)]
    [InlineData(LegendPlacement.TopLeft)]
    [InlineData(LegendPlacement.BottomRight)]
    [InlineData(LegendPlacement.BottomLeft)]
    [InlineData(LegendPlacement.OutsideRight)]
    [InlineData(LegendPlacement.None)]
    public void Every_legend_placement_renders(LegendPlacement p)
    {
        var doc = SvgAssert.Valid(ChartRenderer.Render(AllKinds().WithLegend(p)));
        var legends = doc.Descendants(SvgAssert.Svg + "g").Count(g => (string?)g.Attribute("class") == "legend");
        Assert.Equal(p == LegendPlacement.None ? 0 : 1, legends);
    }

    [Fact]
    public void Series_styles_differ_without_colour()
    {
        var dashes = Enumerable.Range(0, 8).Select(ChartPalette.Dash).ToArray();
        var markers = Enumerable.Range(0, 8).Select(ChartPalette.Marker).ToArray();
        Assert.Equal(8, dashes.Distinct().Count());
        Assert.Equal(8, markers.Distinct().Count());
        Assert.Equal(8, ChartPalette.Colors.Distinct().Count());
    }

    private static (double X, double W) LegendAndPlot(ChartSpec spec, out double plotRight)
    {
        var doc = SvgAssert.Valid(ChartRenderer.Render(spec));
        var frame = doc.Root!.Elements(SvgAssert.Svg + "rect").Single(r => (string?)r.Attribute("fill") == "none");
        plotRight = (double)frame.Attribute("x")! + (double)frame.Attribute("width")!;
        var legend = doc.Descendants(SvgAssert.Svg + "g").Single(g => (string?)g.Attribute("class") == "legend").Element(SvgAssert.Svg + "rect")!;
        return ((double)legend.Attribute("x")!, (double)legend.Attribute("width")!);
    }

    [Fact]
    public void Auto_legend_moves_outside_when_data_fill_every_corner()
    {
        var grid = Enumerable.Range(0, 400).Select(i => (X: (double)(i % 20), Y: (double)(i / 20))).ToArray();
        var full = new ChartSpec("full", AxisSpec.Linear("x"), AxisSpec.Linear("y"),
            [Series.Scatter("grid", grid.Select(p => p.X).ToArray(), grid.Select(p => p.Y).ToArray())]);
        var (x, _) = LegendAndPlot(full, out var right);
        Assert.True(x > right, $"legend at {x}, plot ends at {right}");

        var rising = new ChartSpec("rising", AxisSpec.Linear("x"), AxisSpec.Linear("y"), [Series.Line("up", [0, 10], [0, 10])]);
        var (x2, w2) = LegendAndPlot(rising, out var right2);
        Assert.True(x2 + w2 <= right2, "legend inside the plot");
    }
}
