namespace PortSelection.Validator.Reports;

/// <summary>A chart: written as <c>&lt;Name&gt;.svg</c> (and <c>.png</c> when <see cref="PngExport"/> can),
/// referenced from report.md by relative path and inlined in report.html.</summary>
/// <param name="Name">File name without extension: letters, digits, '-' and '_' (other characters become '-').</param>
/// <param name="Caption">Caption / alt text.</param>
/// <param name="Svg">The SVG document, e.g. from <see cref="ChartRenderer.Render"/>.</param>
public sealed record ReportFigure(string Name, string Caption, string Svg) : ReportBlock
{
    /// <summary>A figure from a chart description.</summary>
    public static ReportFigure FromChart(string name, ChartSpec chart) =>
        new(name, chart?.Title ?? "", ChartRenderer.Render(chart ?? throw new ArgumentNullException(nameof(chart))));

    /// <summary>A figure from a port strip.</summary>
    public static ReportFigure FromPortStrip(string name, PortStripChart chart) =>
        new(name, chart?.Title ?? "", (chart ?? throw new ArgumentNullException(nameof(chart))).Render());

    /// <summary>The sanitized file stem.</summary>
    public string FileStem
    {
        get
        {
            var chars = (Name ?? "").Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray();
            var s = new string(chars).Trim('-');
            return s.Length == 0 ? "figure" : s;
        }
    }
}
