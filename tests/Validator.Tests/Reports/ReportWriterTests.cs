using System.Text.RegularExpressions;
using System.Xml.Linq;
using PortSelection.Validator.Reports;

namespace PortSelection.Validator.Tests.Reports;

public sealed partial class ReportWriterTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("portsel-report-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static ReportDocument Doc() => new(
        "Capacity | report",
        "0.1.0",
        [new("ip_local_port_range", "32768 60999"), new("kernel", "6.18")],
        [
            new ReportSection("Ports", [
                new ReportText("Scan length grows as the range fills."),
                new ReportTable(["occupancy", "scan"], [["50 %", "2"], ["99 %", "100"]]),
                ReportFigure.FromChart("scan length", StandardCharts.ScanLengthVsOccupancy([0, 0.5, 0.99], ("A", [1, 2, 100]))),
                ReportFigure.FromPortStrip("strip", StandardCharts.PortStrip(32768, [PortState.Free, PortState.UsedEven])),
            ]),
            new ReportSection("Queues", [
                ReportFigure.FromChart("cdf", StandardCharts.ConnectLatencyCdf(("a", [1, 2, 3, 4]))),
            ]),
        ]);

    [GeneratedRegex(@"\]\(([^)]+)\)")]
    private static partial Regex MdLink();

    [Fact]
    public void Writes_markdown_html_and_svgs_with_resolving_links()
    {
        var r = ReportWriter.Write(Doc(), _dir.FullName);
        foreach (var f in new[] { "report.md", "report.html", "scan-length.svg", "strip.svg", "cdf.svg" })
            Assert.True(File.Exists(Path.Combine(_dir.FullName, f)), f);
        var md = File.ReadAllText(Path.Combine(_dir.FullName, "report.md"));
        Assert.StartsWith("# Capacity | report\n", md, StringComparison.Ordinal);
        Assert.Contains("Model version: 0.1.0", md, StringComparison.Ordinal);
        Assert.Contains("| ip_local_port_range | 32768 60999 |", md, StringComparison.Ordinal);
        Assert.Contains("| 99 % | 100 |", md, StringComparison.Ordinal);
        var links = MdLink().Matches(md).Select(m => m.Groups[1].Value).ToArray();
        Assert.Contains("scan-length.svg", links);
        Assert.Equal(3, links.Count(l => l.EndsWith(".svg", StringComparison.Ordinal)));
        foreach (var l in links)
        {
            Assert.False(Path.IsPathRooted(l), l);
            Assert.True(File.Exists(Path.Combine(_dir.FullName, l)), l);
        }
        var html = File.ReadAllText(Path.Combine(_dir.FullName, "report.html"));
        Assert.Equal(3, Regex.Count(html, "<svg "));
        Assert.Equal(PngExport.IsAvailable ? "ok" : PngExport.NotInstalled, r.PngStatus);
        Assert.Equal(PngExport.IsAvailable, File.Exists(Path.Combine(_dir.FullName, "cdf.png")));
        Assert.Empty(Directory.GetFiles(_dir.FullName, "*.tmp"));
        foreach (var svg in Directory.GetFiles(_dir.FullName, "*.svg")) SvgAssert.Valid(File.ReadAllText(svg));
    }

    [Fact]
    public void Writing_twice_gives_identical_bytes_and_no_leftovers()
    {
        ReportWriter.Write(Doc(), _dir.FullName, png: false);
        var first = Directory.GetFiles(_dir.FullName).Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
        var r = ReportWriter.Write(Doc(), _dir.FullName, png: false);
        var second = Directory.GetFiles(_dir.FullName).Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
        Assert.Equal(first, second);
        Assert.Equal("skipped", r.PngStatus);
        Assert.Equal(["scan-length.svg", "strip.svg", "cdf.svg", "report.html", "report.md"], r.Files);
    }

    [Fact]
    public void Html_is_well_formed_enough_to_parse_each_inline_svg()
    {
        var html = ReportWriter.Html(Doc());
        var svgs = Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline);
        Assert.Equal(3, svgs.Count);
        foreach (Match m in svgs) XDocument.Parse(m.Value);
        Assert.DoesNotContain("NaN", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_figure_names_are_rejected_before_writing()
    {
        var svg = ChartRenderer.Render(StandardCharts.FillSequence([1, 2]));
        var doc = new ReportDocument("t", "v", [], [new ReportSection("s", [new ReportFigure("a b", "x", svg), new ReportFigure("a-b", "y", svg)])]);
        Assert.Throws<ArgumentException>(() => ReportWriter.Write(doc, _dir.FullName));
        Assert.Empty(_dir.GetFiles());
    }
}
