namespace PortSelection.Validator.Probe;

/// <summary>
/// Opens, loads and attaches one backend's object, or explains in one line why it cannot;
/// <see cref="OpenFirstWorking"/> walks the given order (fentry → kprobe → tracepoint → classic by default; the
/// connect-record checks put cgroup before tracepoint). The cgroup backend's programs are attached to a private
/// <see cref="ProbeCgroup"/> created here and removed with the probe.
/// </summary>
internal static class ProbeLoader
{
    /// <summary>Tries the backends in order; returns the first that works and every attempt.</summary>
    public static (LoadedProbe? Probe, List<BackendAttempt> Attempts) OpenFirstWorking(
        IEnumerable<ProbeBackend> order, string bpfDirectory, ProbeMode mode = ProbeMode.Compact, bool followChildren = false)
    {
        BpfLog.Install();
        var attempts = new List<BackendAttempt>();
        foreach (var backend in order)
        {
            var probe = TryOpen(ProbeBackendSpec.For(backend), bpfDirectory, out var attempt, mode, followChildren);
            attempts.Add(attempt);
            if (probe is not null) return (probe, attempts);
        }
        return (null, attempts);
    }

    /// <summary>Loads and attaches the programs of <paramref name="spec"/> that <paramref name="mode"/> uses (the
    /// object's other programs are not loaded); null with the reason in <paramref name="attempt"/>.</summary>
    public static LoadedProbe? TryOpen(ProbeBackendSpec spec, string bpfDirectory, out BackendAttempt attempt,
        ProbeMode mode = ProbeMode.Compact, bool followChildren = false)
    {
        if (spec.EffectiveMode(mode) is not { } effective)
        {
            attempt = new(spec.Backend, false, $"mode {Name(mode)} is not available on the {Name(spec.Backend)} backend " +
                "(modes by backend: " + string.Join("; ", ProbeBackendSpec.All.Where(s => s.Programs.Any(p => p.Mode is not null))
                    .Select(s => Name(s.Backend) + ": " + string.Join(", ", Enum.GetValues<ProbeMode>().Where(m => s.EffectiveMode(m) == m).Select(Name)))) + ")");
            return null;
        }
        var selected = spec.Programs.Where(p => p.IsUsedIn(mode, followChildren)).ToList();
        var path = Path.Combine(bpfDirectory, spec.ObjectFile);
        if (!File.Exists(path))
        {
            attempt = new(spec.Backend, false, $"object file missing: {path}");
            return null;
        }

        if (spec.Backend == ProbeBackend.Classic && !Tracefs.IsMounted())
        {
            attempt = new(spec.Backend, false, Tracefs.NotMountedReason);
            return null;
        }

        var raw = LibBpf.ObjectOpenFile(path, IntPtr.Zero);
        if (raw == IntPtr.Zero)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            attempt = new(spec.Backend, false, $"bpf_object__open_file({spec.ObjectFile}) failed: {LibC.Describe(errno)}");
            return null;
        }

        var obj = new BpfObjectHandle(raw);
        var links = new List<BpfLinkHandle>();
        var notes = new List<string>();
        ProbeCgroup? cgroup = null;
        try
        {
            var wanted = selected.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            for (var prog = LibBpf.NextProgram(raw, IntPtr.Zero); prog != IntPtr.Zero; prog = LibBpf.NextProgram(raw, prog))
                if (!wanted.Contains(LibBpf.Utf8(LibBpf.ProgramName(prog)) ?? ""))
                    LibBpf.ProgramSetAutoload(prog, 0);

            var programs = new List<(ProbeProgram Program, IntPtr Ptr)>();
            foreach (var p in selected)
            {
                var ptr = LibBpf.FindProgramByName(raw, p.Name);
                if (ptr == IntPtr.Zero)
                {
                    attempt = new(spec.Backend, false, $"program {p.Name} not found in {spec.ObjectFile}");
                    Dispose(links, obj, cgroup);
                    return null;
                }
                programs.Add((p, ptr));
            }

            var rc = LibBpf.ObjectLoad(raw);
            if (rc < 0)
            {
                attempt = new(spec.Backend, false, LoadFailureReason(spec, -rc));
                Dispose(links, obj, cgroup);
                return null;
            }

            if (spec.Attach == ProbeAttach.Cgroup)
            {
                cgroup = ProbeCgroup.TryCreate(out var why);
                if (cgroup is null)
                {
                    attempt = new(spec.Backend, false, why);
                    Dispose(links, obj, cgroup);
                    return null;
                }
            }

            foreach (var (program, ptr) in programs)
            {
                var link = cgroup is not null ? LibBpf.ProgramAttachCgroup(ptr, cgroup.Fd) : LibBpf.ProgramAttach(ptr);
                if (link == IntPtr.Zero)
                {
                    var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                    var section = LibBpf.Utf8(LibBpf.ProgramSectionName(ptr)) ?? program.Name;
                    if (program.Required)
                    {
                        attempt = new(spec.Backend, false, AttachFailureReason(spec, section, errno));
                        Dispose(links, obj, cgroup);
                        return null;
                    }
                    notes.Add($"optional {section} not attached: {LibC.Describe(errno)}");
                    continue;
                }
                links.Add(new BpfLinkHandle(link));
            }

            var maps = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var name in new[] { "pids", "lports", "events", "lost" })
            {
                var map = LibBpf.FindMapByName(raw, name);
                var fd = map == IntPtr.Zero ? -1 : LibBpf.MapFd(map);
                if (fd < 0)
                {
                    attempt = new(spec.Backend, false, $"map {name} missing in {spec.ObjectFile}");
                    Dispose(links, obj, cgroup);
                    return null;
                }
                maps[name] = fd;
            }
            foreach (var name in OptionalMaps)
            {
                var map = LibBpf.FindMapByName(raw, name);
                var fd = map == IntPtr.Zero ? -1 : LibBpf.MapFd(map);
                if (fd >= 0) maps[name] = fd;
            }

            if (cgroup is not null) notes.Add($"attached to {cgroup.Path}");
            attempt = new(spec.Backend, true, notes.Count == 0 ? "ok" : "ok; " + string.Join("; ", notes));
            return new LoadedProbe(spec.Backend, effective, obj, links, maps, cgroup);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            attempt = new(spec.Backend, false, $"libbpf.so.1 unusable: {e.Message}");
            Dispose(links, obj, cgroup);
            return null;
        }
    }

    private static string Name<T>(T value) where T : struct, Enum => Cli.Json.Kebab(value);

    /// <summary>Maps only some objects have: <c>tracegen</c> (generation of the <c>pids</c> filter, cached per thread
    /// by the compact programs; bumped on every change of <c>pids</c>).</summary>
    internal static readonly string[] OptionalMaps = ["tracegen"];

    private static void Dispose(List<BpfLinkHandle> links, BpfObjectHandle obj, ProbeCgroup? cgroup)
    {
        foreach (var l in links) l.Dispose();
        obj.Dispose();
        cgroup?.Dispose();
    }

    private static string LoadFailureReason(ProbeBackendSpec spec, int errno)
    {
        var basic = $"bpf_object__load({spec.ObjectFile}) failed: {LibC.Describe(errno)}";
        var hint = (spec.Backend, errno) switch
        {
            (ProbeBackend.Fentry, 1) => " — the kernel refuses BPF_PROG_TYPE_TRACING (fentry/fexit) programs here (platform policy; no verifier log)",
            (ProbeBackend.Fentry, 524) or (ProbeBackend.Fentry, 95) => " — no BPF trampoline support for this function on this kernel",
            (_, 1) => " — not permitted (needs root with CAP_BPF/CAP_PERFMON)",
            (_, 22) => " — the verifier rejected a program (run with --verbose for the log)",
            _ => "",
        };
        var last = BpfLog.LastMatching("failed to load") ?? BpfLog.LastMatching(spec.ObjectFile.Replace(".o", "", StringComparison.Ordinal));
        return basic + hint + (last is null || hint.Length > 0 ? "" : $" [{last}]");
    }

    private static string AttachFailureReason(ProbeBackendSpec spec, string section, int errno)
    {
        var basic = $"attach {section} failed: {LibC.Describe(errno)}";
        var hint = (spec.Backend, errno) switch
        {
            (ProbeBackend.Kprobe, 2) => " — kprobes are not available on this kernel (CONFIG_KPROBES is off, or the function is not probeable)",
            (ProbeBackend.Kprobe, 95) => " — kprobe attach not supported here",
            (ProbeBackend.Tracepoint, 2) => " — tracepoint not found in this kernel's BTF",
            (ProbeBackend.Classic, 2) => " — tracepoint not found under " + Tracefs.MountPoint + "/events (is tracefs mounted there?)",
            (ProbeBackend.Cgroup, 22) or (ProbeBackend.Cgroup, 95) => " — cgroup BPF links (BPF_LINK_CREATE on a cgroup, 5.7+) are not supported here",
            _ => "",
        };
        return basic + hint;
    }
}

/// <summary>A loaded and attached backend: the object, its links, the shared map fds, and (cgroup backend) the
/// private cgroup the programs are attached to.</summary>
internal sealed class LoadedProbe : IDisposable
{
    private readonly List<BpfLinkHandle> _links;

    public LoadedProbe(ProbeBackend backend, ProbeMode mode, BpfObjectHandle obj, List<BpfLinkHandle> links, Dictionary<string, int> mapFds,
        ProbeCgroup? cgroup = null)
    {
        Backend = backend;
        Mode = mode;
        Object = obj;
        _links = links;
        MapFds = mapFds;
        Cgroup = cgroup;
    }

    /// <summary>The private cgroup of the cgroup backend (traced threads are moved into it); null for the others.</summary>
    public ProbeCgroup? Cgroup { get; }

    public ProbeBackend Backend { get; }

    /// <summary>The mode the loaded programs record in.</summary>
    public ProbeMode Mode { get; }

    public BpfObjectHandle Object { get; }

    public IReadOnlyDictionary<string, int> MapFds { get; }

    public int LinkCount => _links.Count;

    /// <summary>Detaches every link, closes the object (maps and programs go with it), then empties and removes the
    /// private cgroup.</summary>
    public void Dispose()
    {
        foreach (var l in _links) l.Dispose();
        _links.Clear();
        Object.Dispose();
        Cgroup?.Dispose();
    }
}
