using PortSelection.Validator.Scenarios;

[assembly: AssemblyFixture(typeof(PortSelection.Validator.Tests.LiveSuiteFixture))]

namespace PortSelection.Validator.Tests;

/// <summary>
/// Snapshots the host's port sysctls before the suite and, after it, fails the run if a
/// <c>portsel-</c> namespace or cgroup of this process, a pinned <c>/sys/fs/bpf/portsel*</c> object
/// or a child process is left, or if the host sysctls changed.
/// </summary>
public sealed class LiveSuiteFixture : IDisposable
{
    public const string HostRange = "/proc/sys/net/ipv4/ip_local_port_range";
    public const string HostReserved = "/proc/sys/net/ipv4/ip_local_reserved_ports";

    public LiveSuiteFixture()
    {
        RangeBefore = ReadOrEmpty(HostRange);
        ReservedBefore = ReadOrEmpty(HostReserved);
    }

    public string RangeBefore { get; }
    public string ReservedBefore { get; }

    public static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    /// <summary>Namespaces named after this process.</summary>
    public static IReadOnlyList<string> OurNamespaces() =>
        NamespaceJanitor.ListNamespaces().Where(n => NamespaceJanitor.CreatorPid(n) == Environment.ProcessId).ToList();

    /// <summary>cgroup v2 directories (cgroup probe backend) named after this process.</summary>
    public static IReadOnlyList<string> OurCgroups() =>
        NamespaceJanitor.ListCgroups().Where(p => NamespaceJanitor.CreatorPid(Path.GetFileName(p)) == Environment.ProcessId).ToList();

    /// <summary>Threads of this process that are not in the cgroup v2 they started in (a traced thread not moved back).</summary>
    public static IReadOnlyList<string> OurThreadsInPortselCgroups()
    {
        var list = new List<string>();
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task").Take(10_000))
        {
            try
            {
                var v2 = PortSelection.Validator.Probe.ProbeCgroup.ParseV2Path(File.ReadAllText(Path.Combine(task, "cgroup")));
                if (v2 is not null && v2.Contains("/" + NetworkNamespace.Prefix, StringComparison.Ordinal)) list.Add($"{Path.GetFileName(task)} in {v2}");
            }
            catch (IOException) { }
        }
        return list;
    }

    /// <summary>Live child processes of this process, as "pid comm".</summary>
    public static IReadOnlyList<string> OurChildren()
    {
        var me = Environment.ProcessId;
        var list = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc").Take(100_000))
        {
            var name = Path.GetFileName(dir);
            if (!int.TryParse(name, out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                if (int.Parse(fields[1]) == me) list.Add($"{pid} {stat[(stat.IndexOf('(') + 1)..close]}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        }
        return list;
    }

    public void Dispose()
    {
        var problems = new List<string>();
        var ns = OurNamespaces();
        if (ns.Count > 0) problems.Add("namespaces left: " + string.Join(", ", ns));
        var cgroups = OurCgroups();
        if (cgroups.Count > 0) problems.Add("cgroups left: " + string.Join(", ", cgroups));
        var moved = OurThreadsInPortselCgroups();
        if (moved.Count > 0) problems.Add("threads left in portsel cgroups: " + string.Join(", ", moved));
        var pins = NamespaceJanitor.ListPins();
        if (pins.Count > 0) problems.Add("pinned BPF objects left: " + string.Join(", ", pins));
        var children = OurChildren();
        if (children.Count > 0) problems.Add("child processes left: " + string.Join(", ", children));
        if (ReadOrEmpty(HostRange) != RangeBefore) problems.Add("host ip_local_port_range changed");
        if (ReadOrEmpty(HostReserved) != ReservedBefore) problems.Add("host ip_local_reserved_ports changed");
        if (problems.Count > 0) throw new InvalidOperationException("live suite left traces: " + string.Join("; ", problems));
    }
}
