namespace PortSelection.Validator.Probe;

/// <summary>Cheap pre-checks before any live work: root, libbpf, kernel BTF, the BPF objects.</summary>
public static class ProbeAvailability
{
    /// <summary>Folder holding the compiled <c>*.bpf.o</c> (next to portsel.dll).</summary>
    public static string DefaultBpfDirectory => Path.Combine(AppContext.BaseDirectory, "bpf");

    /// <summary>Null when live work can be attempted; otherwise the one-line reason it cannot.</summary>
    public static string? Check(string? bpfDirectory = null)
    {
        if (!OperatingSystem.IsLinux()) return "live probing needs Linux";
        if (LibC.GetEuid() != 0) return $"live probing needs root (CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN for namespaces); running as uid {LibC.GetEuid()}";
        if (!LibBpf.TryLoadLibrary(out var why)) return why;
        if (!File.Exists("/sys/kernel/btf/vmlinux")) return "kernel BTF (/sys/kernel/btf/vmlinux) is missing: CO-RE and tp_btf need CONFIG_DEBUG_INFO_BTF";
        var dir = bpfDirectory ?? DefaultBpfDirectory;
        if (!Directory.Exists(dir) || Directory.GetFiles(dir, "*.bpf.o").Length == 0)
            return $"no BPF objects in {dir} (build with `dotnet build`; needs clang-14)";
        return null;
    }
}
