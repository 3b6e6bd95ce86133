using System.Text.RegularExpressions;

using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Scenarios;

/// <summary>
/// A private network namespace <c>portsel-&lt;pid&gt;-&lt;n&gt;</c> created with <c>ip netns add</c>,
/// with <c>lo</c> up, per-namespace sysctls written from a thread inside it, and a worker thread
/// (<see cref="Thread"/>) for workload code. Dispose stops the thread and deletes the namespace;
/// <see cref="LiveResources"/> does it at process exit if the owner did not; <c>portsel cleanup</c>
/// removes the leftovers of a crashed run.
/// </summary>
public sealed partial class NetworkNamespace : IDisposable
{
    /// <summary>Prefix of every namespace the project creates.</summary>
    public const string Prefix = "portsel-";

    /// <summary>Where <c>ip netns</c> keeps its bind mounts.</summary>
    public const string NetnsDirectory = "/var/run/netns";

    /// <summary>Sysctls recorded in trace headers (those present in the namespace).</summary>
    public static IReadOnlyList<string> RecordedSysctls { get; } =
    [
        "net.ipv4.ip_local_port_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.ip_autobind_reuse",
        "net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_tw_reuse_delay", "net.ipv4.tcp_timestamps",
        "net.core.somaxconn", "net.ipv4.tcp_max_syn_backlog", "net.ipv4.tcp_syncookies",
        "net.ipv4.tcp_syn_retries", "net.ipv4.tcp_synack_retries", "net.ipv4.tcp_syn_linear_timeouts",
        "net.ipv4.tcp_abort_on_overflow", "net.ipv4.tcp_no_metrics_save", "net.ipv4.tcp_max_tw_buckets",
    ];

    private static int _counter;
    private int _disposed;

    private NetworkNamespace(string name, NetnsThread thread)
    {
        Name = name;
        Thread = thread;
    }

    /// <summary>The namespace name, <c>portsel-&lt;pid&gt;-&lt;n&gt;</c>.</summary>
    public string Name { get; }

    /// <summary>The bind-mount path, <c>/var/run/netns/NAME</c>.</summary>
    public string Path => System.IO.Path.Combine(NetnsDirectory, Name);

    /// <summary>The worker thread inside the namespace (its tid can be traced by the probe).</summary>
    public NetnsThread Thread { get; }

    /// <summary>
    /// Creates a fresh namespace, brings <c>lo</c> up and applies <paramref name="sysctls"/>
    /// (keys like <c>net.ipv4.ip_local_port_range</c>; per-namespace only).
    /// </summary>
    /// <exception cref="InvalidOperationException">ip failed, setns failed, or a sysctl write did not
    /// stay inside the namespace.</exception>
    public static NetworkNamespace Create(IReadOnlyDictionary<string, string>? sysctls = null)
    {
        string? name = null;
        for (var attempt = 0; attempt < 100 && name is null; attempt++)
        {
            var candidate = $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}";
            if (File.Exists(System.IO.Path.Combine(NetnsDirectory, candidate))) continue;
            var r = ExternalTool.Run(ExternalTool.Ip, ["netns", "add", candidate]);
            if (r.Ok) name = candidate;
            else if (!r.StdErr.Contains("exists", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"ip netns add {candidate} failed: {r.StdErr}");
        }
        if (name is null) throw new InvalidOperationException("could not pick a free portsel-* namespace name");

        NetnsThread? thread = null;
        try
        {
            var up = ExternalTool.Run(ExternalTool.Ip, ["-n", name, "link", "set", "lo", "up"]);
            if (!up.Ok) throw new InvalidOperationException($"ip -n {name} link set lo up failed: {up.StdErr}");
            thread = new NetnsThread(System.IO.Path.Combine(NetnsDirectory, name));
            var ns = new NetworkNamespace(name, thread);
            LiveResources.Register(ns);
            try
            {
                if (sysctls is not null)
                    foreach (var (k, v) in sysctls) ns.SetSysctl(k, v);
            }
            catch
            {
                ns.Dispose();
                throw;
            }
            return ns;
        }
        catch when (thread is null)
        {
            Delete(name);
            throw;
        }
    }

    [GeneratedRegex(@"^net\.(ipv4|ipv6|core)\.[a-z0-9_]+(\.[a-z0-9_]+)*$")]
    private static partial Regex SysctlKey();

    /// <summary>/proc/sys path of a dotted sysctl key, after checking it is a net.* key.</summary>
    public static string SysctlPath(string key)
    {
        if (!SysctlKey().IsMatch(key))
            throw new ArgumentException($"not a per-namespace net.* sysctl key: {key}", nameof(key));
        return "/proc/sys/" + key.Replace('.', '/');
    }

    /// <summary>
    /// Writes a sysctl from the thread inside the namespace. Guard: the host's value is read
    /// before and after (from a host thread); if it changed, it is restored and this throws.
    /// </summary>
    public void SetSysctl(string key, string value)
    {
        var path = SysctlPath(key);
        var hostBefore = ReadHostFile(path);
        Thread.Invoke(() =>
        {
            if (LibC.ReadLink("/proc/thread-self/ns/net") == NetnsThread.HostNamespaceId)
                throw new InvalidOperationException("refusing to write a sysctl from the host network namespace");
            File.WriteAllText(path, value + "\n");
        }, TimeSpan.FromSeconds(10));
        var hostAfter = ReadHostFile(path);
        if (hostBefore != hostAfter)
        {
            if (hostBefore is not null) WriteHostFileRestore(path, hostBefore);
            throw new InvalidOperationException($"sysctl {key} is not per-namespace (the host value changed; restored)");
        }
    }

    /// <summary>Reads a sysctl as seen inside the namespace (trimmed); null when absent.</summary>
    public string? ReadSysctl(string key)
    {
        var path = SysctlPath(key);
        return Thread.Invoke(() => File.Exists(path) ? File.ReadAllText(path).Trim() : null, TimeSpan.FromSeconds(10));
    }

    /// <summary>The <see cref="RecordedSysctls"/> present in the namespace, with their values.</summary>
    public IReadOnlyDictionary<string, string> SnapshotSysctls()
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var k in RecordedSysctls)
            if (ReadSysctl(k) is { } v) d[k] = v;
        return d;
    }

    private static string? ReadHostFile(string path)
    {
        string? result = null;
        var t = new System.Threading.Thread(() =>
        {
            try { result = File.Exists(path) ? File.ReadAllText(path) : null; } catch (IOException) { }
        });
        t.Start();
        t.Join(TimeSpan.FromSeconds(5));
        return result;
    }

    private static void WriteHostFileRestore(string path, string value)
    {
        var t = new System.Threading.Thread(() =>
        {
            try { File.WriteAllText(path, value); } catch (IOException) { }
        });
        t.Start();
        t.Join(TimeSpan.FromSeconds(5));
    }

    /// <summary>
    /// Deletes a namespace by name the way <c>ip netns del</c> does — lazy unmount of the bind
    /// mount, then unlink — with direct libc calls (no child process, no file descriptor: works
    /// even when the open-file limit is exhausted); falls back to <c>ip netns del</c>.
    /// True when it is gone.
    /// </summary>
    public static bool Delete(string name)
    {
        if (name.Contains('/') || !name.StartsWith(Prefix, StringComparison.Ordinal))
            throw new ArgumentException($"not a {Prefix}* namespace name: {name}", nameof(name));
        var path = System.IO.Path.Combine(NetnsDirectory, name);
        LibC.Umount2(path, LibC.MntDetach);
        LibC.Unlink(path);
        if (!File.Exists(path)) return true;
        try
        {
            var r = ExternalTool.Run(ExternalTool.Ip, ["netns", "del", name]);
            return r.Ok || !File.Exists(path);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            return false;
        }
    }

    /// <summary>Stops the worker thread and deletes the namespace.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Thread.Dispose();
        Delete(Name);
        LiveResources.Unregister(this);
    }

    /// <inheritdoc />
    public override string ToString() => $"netns {Name}";
}
