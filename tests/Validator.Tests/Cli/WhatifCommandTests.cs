using System.Diagnostics;

namespace PortSelection.Validator.Tests.Cli;

[CollectionDefinition(nameof(WhatifTiming), DisableParallelization = true)]
public sealed class WhatifTiming;

/// <summary><c>portsel whatif</c> as a user runs it.</summary>
[Collection(nameof(WhatifTiming))]
public class WhatifCommandTests
{
    [Fact]
    public async Task Whatif_without_arguments_answers_in_under_10_seconds()
    {
        // CPU time of the child (user + system), not wall time: the budget is "< 10 s on 2 cores", and the test
        // machine may be shared with other builds.
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "portsel.dll"));
        psi.ArgumentList.Add("whatif");
        using var p = Process.Start(psi)!;
        var outTask = p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errTask = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        // sample the child's CPU time while it runs (it cannot be read after exit on Linux)
        var cpu = TimeSpan.Zero;
        var wall = Stopwatch.StartNew();
        while (!p.WaitForExit(50) && wall.Elapsed.TotalSeconds < 120)
        {
            try { cpu = p.TotalProcessorTime; }
            catch (InvalidOperationException) { break; }
        }
        Assert.True(p.HasExited, "whatif did not finish in 120 s");
        string stdout = await outTask, stderr = await errTask;
        Assert.True(p.ExitCode == 0, stderr);
        Assert.True(cpu.TotalSeconds < 10, $"whatif used {cpu.TotalSeconds:F1} s of CPU");
        Assert.Contains("occupancy", stdout);
        Assert.Contains("listener", stdout);
        Assert.Contains("50–51 %", stdout); // the default rate reaches the parity cliff
    }

    [Fact]
    public void Compare_runs_both_variants_and_the_wider_range_stays_off_the_cliff()
    {
        var j = Portsel.Json("whatif", "--ignore-host", "--compare", "range=32768-60999,1024-65535");
        var v = j["variants"]!.AsArray();
        Assert.Equal(["range=32768-60999", "range=1024-65535"], v.Select(x => (string)x!["name"]!));
        Assert.Equal(28232, (int)v[0]!["capacity_per_destination"]!);
        Assert.Equal(64512, (int)v[1]!["capacity_per_destination"]!);
        double MaxScan(int i) => v[i]!["rows"]!.AsArray().Max(r => (double)r!["scan_mean"]!);
        Assert.True(MaxScan(0) > 14_000, "the default range crosses the parity cliff");
        Assert.True(MaxScan(1) < 100, "the wide range does not");
    }

    [Fact]
    public void Compare_step1_removes_the_cliff_in_text_output()
    {
        var (exit, stdout, stderr) = Portsel.Run("whatif", "--ignore-host", "--compare", "step1=off,on");
        Assert.True(exit == 0, stderr);
        Assert.Contains("[step1=off]", stdout);
        Assert.Contains("[step1=on]", stdout);
    }

    [Theory]
    [InlineData("colour=red,blue")]
    [InlineData("range=1-2-3,4")]
    [InlineData("range")]
    [InlineData("step1=maybe,on")]
    public void Bad_compare_is_one_line_and_exit_2(string compare)
    {
        var (exit, stdout, stderr) = Portsel.Run("whatif", "--ignore-host", "--compare", compare);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith("portsel: --compare", stderr);
    }

    [Fact]
    public void Out_writes_the_report_with_every_chart()
    {
        var dir = Path.Combine(Path.GetTempPath(), "portsel-whatif-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, _, stderr) = Portsel.Run("whatif", "--ignore-host", "--compare", "destinations=1,4", "--out", dir);
            Assert.True(exit == 0, stderr);
            foreach (var f in new[] { "report.md", "report.html", "scan-length-vs-occupancy.svg", "cpu-per-connect-vs-occupancy.svg",
                                      "eaddrnotavail-onset.svg", "fill-sequence.svg", "connect-latency-cdf.svg", "backlog-vs-drop-probability.svg" })
                Assert.True(File.Exists(Path.Combine(dir, f)), f);
            var md = File.ReadAllText(Path.Combine(dir, "report.md"));
            Assert.Contains("destinations=4", md);
            Assert.Contains("Model version", md);
            Assert.StartsWith("<svg", File.ReadAllText(Path.Combine(dir, "scan-length-vs-occupancy.svg")).TrimStart());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
