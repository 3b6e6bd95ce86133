using System.Diagnostics;

namespace PortSelection.Validator.Scenarios;

/// <summary>Result of running an external tool.</summary>
/// <param name="ExitCode">Exit code (-1 when it timed out and was killed).</param>
/// <param name="StdOut">Standard output.</param>
/// <param name="StdErr">Standard error.</param>
public readonly record struct ToolResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>True on exit code 0.</summary>
    public bool Ok => ExitCode == 0;
}

/// <summary>Runs a short external command (e.g. <c>ip</c>) with a time bound; kills only that
/// process (by its own PID) when the bound is exceeded.</summary>
public static class ExternalTool
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>, waiting at most <paramref name="timeout"/>.</summary>
    public static ToolResult Run(string file, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(10)))
        {
            try { p.Kill(); } catch (InvalidOperationException) { }
            p.WaitForExit(TimeSpan.FromSeconds(5));
            return new ToolResult(-1, "", $"{file} timed out");
        }
        p.WaitForExit();
        return new ToolResult(p.ExitCode, stdout.Result, stderr.Result.Trim());
    }

    /// <summary>Path of <c>ip</c> (iproute2).</summary>
    public static string Ip => File.Exists("/usr/sbin/ip") ? "/usr/sbin/ip" : File.Exists("/sbin/ip") ? "/sbin/ip" : "ip";
}
