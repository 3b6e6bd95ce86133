using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Probe;

/// <summary>
/// The private cgroup v2 of a <see cref="ProbeBackend.Cgroup"/> probe: a <em>threaded</em> child
/// <c>portsel-&lt;pid&gt;-&lt;n&gt;</c> of this process's cgroup (on this machine kind the v2 root,
/// <c>/sys/fs/cgroup/unified</c>, hybrid mode), the programs' attach point. A socket belongs to the cgroup of the
/// task that creates it, and a threaded cgroup can hold single threads (<c>cgroup.threads</c>), so
/// <see cref="Enter"/> moves just the traced thread in and <see cref="Leave"/> moves it back to where it was: the
/// rest of the process (its other threads, the listeners it opened before) stays outside and runs no program.
/// Dispose moves every thread still inside back to this process's cgroup and removes the directory;
/// <see cref="LiveResources"/> does it at process exit or on a signal; <c>portsel cleanup</c> removes what a killed
/// run left (<see cref="NamespaceJanitor"/>). No controller is enabled and no limit is written.
/// </summary>
public sealed class ProbeCgroup : IDisposable
{
    /// <summary>Prefix of every cgroup the project creates (the namespaces' prefix).</summary>
    public const string Prefix = NetworkNamespace.Prefix;

    private static int _counter;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, (string Origin, bool Process)> _moved = [];
    private int _fd;
    private int _disposed;

    private ProbeCgroup(string path, string domain, int fd)
    {
        Path = path;
        Domain = domain;
        _fd = fd;
        LiveResources.Register(this);
    }

    /// <summary>Full path of the cgroup directory.</summary>
    public string Path { get; }

    /// <summary>The cgroup it was created in (this process's cgroup, the threaded domain of the child).</summary>
    public string Domain { get; }

    /// <summary>Directory name, <c>portsel-&lt;pid&gt;-&lt;n&gt;</c>.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>An <c>O_RDONLY | O_DIRECTORY</c> fd of the cgroup, for <c>bpf_program__attach_cgroup</c>.</summary>
    public int Fd => _fd;

    /// <summary>Mount point of the cgroup v2 hierarchy (from <c>/proc/self/mountinfo</c>), or null when none is mounted.
    /// Hybrid systems mount it at <c>/sys/fs/cgroup/unified</c>, unified ones at <c>/sys/fs/cgroup</c>.</summary>
    public static string? MountPoint()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/mountinfo").Take(100_000))
            {
                var f = line.Split(' ');
                var dash = Array.IndexOf(f, "-");
                if (f.Length > 4 && dash > 0 && dash + 1 < f.Length && f[dash + 1] == "cgroup2")
                    return Unescape(f[4]);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    private static string Unescape(string mountinfoPath) =>
        mountinfoPath.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);

    /// <summary>The cgroup v2 path (<c>0::PATH</c> line) in a <c>/proc/.../cgroup</c> file's text; null when absent.</summary>
    public static string? ParseV2Path(string procCgroupText)
    {
        foreach (var line in procCgroupText.Split('\n'))
            if (line.StartsWith("0::", StringComparison.Ordinal)) return line[3..].Trim();
        return null;
    }

    /// <summary>
    /// Creates <c>portsel-&lt;pid&gt;-&lt;n&gt;</c> under this process's cgroup (its threaded domain), makes it
    /// threaded and opens it. Null with a one-line <paramref name="reason"/> when cgroup v2 is not mounted, or a step fails.
    /// </summary>
    public static ProbeCgroup? TryCreate(out string reason)
    {
        var mount = MountPoint();
        if (mount is null)
        {
            reason = "no cgroup v2 hierarchy is mounted (cgroup2 in /proc/self/mountinfo)";
            return null;
        }
        string? own;
        try { own = ParseV2Path(File.ReadAllText("/proc/self/cgroup")); }
        catch (IOException e) { reason = $"cannot read /proc/self/cgroup: {e.Message}"; return null; }
        if (own is null)
        {
            reason = "this process has no cgroup v2 membership (no 0:: line in /proc/self/cgroup)";
            return null;
        }
        var domain = System.IO.Path.Join(mount, own.TrimStart('/'));
        // A thread of ours may sit in a threaded cgroup: its domain is the nearest ancestor that is not threaded.
        for (var i = 0; i < 64 && ReadType(domain) == "threaded"; i++)
            domain = System.IO.Path.GetDirectoryName(domain) ?? mount;

        string? path = null;
        for (var attempt = 0; attempt < 100 && path is null; attempt++)
        {
            var candidate = System.IO.Path.Join(domain, $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}");
            if (LibC.Mkdir(candidate, 0x1ED /* 0755 */) == 0) path = candidate;
            else
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != 17 /* EEXIST */)
                {
                    reason = $"mkdir {candidate} failed: {LibC.Describe(errno)}";
                    return null;
                }
            }
        }
        if (path is null)
        {
            reason = "could not pick a free portsel-* cgroup name";
            return null;
        }

        var rc = WriteFile(System.IO.Path.Join(path, "cgroup.type"), "threaded");
        if (rc != 0)
        {
            LibC.Rmdir(path);
            reason = $"cannot make {path} threaded (cgroup.type): {LibC.Describe(-rc)}";
            return null;
        }
        var fd = LibC.Open(path, LibC.ORdOnly | LibC.ODirectory | LibC.OCloExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            LibC.Rmdir(path);
            reason = $"open {path} failed: {LibC.Describe(errno)}";
            return null;
        }
        reason = "";
        return new ProbeCgroup(path, domain, fd);
    }

    /// <summary>
    /// Moves a thread of this process (by tid), or every thread of another process (by pid), into the cgroup; sockets it
    /// creates from now on run the programs. Returns 0 or <c>-errno</c> (e.g. another process outside this threaded domain).
    /// </summary>
    public int Enter(int id)
    {
        lock (_gate)
        {
            if (_disposed != 0) return -9; // EBADF
            var own = Directory.Exists($"/proc/self/task/{id}");
            if (!own && !Directory.Exists($"/proc/{id}")) return -3; // ESRCH
            string? origin;
            try { origin = ParseV2Path(File.ReadAllText(own ? $"/proc/self/task/{id}/cgroup" : $"/proc/{id}/cgroup")); }
            catch (IOException) { return -3; }
            if (origin is null) return -95; // EOPNOTSUPP
            var originDir = System.IO.Path.Join(MountPoint() ?? "", origin.TrimStart('/'));
            if (originDir == Path) return 0;
            var rc = WriteFile(System.IO.Path.Join(Path, own ? "cgroup.threads" : "cgroup.procs"), id.ToString(CultureInfo.InvariantCulture));
            if (rc == 0 && !_moved.ContainsKey(id)) _moved[id] = (originDir, !own);
            return rc;
        }
    }

    /// <summary>Moves <paramref name="id"/> back to the cgroup it was in before <see cref="Enter"/> (or to
    /// <see cref="Domain"/> when that one is gone). Returns 0 or <c>-errno</c> (-ENOENT when it was not entered).</summary>
    public int Leave(int id)
    {
        lock (_gate)
        {
            if (!_moved.Remove(id, out var m)) return -2;
            return MoveBack(id, m.Origin, m.Process);
        }
    }

    private int MoveBack(int id, string origin, bool process)
    {
        var text = id.ToString(CultureInfo.InvariantCulture);
        var file = process ? "cgroup.procs" : "cgroup.threads";
        var rc = WriteFile(System.IO.Path.Join(origin, file), text);
        if (rc != 0 && origin != Domain) rc = WriteFile(System.IO.Path.Join(Domain, file), text);
        return rc == -3 ? 0 : rc; // ESRCH: the thread is gone, nothing to move
    }

    /// <summary>Thread ids currently in the cgroup (<c>cgroup.threads</c>; at most 100,000).</summary>
    public IReadOnlyList<int> Threads() => ReadIds(System.IO.Path.Join(Path, "cgroup.threads"));

    /// <summary>Moves every thread back, closes the fd and removes the directory (retried for ≈ 1 s while an exiting
    /// thread still populates it). Never throws.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            foreach (var (id, m) in _moved) MoveBack(id, m.Origin, m.Process);
            _moved.Clear();
            var fd = Interlocked.Exchange(ref _fd, -1);
            if (fd >= 0) LibC.Close(fd);
            Remove(Path, Domain, out _);
        }
        LiveResources.Unregister(this);
    }

    /// <summary>
    /// Empties <paramref name="path"/> (its threads go to <paramref name="parent"/>, default: the parent directory) and
    /// removes it; retried for ≈ 1 s. True when the directory is gone; otherwise <paramref name="reason"/> says why.
    /// </summary>
    public static bool Remove(string path, string? parent, out string reason)
    {
        parent ??= System.IO.Path.GetDirectoryName(path) ?? "/";
        reason = "";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            foreach (var tid in ReadIds(System.IO.Path.Join(path, "cgroup.threads")))
                WriteFile(System.IO.Path.Join(parent, "cgroup.threads"), tid.ToString(CultureInfo.InvariantCulture));
            if (LibC.Rmdir(path) == 0) return true;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == 2 /* ENOENT */) return true;
            reason = $"rmdir {path}: {LibC.Describe(errno)}";
            if (errno != 16 /* EBUSY */) return false;
            Thread.Sleep(10);
        }
        return false;
    }

    /// <summary>Paths of <c>portsel-*</c> cgroups under the v2 mount (a bounded walk: depth ≤ 8, ≤ 20,000 directories).</summary>
    public static IReadOnlyList<string> List()
    {
        var mount = MountPoint();
        var found = new List<string>();
        if (mount is null || !Directory.Exists(mount)) return found;
        var queue = new Queue<(string Dir, int Depth)>();
        queue.Enqueue((mount, 0));
        var seen = 0;
        while (queue.Count > 0 && seen < 20_000)
        {
            var (dir, depth) = queue.Dequeue();
            IEnumerable<string> children;
            try { children = Directory.EnumerateDirectories(dir).ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            foreach (var c in children)
            {
                seen++;
                if (System.IO.Path.GetFileName(c).StartsWith(Prefix, StringComparison.Ordinal)) found.Add(c);
                else if (depth < 8) queue.Enqueue((c, depth + 1));
            }
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static string? ReadType(string dir)
    {
        try { return File.ReadAllText(System.IO.Path.Join(dir, "cgroup.type")).Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private static List<int> ReadIds(string file)
    {
        var ids = new List<int>();
        try
        {
            foreach (var line in File.ReadLines(file).Take(100_000))
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) ids.Add(id);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return ids;
    }

    /// <summary>One write(2) of <paramref name="text"/> to a cgroup control file: 0 or <c>-errno</c> (cgroupfs reports the
    /// refusal of a move at the write, which <see cref="File.WriteAllText(string, string?)"/> would turn into a bare IOException).</summary>
    private static unsafe int WriteFile(string file, string text)
    {
        var fd = LibC.Open(file, LibC.OWrOnly | LibC.OCloExec);
        if (fd < 0) return -Marshal.GetLastPInvokeError();
        var bytes = Encoding.ASCII.GetBytes(text);
        int rc = 0;
        fixed (byte* p = bytes)
        {
            if (LibC.Write(fd, p, (nuint)bytes.Length) < 0) rc = -Marshal.GetLastPInvokeError();
        }
        LibC.Close(fd);
        return rc;
    }

    /// <inheritdoc />
    public override string ToString() => $"cgroup {Path}";
}
