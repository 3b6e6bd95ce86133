using System.Buffers.Binary;
using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Scenarios;

/// <summary>One captured outgoing TCP segment on <c>lo</c>.</summary>
/// <param name="AtNs">CLOCK_MONOTONIC ns when user space received the copy.</param>
/// <param name="SourcePort">TCP source port.</param>
/// <param name="DestinationPort">TCP destination port.</param>
/// <param name="Flags">TCP flags byte (SYN 0x02, ACK 0x10, RST 0x04, FIN 0x01).</param>
public readonly record struct CapturedSegment(long AtNs, int SourcePort, int DestinationPort, byte Flags)
{
    /// <summary>A SYN without ACK.</summary>
    public bool IsSyn => (Flags & 0x12) == 0x02;
}

/// <summary>
/// AF_PACKET capture of the outgoing copies (<c>PACKET_OUTGOING</c>) of IPv4/TCP segments on a namespace's <c>lo</c>
/// (listen-queues.md §11 step 4). Open it on the namespace's thread; <see cref="Start"/> reads on a host thread with a
/// 50 ms receive timeout until <see cref="Stop"/> or the time bound.
/// </summary>
public sealed unsafe class PacketCapture : IDisposable
{
    private const int AfPacket = 17;
    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;
    private const ushort EthPAll = 0x0003;
    private const byte PacketOutgoing = 4;
    private const int SolSocket = 1;
    private const int SoRcvTimeo = 20;

    private int _fd;
    private volatile bool _stop;
    private Thread? _reader;
    private readonly List<CapturedSegment> _segments = [];

    private PacketCapture(int fd) => _fd = fd;

    /// <summary>Opens the capture on <c>lo</c> (ifindex 1 in a fresh namespace). Call on the namespace's thread.</summary>
    /// <exception cref="InvalidOperationException">socket or bind failed.</exception>
    public static PacketCapture OpenLoopback(int ifindex = 1)
    {
        int fd = LibC.Socket(AfPacket, SockRaw | SockCloexec, BinaryPrimitives.ReverseEndianness(EthPAll));
        if (fd < 0) throw new InvalidOperationException($"AF_PACKET socket: {LibC.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
        var sll = stackalloc byte[20];
        new Span<byte>(sll, 20).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(sll, 2), AfPacket);
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(sll + 2, 2), EthPAll);
        BinaryPrimitives.WriteInt32LittleEndian(new Span<byte>(sll + 4, 4), ifindex);
        if (LibC.Bind(fd, sll, 20) != 0)
        {
            var e = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            LibC.Close(fd);
            throw new InvalidOperationException($"AF_PACKET bind to ifindex {ifindex}: {LibC.Describe(e)}");
        }
        var tv = stackalloc long[2];
        tv[0] = 0;
        tv[1] = 50_000;
        LibC.SetSockOpt(fd, SolSocket, SoRcvTimeo, tv, 16);
        return new PacketCapture(fd);
    }

    /// <summary>Starts reading on a background thread for at most <paramref name="limit"/>.</summary>
    public void Start(TimeSpan limit)
    {
        var deadline = LibC.MonotonicNs() + (long)limit.TotalNanoseconds;
        _reader = new Thread(() => Read(deadline)) { IsBackground = true, Name = "portsel capture" };
        _reader.Start();
    }

    private void Read(long deadline)
    {
        var buf = new byte[2048];
        var sll = new byte[20];
        while (!_stop && LibC.MonotonicNs() < deadline)
        {
            nint n;
            uint len = 20;
            fixed (byte* b = buf)
            fixed (byte* a = sll)
                n = LibC.RecvFrom(_fd, b, (nuint)buf.Length, 0, a, &len);
            long at = LibC.MonotonicNs();
            if (n <= 0) continue; // timeout (EAGAIN) or EINTR: check the bounds again
            if (sll[10] != PacketOutgoing || n < 14 + 20 + 20) continue;
            if (buf[12] != 0x08 || buf[13] != 0x00 || buf[23] != 6) continue; // IPv4, TCP
            int ihl = (buf[14] & 0x0F) * 4;
            int t = 14 + ihl;
            if (n < t + 14) continue;
            var seg = new CapturedSegment(at, BinaryPrimitives.ReadUInt16BigEndian(buf.AsSpan(t)), BinaryPrimitives.ReadUInt16BigEndian(buf.AsSpan(t + 2)), buf[t + 13]);
            lock (_segments) _segments.Add(seg);
        }
    }

    /// <summary>Stops the reader (bounded wait 1 s) and returns the segments captured.</summary>
    public IReadOnlyList<CapturedSegment> Stop()
    {
        _stop = true;
        _reader?.Join(TimeSpan.FromSeconds(1));
        lock (_segments) return _segments.ToList();
    }

    /// <summary>Stops and closes the socket.</summary>
    public void Dispose()
    {
        _stop = true;
        _reader?.Join(TimeSpan.FromSeconds(1));
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) LibC.Close(fd);
    }
}
