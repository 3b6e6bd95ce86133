using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml;

namespace PortSelection.Validator.Tests.Notebooks;

/// <summary>
/// Runs every notebook (notebooks/NN-name.cs, .NET 10 file-based apps) as a process —
/// <c>dotnet run -c Notebooks -p:Optimize=true notebooks/NN-name.cs -- --out &lt;temp&gt;</c> from the repository root — and
/// checks the report: exit 0 within the budget, report.md and report.html written, every SVG that report.md references
/// present, well-formed XML and free of NaN.
/// </summary>
/// <remarks>
/// Build isolation: the notebooks compile src/Model and src/Validator again, in the configuration <c>Notebooks</c>
/// (bin/Notebooks, obj/Notebooks), never in the Debug/Release folders <c>dotnet test</c> or the benchmarks use, and with
/// node reuse and the build server off so no MSBuild process outlives the notebook. The class is in the live collection:
/// the notebooks run one after another and never next to a live-kernel test (notebook 04 runs the live port validation
/// when root, and the build load would disturb the live tests' timings).
/// </remarks>
[Collection(LiveCollection.Name)]
public sealed class NotebookTests(ITestOutputHelper output)
{
    /// <summary>Budget per notebook, build included.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(180);

    public static TheoryData<string> Notebooks => new(
        "01-port-exhaustion", "02-backlog-sizing", "03-kernel-upgrade", "04-model-vs-kernel");

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_runs_and_writes_a_complete_report(string name)
    {
        var root = RepoRoot();
        Assert.True(File.Exists(Path.Combine(root, "notebooks", name + ".cs")), $"notebooks/{name}.cs missing");
        var outDir = Path.Combine(Path.GetTempPath(), $"portsel-nb-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var (exit, stdout, stderr, elapsed) = Run(root, ["run", "-c", "Notebooks", "-p:Optimize=true", $"notebooks/{name}.cs", "--", "--out", outDir]);
            output.WriteLine($"{name}: exit {exit} in {elapsed.TotalSeconds:0.0} s\n{stdout}\n{stderr}");
            Assert.True(exit == 0, $"{name} exited {exit}:\n{stdout}\n{stderr}");
            var md = Path.Combine(outDir, "report.md");
            Assert.True(File.Exists(md), "report.md missing");
            Assert.True(File.Exists(Path.Combine(outDir, "report.html")), "report.html missing");
            var svgs = Regex.Matches(File.ReadAllText(md), @"\]\(([^)\s]+\.svg)\)").Select(m => m.Groups[1].Value).Distinct().ToList();
            Assert.NotEmpty(svgs);
            foreach (var svg in svgs)
            {
                var path = Path.Combine(outDir, svg);
                Assert.True(File.Exists(path), $"{svg} referenced by report.md but missing");
                var text = File.ReadAllText(path);
                Assert.DoesNotContain("NaN", text);
                var xml = new XmlDocument { XmlResolver = null };
                xml.LoadXml(text);
                Assert.Equal("svg", xml.DocumentElement!.LocalName);
            }
        }
        finally
        {
            if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        }
    }

    /// <summary>The folder containing PortSelectionModel.sln, walking up from the test assembly.</summary>
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PortSelectionModel.sln"))) return dir.FullName;
        throw new InvalidOperationException("PortSelectionModel.sln not found above " + AppContext.BaseDirectory);
    }

    private static (int Exit, string Stdout, string Stderr, TimeSpan Elapsed) Run(string root, IReadOnlyList<string> args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var psi = new ProcessStartInfo(dotnet) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["UseSharedCompilation"] = "false";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(Budget))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            Assert.Fail($"{string.Join(' ', args)} exceeded {Budget.TotalSeconds:0} s:\n{stdout.Result}\n{stderr.Result}");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result, sw.Elapsed);
    }
}
