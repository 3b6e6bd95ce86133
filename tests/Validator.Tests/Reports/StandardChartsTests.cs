using PortSelection.Validator.Reports;

namespace PortSelection.Validator.Tests.Reports;

public sealed class StandardChartsTests
{
    private static readonly double[] Occ = [0, 0.25, 0.5, 0.75, 0.99];

    public static TheoryData<string> Names => new(["scan", "cpu", "eaddr", "fill", "cdf", "backlog", "mvk"]);

    private static (ChartSpec Spec, int Series) Build(string name) => name switch
    {
        "scan" => (StandardCharts.ScanLengthVsOccupancy(Occ, ("A", [1, 1.3, 2, 4, 100]), ("E", [1, 1.2, 1.8, 3, double.NaN])), 2),
        "cpu" => (StandardCharts.CpuPerConnectVsOccupancy(Occ, [("5.10", [0.1, 0.2, 0.3, 0.5, 5])], logY: true), 1),
        "eaddr" => (StandardCharts.EaddrnotavailOnset([0, 10000, 28232, 30000], ("1 IP", [0, 0, 0, 0.06]), ("2 IPs", [0, 0, 0, 0])), 2),
        "fill" => (StandardCharts.FillSequence([32768, 32770, 32772, 32769]), 1),
        "cdf" => (StandardCharts.ConnectLatencyCdf(("a", [0.2, 0.3, 1000, 3000]), ("b", [])), 2),
        "backlog" => (StandardCharts.BacklogVsDropProbability([16, 128, 4096], ("ρ=0.9", [0.1, 1e-6, 0])), 1),
        "mvk" => (StandardCharts.ModelVsKernel([1, 2, 3], [1, 2, 3], [1.1, 2.1, 2.9], [0.9, 1.8, 2.7], [1.2, 2.3, 3.2],
            AxisSpec.Linear("x"), AxisSpec.Linear("y")), 3),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Standard_chart_renders_valid_deterministic_svg(string name)
    {
        var (spec, count) = Build(name);
        var svg = ChartRenderer.Render(spec);
        var doc = SvgAssert.Valid(svg);
        Assert.Equal(count, SvgAssert.SeriesNames(doc).Length);
        Assert.Equal(svg, ChartRenderer.Render(Build(name).Spec));
    }

    [Fact]
    public void Fill_sequence_keeps_plain_port_numbers()
    {
        var doc = SvgAssert.Valid(ChartRenderer.Render(StandardCharts.FillSequence([32768, 60999])));
        Assert.DoesNotContain(SvgAssert.AxisLabels(doc, "y"), l => l.EndsWith('k'));
    }

    [Fact]
    public void Port_strip_has_one_path_per_present_state_and_counts()
    {
        PortState[] states = [PortState.Free, PortState.Reserved, PortState.UsedEven, PortState.UsedOdd, PortState.UsedEven, PortState.TimeWait, PortState.Free];
        var chart = StandardCharts.PortStrip(32768, states) with { CellsPerRow = 4 };
        var svg = chart.Render();
        var doc = SvgAssert.Valid(svg);
        Assert.Equal(["free", "reserved", "used (even)", "used (odd)", "TIME_WAIT"], SvgAssert.SeriesNames(doc));
        Assert.Contains("used (even): 2", svg, StringComparison.Ordinal);
        Assert.Equal(["32768", "32772"], SvgAssert.AxisLabels(doc, "y"));
        Assert.Equal(svg, chart.Render());
    }

    [Fact]
    public void Port_strip_of_a_full_range_and_of_nothing_render()
    {
        var big = StandardCharts.PortStrip(32768, Enumerable.Range(0, 28232).Select(i => (PortState)(i % 6)).ToArray());
        Assert.Equal(6, SvgAssert.SeriesNames(SvgAssert.Valid(big.Render())).Length);
        var empty = StandardCharts.PortStrip(1024, []);
        Assert.Empty(SvgAssert.SeriesNames(SvgAssert.Valid(empty.Render())));
    }

    [Fact]
    public void Png_export_reports_missing_tool_or_converts()
    {
        var dir = Directory.CreateTempSubdirectory("portsel-png-");
        try
        {
            var svg = Path.Combine(dir.FullName, "a.svg");
            File.WriteAllText(svg, ChartRenderer.Render(Build("mvk").Spec));
            var png = Path.Combine(dir.FullName, "a.png");
            var r = PngExport.Convert(svg, png);
            if (PngExport.IsAvailable)
            {
                Assert.True(r.Converted, r.Message);
                Assert.True(new FileInfo(png).Length > 0);
            }
            else
            {
                Assert.False(r.Converted);
                Assert.Equal(PngExport.NotInstalled, r.Message);
            }
            Assert.False(File.Exists(png + ".tmp"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
