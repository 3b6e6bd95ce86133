using System.Globalization;
using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Scenarios;

/// <summary>One leftover found by <see cref="NamespaceJanitor"/>.</summary>
/// <param name="Kind">"netns", "cgroup" or "bpf-pin".</param>
/// <param name="Name">Namespace name, cgroup directory or pinned path.</param>
/// <param name="CreatorPid">Pid encoded in the namespace or cgroup name (0 when unknown).</param>
/// <param name="Action">"removed", "kept (creator alive)", or "failed: reason".</param>
public readonly record struct Leftover(string Kind, string Name, int CreatorPid, string Action);

/// <summary>
/// Removes what a crashed run left behind: namespaces <c>portsel-&lt;pid&gt;-&lt;n&gt;</c> and cgroup v2 directories
/// <c>portsel-&lt;pid&gt;-&lt;n&gt;</c> (the cgroup probe backend's, <see cref="ProbeCgroup"/>) whose creator pid is dead —
/// threads still in such a cgroup are moved to its parent first —, and pinned objects <c>/sys/fs/bpf/portsel*</c> (the
/// project never pins; listed in case an older or foreign tool did). Those of live creators are reported, not touched.
/// </summary>
public static class NamespaceJanitor
{
    /// <summary>Where pinned BPF objects would live.</summary>
    public const string BpfFs = "/sys/fs/bpf";

    /// <summary>Names of existing <c>portsel-*</c> namespaces.</summary>
    public static IReadOnlyList<string> ListNamespaces() =>
        Directory.Exists(NetworkNamespace.NetnsDirectory)
            ? Directory.GetFiles(NetworkNamespace.NetnsDirectory, NetworkNamespace.Prefix + "*").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Paths of pinned objects named <c>portsel*</c> under /sys/fs/bpf.</summary>
    public static IReadOnlyList<string> ListPins()
    {
        try
        {
            return Directory.Exists(BpfFs) ? Directory.GetFileSystemEntries(BpfFs, "portsel*").Order(StringComparer.Ordinal).ToList() : [];
        }
        catch (UnauthorizedAccessException) { return []; }
        catch (IOException) { return []; }
    }

    /// <summary>Full paths of existing <c>portsel-*</c> cgroups (see <see cref="ProbeCgroup.List"/>).</summary>
    public static IReadOnlyList<string> ListCgroups() => ProbeCgroup.List();

    /// <summary>The creator pid in <c>portsel-&lt;pid&gt;-&lt;n&gt;</c>, or 0.</summary>
    public static int CreatorPid(string name)
    {
        var parts = name.Split('-');
        return parts.Length == 3 && parts[0] + "-" == NetworkNamespace.Prefix &&
               int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0;
    }

    /// <summary>True when a process with <paramref name="pid"/> exists.</summary>
    public static bool IsAlive(int pid) => pid > 0 && Directory.Exists($"/proc/{pid}");

    /// <summary>Removes leftovers (bounded: at most 10,000 entries) and reports each.</summary>
    public static List<Leftover> Cleanup()
    {
        var report = new List<Leftover>();
        foreach (var name in ListNamespaces().Take(10_000))
        {
            var pid = CreatorPid(name);
            if (IsAlive(pid))
            {
                report.Add(new("netns", name, pid, "kept (creator alive)"));
                continue;
            }
            report.Add(new("netns", name, pid, NetworkNamespace.Delete(name) ? "removed" : "failed: ip netns del failed"));
        }
        foreach (var path in ListCgroups().Take(10_000))
        {
            var pid = CreatorPid(Path.GetFileName(path));
            if (IsAlive(pid))
            {
                report.Add(new("cgroup", path, pid, "kept (creator alive)"));
                continue;
            }
            report.Add(new("cgroup", path, pid, ProbeCgroup.Remove(path, null, out var why) ? "removed" : $"failed: {why}"));
        }
        foreach (var pin in ListPins().Take(10_000))
        {
            try
            {
                File.Delete(pin);
                report.Add(new("bpf-pin", pin, 0, "removed"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                report.Add(new("bpf-pin", pin, 0, $"failed: {e.Message}"));
            }
        }
        return report;
    }
}
