using System.Runtime.InteropServices;

namespace PortSelection.Validator.Probe;

/// <summary>libc calls (<c>libc.so.6</c>, never the <c>libc.so</c> linker script).</summary>
internal static unsafe partial class LibC
{
    private const string Lib = "libc.so.6";

    [LibraryImport(Lib, EntryPoint = "vsnprintf")]
    internal static partial int Vsnprintf(byte* buf, nuint size, IntPtr fmt, IntPtr args);

    [LibraryImport(Lib, EntryPoint = "strerror_r")]
    private static partial IntPtr StrErrorR(int errnum, byte* buf, nuint len);

    [LibraryImport(Lib, EntryPoint = "geteuid")]
    internal static partial uint GetEuid();

    [LibraryImport(Lib, EntryPoint = "gettid")]
    internal static partial int GetTid();

    [LibraryImport(Lib, EntryPoint = "getpid")]
    internal static partial int GetPid();

    [LibraryImport(Lib, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags);

    [LibraryImport(Lib, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, void* buf, nuint count);

    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Lib, EntryPoint = "readlink", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint ReadLinkRaw(string path, byte* buf, nuint size);

    /// <summary>readlink(2) (works on /proc/*/ns/* magic links); null on error.</summary>
    internal static string? ReadLink(string path)
    {
        var buf = stackalloc byte[512];
        var n = ReadLinkRaw(path, buf, 512);
        return n <= 0 ? null : Marshal.PtrToStringUTF8((IntPtr)buf, (int)n);
    }

    [LibraryImport(Lib, EntryPoint = "mount", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Mount(string source, string target, string fsType, ulong flags, IntPtr data);

    [LibraryImport(Lib, EntryPoint = "umount2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Umount2(string target, int flags);

    [LibraryImport(Lib, EntryPoint = "mkdir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Mkdir(string path, uint mode);

    [LibraryImport(Lib, EntryPoint = "rmdir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Rmdir(string path);

    [LibraryImport(Lib, EntryPoint = "unlink", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Unlink(string path);

    internal const int MntDetach = 2;

    [LibraryImport(Lib, EntryPoint = "setns", SetLastError = true)]
    internal static partial int SetNs(int fd, int nstype);

    [LibraryImport(Lib, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Lib, EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(int fd, void* addr, uint len);

    [LibraryImport(Lib, EntryPoint = "connect", SetLastError = true)]
    internal static partial int Connect(int fd, void* addr, uint len);

    [LibraryImport(Lib, EntryPoint = "listen", SetLastError = true)]
    internal static partial int Listen(int fd, int backlog);

    [LibraryImport(Lib, EntryPoint = "getsockname", SetLastError = true)]
    internal static partial int GetSockName(int fd, void* addr, uint* len);

    [LibraryImport(Lib, EntryPoint = "accept4", SetLastError = true)]
    internal static partial int Accept4(int fd, void* addr, uint* len, int flags);

    [LibraryImport(Lib, EntryPoint = "recvfrom", SetLastError = true)]
    internal static partial nint RecvFrom(int fd, void* buf, nuint len, int flags, void* addr, uint* addrLen);

    [LibraryImport(Lib, EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int SetSockOpt(int fd, int level, int optname, void* optval, uint optlen);

    [LibraryImport(Lib, EntryPoint = "clock_gettime")]
    internal static partial int ClockGetTime(int clockId, TimeSpec* ts);

    /// <summary>struct timespec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct TimeSpec
    {
        public long Sec;
        public long Nsec;
    }

    internal const int ClockMonotonic = 1;
    internal const int ORdOnly = 0;
    internal const int OWrOnly = 1;
    internal const int ODirectory = 0x10000;
    internal const int OCloExec = 0x80000;
    internal const int CloneNewNet = 0x40000000;

    /// <summary>CLOCK_MONOTONIC in ns — the clock of <c>bpf_ktime_get_ns()</c>.</summary>
    internal static long MonotonicNs()
    {
        TimeSpec ts;
        ClockGetTime(ClockMonotonic, &ts);
        return ts.Sec * 1_000_000_000L + ts.Nsec;
    }

    /// <summary>Text of an errno value (GNU strerror_r returns the string pointer).</summary>
    internal static string StrError(int errno)
    {
        var buf = stackalloc byte[256];
        var p = StrErrorR(errno, buf, 256);
        return Marshal.PtrToStringUTF8(p) ?? $"errno {errno}";
    }

    /// <summary>Symbolic name of the common errno values (for messages and JSON).</summary>
    internal static string ErrnoName(int errno) => errno switch
    {
        0 => "OK",
        1 => "EPERM",
        2 => "ENOENT",
        4 => "EINTR",
        7 => "E2BIG",
        9 => "EBADF",
        11 => "EAGAIN",
        12 => "ENOMEM",
        13 => "EACCES",
        14 => "EFAULT",
        16 => "EBUSY",
        17 => "EEXIST",
        22 => "EINVAL",
        24 => "EMFILE",
        38 => "ENOSYS",
        95 => "EOPNOTSUPP",
        98 => "EADDRINUSE",
        99 => "EADDRNOTAVAIL",
        104 => "ECONNRESET",
        110 => "ETIMEDOUT",
        111 => "ECONNREFUSED",
        115 => "EINPROGRESS",
        524 => "ENOTSUPP",
        _ => $"E{errno}",
    };

    /// <summary>"ENAME (text)" for an errno value.</summary>
    internal static string Describe(int errno) => $"{ErrnoName(errno)} ({StrError(errno)})";
}
