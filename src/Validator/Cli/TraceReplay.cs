using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Validator.Compare;

namespace PortSelection.Validator.Cli;

/// <summary>
/// What the validate checks share to replay a recorded probe trace (<c>--trace FILE</c>) offline: reading the file,
/// the kernel profile to model (<c>--kernel</c> or the trace's), the namespace range (<c>--range</c> or the trace's
/// <c>ip_local_port_range</c>), and recording a live fill (<c>--record FILE</c>).
/// </summary>
public static class TraceReplay
{
    /// <summary>Reads <paramref name="path"/>; malformed content becomes a usage error (exit 2).</summary>
    /// <exception cref="UsageException">Not a portsel trace.</exception>
    public static TraceFile Read(string path)
    {
        try { return TraceFile.Read(path); }
        catch (Exception e) when (e is FormatException or IOException) { throw new UsageException($"--trace {path}: {e.Message}"); }
    }

    /// <summary>The kernel release to model and its profile: <paramref name="kernelOption"/> or the trace's.</summary>
    /// <exception cref="UsageException">Unknown release.</exception>
    public static (string Release, KernelProfile Profile) Profile(string? kernelOption, TraceFile trace)
    {
        var release = kernelOption ?? trace.KernelRelease;
        if (!KernelProfile.TryFromRelease(release, out var profile, out var err)) throw new UsageException($"kernel '{release}': {err}");
        return (release, profile!);
    }

    /// <summary>The range: <paramref name="rangeOption"/>, else the recorded <c>ip_local_port_range</c>, else <paramref name="fallback"/>.</summary>
    public static PortRange Range(string? rangeOption, TraceFile trace, PortRange fallback) =>
        rangeOption is { } r ? Parsing.Range("--range", r) : RangeFromSysctls(trace.Sysctls) ?? fallback;

    /// <summary>The recorded <c>net.ipv4.ip_local_port_range</c> ("LOW\tHIGH"), or null when absent or malformed.</summary>
    public static PortRange? RangeFromSysctls(IReadOnlyDictionary<string, string> sysctls)
    {
        if (!sysctls.TryGetValue("net.ipv4.ip_local_port_range", out var v)) return null;
        var parts = v.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && int.TryParse(parts[0], out var lo) && int.TryParse(parts[1], out var hi) && lo > 0 && hi >= lo && hi <= 65535
            ? new PortRange(lo, hi) : null;
    }

    /// <summary>The destination port most connects of the trace went to (0 when there are none).</summary>
    public static int MainDestination(IReadOnlyList<ObservedConnect> connects) =>
        connects.Count == 0 ? 0 : connects.GroupBy(c => c.DestinationPort).OrderByDescending(g => g.Count()).First().Key;

    /// <summary>Writes a live fill's trace to <paramref name="path"/> when one was asked for.</summary>
    public static void Record(string? path, Scenarios.PortFillResult fill)
    {
        if (path is null) return;
        using var f = new FileStream(path, FileMode.Create, FileAccess.Write);
        fill.WriteTrace(f);
    }
}
