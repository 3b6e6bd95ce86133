using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PortSelection.Validator.Probe;

/// <summary>
/// The only code that calls <c>libbpf.so.1</c> (libbpf 1.x runtime; no dev package needed).
/// Pointer-returning calls return <see cref="IntPtr.Zero"/> and set errno (read with
/// <see cref="Marshal.GetLastPInvokeError"/>); int-returning calls return <c>-errno</c>.
/// Nothing here throws: callers turn error codes into messages.
/// </summary>
internal static unsafe partial class LibBpf
{
    private const string Lib = "libbpf.so.1";

    [LibraryImport(Lib, EntryPoint = "bpf_object__open_file", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial IntPtr ObjectOpenFile(string path, IntPtr opts);

    [LibraryImport(Lib, EntryPoint = "bpf_object__load")]
    internal static partial int ObjectLoad(IntPtr obj);

    [LibraryImport(Lib, EntryPoint = "bpf_object__close")]
    internal static partial void ObjectClose(IntPtr obj);

    [LibraryImport(Lib, EntryPoint = "bpf_object__find_program_by_name", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial IntPtr FindProgramByName(IntPtr obj, string name);

    [LibraryImport(Lib, EntryPoint = "bpf_object__next_program")]
    internal static partial IntPtr NextProgram(IntPtr obj, IntPtr prev);

    [LibraryImport(Lib, EntryPoint = "bpf_program__name")]
    internal static partial IntPtr ProgramName(IntPtr prog);

    [LibraryImport(Lib, EntryPoint = "bpf_program__section_name")]
    internal static partial IntPtr ProgramSectionName(IntPtr prog);

    /// <summary>C <c>bool autoload</c> marshals as a byte.</summary>
    [LibraryImport(Lib, EntryPoint = "bpf_program__set_autoload")]
    internal static partial int ProgramSetAutoload(IntPtr prog, byte autoload);

    [LibraryImport(Lib, EntryPoint = "bpf_program__attach", SetLastError = true)]
    internal static partial IntPtr ProgramAttach(IntPtr prog);

    /// <summary>Attaches a cgroup program (cgroup/connect4, cgroup_skb/egress, sockops, ...) to the cgroup open as <paramref name="cgroupFd"/>
    /// through a BPF link (<c>BPF_LINK_CREATE</c>; multi-attach, detached when the link is destroyed or its fd closed).</summary>
    [LibraryImport(Lib, EntryPoint = "bpf_program__attach_cgroup", SetLastError = true)]
    internal static partial IntPtr ProgramAttachCgroup(IntPtr prog, int cgroupFd);

    [LibraryImport(Lib, EntryPoint = "bpf_link__destroy")]
    internal static partial int LinkDestroy(IntPtr link);

    [LibraryImport(Lib, EntryPoint = "bpf_object__find_map_by_name", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial IntPtr FindMapByName(IntPtr obj, string name);

    [LibraryImport(Lib, EntryPoint = "bpf_map__fd")]
    internal static partial int MapFd(IntPtr map);

    [LibraryImport(Lib, EntryPoint = "bpf_map_update_elem", SetLastError = true)]
    internal static partial int MapUpdateElem(int fd, void* key, void* value, ulong flags);

    [LibraryImport(Lib, EntryPoint = "bpf_map_lookup_elem", SetLastError = true)]
    internal static partial int MapLookupElem(int fd, void* key, void* value);

    [LibraryImport(Lib, EntryPoint = "bpf_map_delete_elem", SetLastError = true)]
    internal static partial int MapDeleteElem(int fd, void* key);

    [LibraryImport(Lib, EntryPoint = "ring_buffer__new", SetLastError = true)]
    internal static partial IntPtr RingBufferNew(int mapFd, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, nuint, int> sampleCb, IntPtr ctx, IntPtr opts);

    [LibraryImport(Lib, EntryPoint = "ring_buffer__consume")]
    internal static partial int RingBufferConsume(IntPtr rb);

    [LibraryImport(Lib, EntryPoint = "ring_buffer__free")]
    internal static partial void RingBufferFree(IntPtr rb);

    [LibraryImport(Lib, EntryPoint = "libbpf_set_print")]
    internal static partial IntPtr SetPrint(delegate* unmanaged[Cdecl]<int, IntPtr, IntPtr, int> fn);

    [LibraryImport(Lib, EntryPoint = "libbpf_get_error")]
    internal static partial long GetError(IntPtr ptr);

    /// <summary>BPF_ANY flag of bpf_map_update_elem.</summary>
    internal const ulong BpfAny = 0;

    /// <summary>Reads a NUL-terminated UTF-8 string owned by libbpf.</summary>
    internal static string? Utf8(IntPtr p) => p == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(p);

    /// <summary>True when <c>libbpf.so.1</c> can be loaded in this process.</summary>
    internal static bool TryLoadLibrary(out string reason)
    {
        if (NativeLibrary.TryLoad(Lib, out var h))
        {
            NativeLibrary.Free(h);
            reason = "";
            return true;
        }
        reason = "libbpf.so.1 not found (install the libbpf1 package)";
        return false;
    }
}
