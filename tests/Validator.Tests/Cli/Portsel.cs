using System.Diagnostics;
using System.Text.Json.Nodes;

namespace PortSelection.Validator.Tests.Cli;

/// <summary>Runs the built <c>portsel</c> as a user would (separate process, real exit code and streams).</summary>
internal static class Portsel
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "portsel.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(entireProcessTree: true); throw new TimeoutException("portsel did not finish in 120 s"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public static JsonNode Json(params string[] args)
    {
        var (exit, stdout, stderr) = Run([.. args, "--json"]);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        return JsonNode.Parse(stdout)!;
    }
}
