using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Doctor;

/// <summary>
/// Listener backlogs through <c>NETLINK_SOCK_DIAG</c> (<c>SOCK_DIAG_BY_FAMILY</c> with <c>inet_diag_req_v2</c>,
/// include/uapi/linux/inet_diag.h): for a LISTEN socket <c>idiag_rqueue</c> is the accept-queue length A and
/// <c>idiag_wqueue</c> the effective backlog B (<c>tcp_diag_get_info</c>; what <c>ss -lnt</c> shows as Send-Q).
/// </summary>
/// <remarks>
/// The netlink socket belongs to the network namespace of the calling thread: call it on a
/// <see cref="Scenarios.NetnsThread"/> to query another namespace. Read-only; needs no privilege.
/// </remarks>
public static unsafe class SockDiag
{
    private const int AfNetlink = 16, SockRaw = 3, SockCloexec = 0x80000, NetlinkSockDiag = 4;
    private const ushort SockDiagByFamily = 20, NlmFRequest = 1, NlmFDump = 0x300, NlmsgError = 2, NlmsgDone = 3;
    private const int AfInet = 2, AfInet6 = 10, IpProtoTcp = 6, TcpListen = 10;
    private const int SolSocket = 1, SoRcvTimeo = 20;
    private const int HeaderLength = 16, RequestLength = 72;

    /// <summary>One listener as sock_diag reports it.</summary>
    /// <param name="Ipv6">Genuine IPv6 (v4-mapped addresses are reported as IPv4, like <see cref="ProcNetTcp"/>).</param>
    /// <param name="Address">Listening address text.</param>
    /// <param name="Port">Listening port.</param>
    /// <param name="AcceptQueue">idiag_rqueue: accept-queue length A.</param>
    /// <param name="Backlog">idiag_wqueue: effective backlog B.</param>
    public readonly record struct ListenerInfo(bool Ipv6, string Address, int Port, long AcceptQueue, long Backlog);

    /// <summary>Dumps the TCP listeners (IPv4 and IPv6) of the calling thread's namespace; false with a reason on failure.</summary>
    public static bool TryListeners(out List<ListenerInfo> listeners, out string? error)
    {
        listeners = [];
        error = null;
        int fd = LibC.Socket(AfNetlink, SockRaw | SockCloexec, NetlinkSockDiag);
        if (fd < 0)
        {
            error = $"socket(AF_NETLINK, NETLINK_SOCK_DIAG): {LibC.Describe(Marshal.GetLastPInvokeError())}";
            return false;
        }
        try
        {
            var tv = stackalloc long[2];
            tv[0] = 2;
            tv[1] = 0;
            LibC.SetSockOpt(fd, SolSocket, SoRcvTimeo, tv, 16);
            uint seq = 1;
            foreach (var family in new[] { AfInet, AfInet6 })
                if (!Dump(fd, family, seq++, listeners, out error)) return false;
            return true;
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    private static bool Dump(int fd, int family, uint seq, List<ListenerInfo> into, out string? error)
    {
        error = null;
        var req = stackalloc byte[RequestLength];
        new Span<byte>(req, RequestLength).Clear();
        var r = new Span<byte>(req, RequestLength);
        BinaryPrimitives.WriteUInt32LittleEndian(r, RequestLength);
        BinaryPrimitives.WriteUInt16LittleEndian(r[4..], SockDiagByFamily);
        BinaryPrimitives.WriteUInt16LittleEndian(r[6..], NlmFRequest | NlmFDump);
        BinaryPrimitives.WriteUInt32LittleEndian(r[8..], seq);
        r[16] = (byte)family;
        r[17] = IpProtoTcp;
        BinaryPrimitives.WriteUInt32LittleEndian(r[20..], 1u << TcpListen);
        if (LibC.Send(fd, req, RequestLength, 0) != RequestLength)
        {
            error = $"sock_diag send: {LibC.Describe(Marshal.GetLastPInvokeError())}";
            return false;
        }
        var buffer = new byte[64 * 1024];
        for (int rounds = 0; rounds < 100_000; rounds++)
        {
            nint n;
            fixed (byte* b = buffer) n = LibC.Recv(fd, b, (nuint)buffer.Length, 0);
            if (n <= 0)
            {
                error = $"sock_diag recv: {(n == 0 ? "connection closed" : LibC.Describe(Marshal.GetLastPInvokeError()))}";
                return false;
            }
            var data = buffer.AsSpan(0, (int)n);
            int off = 0;
            while (off + HeaderLength <= data.Length)
            {
                int len = (int)BinaryPrimitives.ReadUInt32LittleEndian(data[off..]);
                ushort type = BinaryPrimitives.ReadUInt16LittleEndian(data[(off + 4)..]);
                if (len < HeaderLength || off + len > data.Length) { error = "sock_diag: truncated message"; return false; }
                if (type == NlmsgDone) return true;
                if (type == NlmsgError)
                {
                    int errno = -BinaryPrimitives.ReadInt32LittleEndian(data[(off + 16)..]);
                    error = $"sock_diag: {LibC.Describe(errno)}";
                    return errno == 0;
                }
                if (type == SockDiagByFamily && len >= HeaderLength + 72) into.Add(Parse(data.Slice(off + HeaderLength, len - HeaderLength)));
                off += (len + 3) & ~3;
            }
        }
        error = "sock_diag: no NLMSG_DONE";
        return false;
    }

    /// <summary>Parses one <c>struct inet_diag_msg</c>.</summary>
    internal static ListenerInfo Parse(ReadOnlySpan<byte> m)
    {
        int family = m[0];
        int port = BinaryPrimitives.ReadUInt16BigEndian(m[4..]);
        var ip = family == AfInet ? new IPAddress(m.Slice(8, 4)) : new IPAddress(m.Slice(8, 16));
        bool v6 = family == AfInet6 && !ip.IsIPv4MappedToIPv6;
        string text = !v6 && family == AfInet6 ? ip.MapToIPv4().ToString() : ip.Equals(IPAddress.IPv6Any) ? "::" : ip.ToString();
        long rq = BinaryPrimitives.ReadUInt32LittleEndian(m[56..]);
        long wq = BinaryPrimitives.ReadUInt32LittleEndian(m[60..]);
        return new ListenerInfo(v6, text, port, rq, wq);
    }
}
