using System.Buffers.Binary;
using System.Runtime.InteropServices;
using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Scenarios;

/// <summary>
/// Raw libc TCP/IPv4 socket calls with exact control (no runtime clamping of the backlog, no
/// hidden options); every call returns 0/fd or <c>-errno</c>. Call them from the thread that is
/// inside the namespace: a socket belongs to the namespace of the thread that created it.
/// </summary>
public static unsafe class RawSocket
{
    private const int AfInet = 2;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private const int SoLinger = 13;
    private const int SoSndTimeo = 21;
    private const int IpProtoIp = 0;

    /// <summary><c>IP_LOCAL_PORT_RANGE</c> (IPPROTO_IP optname 51, Linux 6.3+; a u32 hi&lt;&lt;16 | lo).</summary>
    public const int IpLocalPortRange = 51;

    /// <summary><c>IP_BIND_ADDRESS_NO_PORT</c> (IPPROTO_IP optname 24).</summary>
    public const int IpBindAddressNoPort = 24;

    /// <summary>errno EADDRNOTAVAIL.</summary>
    public const int EAddrNotAvail = 99;

    [StructLayout(LayoutKind.Sequential)]
    private struct SockAddrIn
    {
        public ushort Family;
        public ushort PortBe;
        public uint AddrBe;
        public ulong Zero;
    }

    private static SockAddrIn Make(uint hostOrderAddress, ushort port) => new()
    {
        Family = AfInet,
        PortBe = BinaryPrimitives.ReverseEndianness(port),
        AddrBe = BinaryPrimitives.ReverseEndianness(hostOrderAddress),
    };

    /// <summary>127.0.0.1 in host order.</summary>
    public const uint Loopback = 0x7F000001;

    /// <summary>Parses a dotted quad into a host-order u32.</summary>
    public static uint ParseIPv4(string dotted)
    {
        var parts = dotted.Split('.');
        if (parts.Length != 4) throw new FormatException($"not an IPv4 address: {dotted}");
        uint v = 0;
        foreach (var p in parts) v = (v << 8) | byte.Parse(p, System.Globalization.CultureInfo.InvariantCulture);
        return v;
    }

    private static int Err() => -Marshal.GetLastPInvokeError();

    /// <summary>socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0): fd or -errno.</summary>
    public static int OpenTcp()
    {
        var fd = LibC.Socket(AfInet, SockStream | SockCloexec, 0);
        return fd >= 0 ? fd : Err();
    }

    /// <summary>setsockopt with an int value: 0 or -errno.</summary>
    public static int SetInt(int fd, int level, int optname, int value) =>
        LibC.SetSockOpt(fd, level, optname, &value, sizeof(int)) == 0 ? 0 : Err();

    /// <summary>SO_REUSEADDR = 1.</summary>
    public static int SetReuseAddr(int fd) => SetInt(fd, SolSocket, SoReuseAddr, 1);

    /// <summary>Per-socket IP_LOCAL_PORT_RANGE (u32: high &lt;&lt; 16 | low; 0 clears it).</summary>
    public static int SetLocalPortRange(int fd, ushort low, ushort high)
    {
        uint v = ((uint)high << 16) | low;
        return LibC.SetSockOpt(fd, IpProtoIp, IpLocalPortRange, &v, sizeof(uint)) == 0 ? 0 : Err();
    }

    /// <summary>IP_BIND_ADDRESS_NO_PORT = 1.</summary>
    public static int SetBindAddressNoPort(int fd) => SetInt(fd, IpProtoIp, IpBindAddressNoPort, 1);

    /// <summary>SO_SNDTIMEO, which also bounds a blocking connect().</summary>
    public static int SetSendTimeout(int fd, TimeSpan timeout)
    {
        var tv = stackalloc long[2];
        tv[0] = (long)timeout.TotalSeconds;
        tv[1] = (long)(timeout.TotalMicroseconds % 1_000_000);
        return LibC.SetSockOpt(fd, SolSocket, SoSndTimeo, tv, 16) == 0 ? 0 : Err();
    }

    /// <summary>SO_LINGER {on, 0}: close() sends RST and leaves no TIME_WAIT.</summary>
    public static int SetAbortiveClose(int fd)
    {
        var l = stackalloc int[2];
        l[0] = 1;
        l[1] = 0;
        return LibC.SetSockOpt(fd, SolSocket, SoLinger, l, 8) == 0 ? 0 : Err();
    }

    /// <summary>bind() to address:port (port 0 = kernel's choice): 0 or -errno.</summary>
    public static int Bind(int fd, uint hostOrderAddress, ushort port)
    {
        var sa = Make(hostOrderAddress, port);
        return LibC.Bind(fd, &sa, (uint)sizeof(SockAddrIn)) == 0 ? 0 : Err();
    }

    /// <summary>Blocking connect(): 0 or -errno.</summary>
    public static int Connect(int fd, uint hostOrderAddress, ushort port)
    {
        var sa = Make(hostOrderAddress, port);
        return LibC.Connect(fd, &sa, (uint)sizeof(SockAddrIn)) == 0 ? 0 : Err();
    }

    /// <summary>listen() with the exact backlog (the kernel clamps it to net.core.somaxconn): 0 or -errno.</summary>
    public static int Listen(int fd, int backlog) => LibC.Listen(fd, backlog) == 0 ? 0 : Err();

    /// <summary>getsockname(): the local port (host order), or -errno.</summary>
    public static int LocalPort(int fd)
    {
        SockAddrIn sa;
        uint len = (uint)sizeof(SockAddrIn);
        if (LibC.GetSockName(fd, &sa, &len) != 0) return Err();
        return BinaryPrimitives.ReverseEndianness(sa.PortBe);
    }

    /// <summary>accept4(fd, NULL, NULL, SOCK_CLOEXEC): the new fd or -errno.</summary>
    public static int Accept(int fd)
    {
        var rc = LibC.Accept4(fd, null, null, SockCloexec);
        return rc >= 0 ? rc : Err();
    }

    /// <summary>close(): 0 or -errno.</summary>
    public static int Close(int fd) => LibC.Close(fd) == 0 ? 0 : Err();
}
