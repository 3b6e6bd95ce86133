using System.Runtime.InteropServices;

namespace PortSelection.Validator.Probe;

/// <summary>libc calls used by the sock_diag netlink query (<see cref="Doctor.SockDiag"/>).</summary>
internal static unsafe partial class LibC
{
    [LibraryImport(Lib, EntryPoint = "send", SetLastError = true)]
    internal static partial nint Send(int fd, void* buf, nuint len, int flags);

    [LibraryImport(Lib, EntryPoint = "recv", SetLastError = true)]
    internal static partial nint Recv(int fd, void* buf, nuint len, int flags);
}
