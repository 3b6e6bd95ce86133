using System.Globalization;
using System.Text;

namespace PortSelection.Validator.Reports;

/// <summary>Renders a <see cref="ChartSpec"/> to a deterministic SVG 1.1 string: the same spec always gives
/// the same bytes (invariant culture, coordinates rounded to 2 decimals, ids derived from the content).
/// Non-finite points, and non-positive points on log axes, are skipped and never written.</summary>
/// <remarks>Every series is one <c>&lt;g data-series="name" data-kind="…"&gt;</c> element; the plot area is
/// clipped so points outside fixed axis ranges do not spill over the labels.</remarks>
public static class ChartRenderer
{
    private const double FontSize = 12;
    private const double TitleSize = 16;
    private const double LegendRow = 18;
    private const double Sample = 28;
    private const int MaxMarkedLinePoints = 30;

    private readonly record struct Rect(double X, double Y, double W, double H)
    {
        public bool Contains(double x, double y) => x >= X && x <= X + W && y >= Y && y <= Y + H;
    }

    /// <summary>Renders <paramref name="spec"/> as an SVG document (no XML declaration, so it can be inlined in HTML).</summary>
    public static string Render(ChartSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var width = Math.Max(200, spec.Width);
        var height = Math.Max(150, spec.Height);
        var series = spec.Series ?? [];
        var xt = AxisTicks.Compute(spec.X, series.SelectMany(s => s.Points.Select(p => p.X)));
        var yt = AxisTicks.Compute(spec.Y, series.SelectMany(s => s.AllY));

        var yLabels = yt.Major.Select(v => yt.Label(v, spec.Y.SiSuffix)).ToArray();
        var xLabels = xt.Major.Select(v => xt.Label(v, spec.X.SiSuffix)).ToArray();
        var maxYLabel = yLabels.Length == 0 ? 0 : yLabels.Max(l => SvgText.Width(l, FontSize));
        var hasLegend = spec.Legend != LegendPlacement.None && series.Count > 0;
        var legendW = hasLegend ? 10 + Sample + 8 + series.Max(s => SvgText.Width(s.Name, FontSize)) + 10 : 0;
        var legendH = hasLegend ? 6 + LegendRow * series.Count + 2 : 0;

        double left = 18 + FontSize + 8 + maxYLabel + 8, top = 44, bottom = 58, right = 24;
        var plot = new Rect(left, top, width - left - right, height - top - bottom);
        var placement = spec.Legend;
        if (hasLegend && placement == LegendPlacement.Auto)
            placement = ChooseLegend(series, xt, yt, plot, legendW, legendH);
        if (hasLegend && placement == LegendPlacement.OutsideRight)
        {
            right += legendW + 12;
            plot = plot with { W = Math.Max(40, width - left - right) };
        }
        plot = plot with { W = Math.Max(40, plot.W), H = Math.Max(40, plot.H) };

        var sb = new StringBuilder(4096);
        SvgText.Open(sb, width, height, spec.Title);
        var clipId = SvgText.StableId("clip", string.Join("|", spec.Title, width, height, string.Join(",", series.Select(s => s.Name))));
        // Clip a little outside the frame so markers on the edge stay whole.
        sb.Append("<defs><clipPath id=\"").Append(clipId).Append("\"><rect x=\"").Append(C(plot.X - 5)).Append("\" y=\"").Append(C(plot.Y - 5))
          .Append("\" width=\"").Append(C(plot.W + 10)).Append("\" height=\"").Append(C(plot.H + 10)).Append("\"/></clipPath></defs>\n");

        WriteGrid(sb, xt, yt, plot);
        WriteSeries(sb, series, xt, yt, plot, clipId);
        sb.Append("<rect x=\"").Append(C(plot.X)).Append("\" y=\"").Append(C(plot.Y)).Append("\" width=\"").Append(C(plot.W))
          .Append("\" height=\"").Append(C(plot.H)).Append("\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1\"/>\n");
        WriteAxes(sb, xt, yt, xLabels, yLabels, plot);

        // Axis titles and chart title.
        SvgText.Text(sb, plot.X + plot.W / 2, height - 12, spec.X.Title, FontSize + 1, "middle", "class=\"axis-title x\"");
        var yx = 18;
        var yy = plot.Y + plot.H / 2;
        SvgText.Text(sb, yx, yy, spec.Y.Title, FontSize + 1, "middle",
            $"class=\"axis-title y\" transform=\"rotate(-90 {C(yx)} {C(yy)})\"");
        SvgText.Text(sb, width / 2.0, 26, spec.Title, TitleSize, "middle", "font-weight=\"bold\" class=\"chart-title\"");

        if (!series.Any(s => s.Points.Any(p => double.IsFinite(xt.Fraction(p.X)) && double.IsFinite(yt.Fraction(p.Y)))))
            SvgText.Text(sb, plot.X + plot.W / 2, plot.Y + plot.H / 2, "no data", FontSize + 2, "middle", "fill=\"#777777\"");

        if (hasLegend) WriteLegend(sb, series, LegendRect(placement, plot, legendW, legendH));
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string C(double v) => TickLabel.Coord(Math.Clamp(v, -1e5, 1e5));

    private static double Px(AxisTicks xt, Rect plot, double v) => plot.X + xt.Fraction(v) * plot.W;

    private static double Py(AxisTicks yt, Rect plot, double v) => plot.Y + plot.H - yt.Fraction(v) * plot.H;

    private static Rect LegendRect(LegendPlacement p, Rect plot, double w, double h) => p switch
    {
        LegendPlacement.TopLeft => new Rect(plot.X + 8, plot.Y + 8, w, h),
        LegendPlacement.BottomRight => new Rect(plot.X + plot.W - w - 8, plot.Y + plot.H - h - 8, w, h),
        LegendPlacement.BottomLeft => new Rect(plot.X + 8, plot.Y + plot.H - h - 8, w, h),
        LegendPlacement.OutsideRight => new Rect(plot.X + plot.W + 12, plot.Y, w, h),
        _ => new Rect(plot.X + plot.W - w - 8, plot.Y + 8, w, h),
    };

    private static LegendPlacement ChooseLegend(IReadOnlyList<Series> series, AxisTicks xt, AxisTicks yt, Rect plot, double w, double h)
    {
        LegendPlacement[] corners = [LegendPlacement.TopRight, LegendPlacement.TopLeft, LegendPlacement.BottomRight, LegendPlacement.BottomLeft];
        var samples = new List<(double X, double Y)>();
        foreach (var s in series)
        {
            (double X, double Y)? prev = null;
            for (var i = 0; i < s.Points.Count; i++)
            {
                var p = s.Points[i];
                var x = Px(xt, plot, p.X);
                var ys = new List<double> { Py(yt, plot, p.Y) };
                if (s.Upper is not null && i < s.Upper.Count) ys.Add(Py(yt, plot, s.Upper[i]));
                foreach (var y in ys)
                {
                    if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
                    samples.Add((x, y));
                }
                var y0 = ys[0];
                if (!double.IsFinite(x) || !double.IsFinite(y0)) { prev = null; continue; }
                if (prev is { } q && s.Kind != SeriesKind.Scatter)
                {
                    for (var k = 1; k < 12; k++)
                    {
                        var t = k / 12.0;
                        samples.Add((q.X + (x - q.X) * t, s.Kind == SeriesKind.Step ? q.Y : q.Y + (y0 - q.Y) * t));
                    }
                    if (s.Kind == SeriesKind.Step)
                        for (var k = 1; k < 12; k++) samples.Add((x, q.Y + (y0 - q.Y) * k / 12.0));
                }
                prev = (x, y0);
            }
        }
        var best = LegendPlacement.OutsideRight;
        var bestCount = int.MaxValue;
        foreach (var c in corners)
        {
            var r = LegendRect(c, plot, w, h);
            var inflated = new Rect(r.X - 4, r.Y - 4, r.W + 8, r.H + 8);
            var count = samples.Count(p => inflated.Contains(p.X, p.Y));
            if (count < bestCount) { best = c; bestCount = count; }
        }
        return bestCount == 0 ? best : LegendPlacement.OutsideRight;
    }

    private static void WriteGrid(StringBuilder sb, AxisTicks xt, AxisTicks yt, Rect plot)
    {
        sb.Append("<g class=\"grid\" stroke-width=\"1\">\n");
        foreach (var (ticks, color) in new[] { (xt.Minor, "#F0F0F0"), (xt.Major, "#DDDDDD") })
        {
            foreach (var v in ticks)
            {
                var x = Px(xt, plot, v);
                if (!double.IsFinite(x)) continue;
                sb.Append("<line x1=\"").Append(C(x)).Append("\" y1=\"").Append(C(plot.Y)).Append("\" x2=\"").Append(C(x))
                  .Append("\" y2=\"").Append(C(plot.Y + plot.H)).Append("\" stroke=\"").Append(color).Append("\"/>\n");
            }
        }
        foreach (var (ticks, color) in new[] { (yt.Minor, "#F0F0F0"), (yt.Major, "#DDDDDD") })
        {
            foreach (var v in ticks)
            {
                var y = Py(yt, plot, v);
                if (!double.IsFinite(y)) continue;
                sb.Append("<line x1=\"").Append(C(plot.X)).Append("\" y1=\"").Append(C(y)).Append("\" x2=\"").Append(C(plot.X + plot.W))
                  .Append("\" y2=\"").Append(C(y)).Append("\" stroke=\"").Append(color).Append("\"/>\n");
            }
        }
        sb.Append("</g>\n");
    }

    private static void WriteAxes(StringBuilder sb, AxisTicks xt, AxisTicks yt, string[] xLabels, string[] yLabels, Rect plot)
    {
        sb.Append("<g class=\"axis x\" font-size=\"").Append(C(FontSize)).Append("\" text-anchor=\"middle\">\n");
        var xEvery = LabelStride(xt.Major.Count, plot.W, xLabels.Length == 0 ? 0 : xLabels.Max(l => SvgText.Width(l, FontSize)) + 10);
        var baseY = plot.Y + plot.H;
        foreach (var v in xt.Minor) TickLine(sb, Px(xt, plot, v), baseY, Px(xt, plot, v), baseY + 3);
        for (var i = 0; i < xt.Major.Count; i++)
        {
            var x = Px(xt, plot, xt.Major[i]);
            TickLine(sb, x, baseY, x, baseY + 6);
            if (i % xEvery != 0) continue;
            sb.Append("<text x=\"").Append(C(x)).Append("\" y=\"").Append(C(baseY + 20)).Append("\">").Append(SvgText.Escape(xLabels[i])).Append("</text>\n");
        }
        sb.Append("</g>\n");
        sb.Append("<g class=\"axis y\" font-size=\"").Append(C(FontSize)).Append("\" text-anchor=\"end\">\n");
        var yEvery = LabelStride(yt.Major.Count, plot.H, FontSize + 4);
        foreach (var v in yt.Minor) TickLine(sb, plot.X - 3, Py(yt, plot, v), plot.X, Py(yt, plot, v));
        for (var i = 0; i < yt.Major.Count; i++)
        {
            var y = Py(yt, plot, yt.Major[i]);
            TickLine(sb, plot.X - 6, y, plot.X, y);
            if (i % yEvery != 0) continue;
            sb.Append("<text x=\"").Append(C(plot.X - 9)).Append("\" y=\"").Append(C(y + FontSize * 0.35)).Append("\">").Append(SvgText.Escape(yLabels[i])).Append("</text>\n");
        }
        sb.Append("</g>\n");
    }

    private static int LabelStride(int count, double length, double needed)
    {
        if (count < 2) return 1;
        var spacing = length / (count - 1);
        return Math.Max(1, (int)Math.Ceiling(needed / Math.Max(1, spacing) - 1e-9));
    }

    private static void TickLine(StringBuilder sb, double x1, double y1, double x2, double y2)
    {
        if (!double.IsFinite(x1) || !double.IsFinite(y1) || !double.IsFinite(x2) || !double.IsFinite(y2)) return;
        sb.Append("<line x1=\"").Append(C(x1)).Append("\" y1=\"").Append(C(y1)).Append("\" x2=\"").Append(C(x2)).Append("\" y2=\"")
          .Append(C(y2)).Append("\" stroke=\"#333333\"/>\n");
    }

    private static void WriteSeries(StringBuilder sb, IReadOnlyList<Series> series, AxisTicks xt, AxisTicks yt, Rect plot, string clipId)
    {
        sb.Append("<g clip-path=\"url(#").Append(clipId).Append(")\">\n");
        var order = Enumerable.Range(0, series.Count).OrderBy(i => series[i].Kind == SeriesKind.Band ? 0 : 1).ThenBy(i => i);
        foreach (var i in order)
        {
            var s = series[i];
            var color = ChartPalette.Color(i);
            sb.Append("<g data-series=\"").Append(SvgText.Escape(s.Name)).Append("\" data-kind=\"")
              .Append(s.Kind.ToString().ToLowerInvariant()).Append("\">\n");
            var pts = s.Points.Select(p => (X: Px(xt, plot, p.X), Y: Py(yt, plot, p.Y))).ToArray();
            switch (s.Kind)
            {
                case SeriesKind.Band:
                    var d = BandPath(s, xt, yt, plot);
                    if (d.Length > 0)
                        sb.Append("<path d=\"").Append(d).Append("\" fill=\"").Append(color).Append("\" fill-opacity=\"0.25\" stroke=\"none\"/>\n");
                    break;
                case SeriesKind.Scatter:
                    WriteMarkers(sb, pts, ChartPalette.Marker(i), color, 3.5);
                    break;
                default:
                    var lp = LinePath(pts, s.Kind == SeriesKind.Step);
                    if (lp.Length > 0)
                    {
                        sb.Append("<path d=\"").Append(lp).Append("\" fill=\"none\" stroke=\"").Append(color).Append("\" stroke-width=\"2\"");
                        var dash = ChartPalette.Dash(i);
                        if (dash.Length > 0) sb.Append(" stroke-dasharray=\"").Append(dash).Append('"');
                        sb.Append(" stroke-linejoin=\"round\"/>\n");
                    }
                    if (s.Kind == SeriesKind.Line && pts.Count(Valid) <= MaxMarkedLinePoints)
                        WriteMarkers(sb, pts, ChartPalette.Marker(i), color, 3);
                    break;
            }
            sb.Append("</g>\n");
        }
        sb.Append("</g>\n");
    }

    private static bool Valid((double X, double Y) p) => double.IsFinite(p.X) && double.IsFinite(p.Y);

    private static string LinePath((double X, double Y)[] pts, bool step)
    {
        var sb = new StringBuilder();
        (double X, double Y)? prev = null;
        foreach (var p in pts)
        {
            if (!Valid(p)) { prev = null; continue; }
            if (prev is not { } q) sb.Append('M').Append(C(p.X)).Append(' ').Append(C(p.Y));
            else if (step) sb.Append('H').Append(C(p.X)).Append('V').Append(C(p.Y));
            else sb.Append('L').Append(C(p.X)).Append(' ').Append(C(p.Y));
            prev = p;
        }
        return sb.ToString();
    }

    private static string BandPath(Series s, AxisTicks xt, AxisTicks yt, Rect plot)
    {
        var sb = new StringBuilder();
        var upper = s.Upper ?? [];
        var run = new List<(double X, double Lo, double Hi)>();
        void Flush()
        {
            if (run.Count >= 2)
            {
                sb.Append('M').Append(C(run[0].X)).Append(' ').Append(C(run[0].Hi));
                for (var k = 1; k < run.Count; k++) sb.Append('L').Append(C(run[k].X)).Append(' ').Append(C(run[k].Hi));
                for (var k = run.Count - 1; k >= 0; k--) sb.Append('L').Append(C(run[k].X)).Append(' ').Append(C(run[k].Lo));
                sb.Append('Z');
            }
            run.Clear();
        }
        for (var i = 0; i < s.Points.Count; i++)
        {
            var x = Px(xt, plot, s.Points[i].X);
            var lo = Py(yt, plot, s.Points[i].Y);
            var hi = i < upper.Count ? Py(yt, plot, upper[i]) : double.NaN;
            if (double.IsFinite(x) && double.IsFinite(lo) && double.IsFinite(hi)) run.Add((x, lo, hi));
            else Flush();
        }
        Flush();
        return sb.ToString();
    }

    private static void WriteMarkers(StringBuilder sb, (double X, double Y)[] pts, MarkerShape shape, string color, double r)
    {
        var d = new StringBuilder();
        foreach (var p in pts.Where(Valid)) d.Append(MarkerPath(shape, p.X, p.Y, r));
        if (d.Length == 0) return;
        AppendMarkerPath(sb, d.ToString(), shape, color);
    }

    private static void AppendMarkerPath(StringBuilder sb, string d, MarkerShape shape, string color)
    {
        var stroked = shape is MarkerShape.Cross or MarkerShape.Plus or MarkerShape.Star;
        sb.Append("<path d=\"").Append(d).Append('"');
        sb.Append(stroked ? $" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\"/>\n" : $" fill=\"{color}\" stroke=\"none\"/>\n");
    }

    internal static string MarkerPath(MarkerShape shape, double x, double y, double r)
    {
        string P(double a, double b) => C(a) + " " + C(b);
        return shape switch
        {
            MarkerShape.Square => $"M{P(x - r, y - r)}H{C(x + r)}V{C(y + r)}H{C(x - r)}Z",
            MarkerShape.TriangleUp => $"M{P(x, y - r * 1.2)}L{P(x + r * 1.1, y + r * 0.8)}L{P(x - r * 1.1, y + r * 0.8)}Z",
            MarkerShape.TriangleDown => $"M{P(x, y + r * 1.2)}L{P(x + r * 1.1, y - r * 0.8)}L{P(x - r * 1.1, y - r * 0.8)}Z",
            MarkerShape.Diamond => $"M{P(x, y - r * 1.3)}L{P(x + r, y)}L{P(x, y + r * 1.3)}L{P(x - r, y)}Z",
            MarkerShape.Cross => $"M{P(x - r, y - r)}L{P(x + r, y + r)}M{P(x - r, y + r)}L{P(x + r, y - r)}",
            MarkerShape.Plus => $"M{P(x - r, y)}H{C(x + r)}M{P(x, y - r)}V{C(y + r)}",
            MarkerShape.Star => $"M{P(x - r, y)}H{C(x + r)}M{P(x, y - r)}V{C(y + r)}M{P(x - r * 0.7, y - r * 0.7)}L{P(x + r * 0.7, y + r * 0.7)}M{P(x - r * 0.7, y + r * 0.7)}L{P(x + r * 0.7, y - r * 0.7)}",
            _ => $"M{P(x - r, y)}A{P(r, r)} 0 1 0 {P(x + r, y)}A{P(r, r)} 0 1 0 {P(x - r, y)}Z",
        };
    }

    private static void WriteLegend(StringBuilder sb, IReadOnlyList<Series> series, Rect r)
    {
        sb.Append("<g class=\"legend\" font-size=\"").Append(C(FontSize)).Append("\">\n");
        sb.Append("<rect x=\"").Append(C(r.X)).Append("\" y=\"").Append(C(r.Y)).Append("\" width=\"").Append(C(r.W)).Append("\" height=\"")
          .Append(C(r.H)).Append("\" fill=\"#FFFFFF\" fill-opacity=\"0.9\" stroke=\"#999999\"/>\n");
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var color = ChartPalette.Color(i);
            var cy = r.Y + 6 + LegendRow * i + LegendRow / 2;
            var x0 = r.X + 10;
            switch (s.Kind)
            {
                case SeriesKind.Band:
                    sb.Append("<rect x=\"").Append(C(x0)).Append("\" y=\"").Append(C(cy - 6)).Append("\" width=\"").Append(C(Sample))
                      .Append("\" height=\"12\" fill=\"").Append(color).Append("\" fill-opacity=\"0.25\"/>\n");
                    break;
                case SeriesKind.Scatter:
                    AppendMarkerPath(sb, MarkerPath(ChartPalette.Marker(i), x0 + Sample / 2, cy, 3.5), ChartPalette.Marker(i), color);
                    break;
                default:
                    sb.Append("<line x1=\"").Append(C(x0)).Append("\" y1=\"").Append(C(cy)).Append("\" x2=\"").Append(C(x0 + Sample))
                      .Append("\" y2=\"").Append(C(cy)).Append("\" stroke=\"").Append(color).Append("\" stroke-width=\"2\"");
                    var dash = ChartPalette.Dash(i);
                    if (dash.Length > 0) sb.Append(" stroke-dasharray=\"").Append(dash).Append('"');
                    sb.Append("/>\n");
                    if (s.Kind == SeriesKind.Line && s.Points.Count <= MaxMarkedLinePoints)
                        AppendMarkerPath(sb, MarkerPath(ChartPalette.Marker(i), x0 + Sample / 2, cy, 3), ChartPalette.Marker(i), color);
                    break;
            }
            SvgText.Text(sb, x0 + Sample + 8, cy + FontSize * 0.35, s.Name, FontSize);
        }
        sb.Append("</g>\n");
    }
}
