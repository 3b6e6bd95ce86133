using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Scenarios;

/// <summary>How each client socket is prepared before connect().</summary>
public sealed record ConnectSocketOptions
{
    /// <summary>Per-socket <c>IP_LOCAL_PORT_RANGE</c> as (low, high); null leaves it unset.</summary>
    public (ushort Low, ushort High)? LocalPortRange { get; init; }

    /// <summary>Set SO_REUSEADDR on the client socket.</summary>
    public bool ReuseAddr { get; init; }

    /// <summary>bind() before connect: null = no bind (autobind in connect), 0 = bind(0),
    /// otherwise an explicit port.</summary>
    public ushort? BindPort { get; init; }

    /// <summary>Set IP_BIND_ADDRESS_NO_PORT before a bind.</summary>
    public bool BindAddressNoPort { get; init; }

    /// <summary>Bound on each blocking connect (SO_SNDTIMEO); default 3 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>The user-side view of one connect().</summary>
/// <param name="Index">0-based order of the call.</param>
/// <param name="DestinationPort">Remote port.</param>
/// <param name="Errno">0 on success, otherwise errno of the failing step.</param>
/// <param name="Step">The failing step ("connect", "bind", "setsockopt", "socket") or "" on success.</param>
/// <param name="LocalPort">Port from getsockname() (0 when connect failed).</param>
/// <param name="StartNs">CLOCK_MONOTONIC just before connect().</param>
/// <param name="EndNs">CLOCK_MONOTONIC just after connect() returned.</param>
public readonly record struct ConnectResult(int Index, ushort DestinationPort, int Errno, string Step, ushort LocalPort, long StartNs, long EndNs)
{
    /// <summary>True when connect() succeeded.</summary>
    public bool Succeeded => Errno == 0;

    /// <summary>User-space connect() duration in ns.</summary>
    public long DurationNs => EndNs - StartNs;
}

/// <summary>
/// Sequential blocking connects to 127.0.0.1 from the namespace's thread, keeping every socket
/// open; stops at EADDRNOTAVAIL (optional), at the count, or at the time bound.
/// </summary>
public sealed class ConnectFiller : IDisposable
{
    private readonly List<int> _fds = [];

    /// <summary>Results, in call order.</summary>
    public List<ConnectResult> Results { get; } = [];

    /// <summary>Why the last <see cref="Run"/> stopped: "count", "EADDRNOTAVAIL", "time limit", or
    /// "EMFILE/ENFILE" (the open-file limit bounds how many sockets can be held).</summary>
    public string StopReason { get; private set; } = "";

    /// <summary>Open client sockets (closed by <see cref="Dispose"/>).</summary>
    public int OpenSockets => _fds.Count;

    /// <summary>
    /// Runs up to <paramref name="destinations"/>.Count connects, the i-th to destination port
    /// <paramref name="destinations"/>[i]; must be called on the namespace's thread.
    /// </summary>
    /// <param name="destinations">Destination port of each connect, in order.</param>
    /// <param name="options">Socket preparation.</param>
    /// <param name="timeLimit">Stop starting new connects after this long.</param>
    /// <param name="stopAtAddrNotAvail">Stop after the first EADDRNOTAVAIL.</param>
    /// <param name="destinationAddress">Host-order IPv4 destination (default 127.0.0.1).</param>
    public void Run(IReadOnlyList<ushort> destinations, ConnectSocketOptions options, TimeSpan timeLimit,
        bool stopAtAddrNotAvail = true, uint destinationAddress = RawSocket.Loopback)
    {
        var deadline = LibC.MonotonicNs() + (long)timeLimit.TotalNanoseconds;
        StopReason = "count";
        for (var i = 0; i < destinations.Count; i++)
        {
            if (LibC.MonotonicNs() > deadline)
            {
                StopReason = "time limit";
                break;
            }
            var r = ConnectOne(i, destinations[i], options, destinationAddress);
            Results.Add(r);
            if (stopAtAddrNotAvail && r.Errno == RawSocket.EAddrNotAvail)
            {
                StopReason = "EADDRNOTAVAIL";
                break;
            }
            if (r.Errno is EMFile or ENFile)
            {
                StopReason = $"{LibC.ErrnoName(r.Errno)} (open-file limit; held {_fds.Count} sockets)";
                break;
            }
        }
    }

    private const int EMFile = 24;
    private const int ENFile = 23;

    private ConnectResult ConnectOne(int index, ushort dport, ConnectSocketOptions o, uint daddr)
    {
        var fd = RawSocket.OpenTcp();
        if (fd < 0) return new(index, dport, -fd, "socket", 0, 0, 0);
        int rc;
        string step = "setsockopt";
        if ((rc = RawSocket.SetSendTimeout(fd, o.ConnectTimeout)) < 0 ||
            (rc = RawSocket.SetAbortiveClose(fd)) < 0 ||
            (o.ReuseAddr && (rc = RawSocket.SetReuseAddr(fd)) < 0) ||
            (o.LocalPortRange is { } range && (rc = RawSocket.SetLocalPortRange(fd, range.Low, range.High)) < 0) ||
            (o.BindAddressNoPort && (rc = RawSocket.SetBindAddressNoPort(fd)) < 0) ||
            (o.BindPort is { } bp && (step = "bind") == "bind" && (rc = RawSocket.Bind(fd, RawSocket.Loopback, bp)) < 0))
        {
            RawSocket.Close(fd);
            return new(index, dport, -rc, step, 0, 0, 0);
        }
        var start = LibC.MonotonicNs();
        rc = RawSocket.Connect(fd, daddr, dport);
        var end = LibC.MonotonicNs();
        if (rc < 0)
        {
            RawSocket.Close(fd);
            return new(index, dport, -rc, "connect", 0, start, end);
        }
        var port = RawSocket.LocalPort(fd);
        _fds.Add(fd);
        return new(index, dport, 0, "", port > 0 ? (ushort)port : (ushort)0, start, end);
    }

    /// <summary>Closes every socket (abortively: RST, no TIME_WAIT). Call on the namespace's thread
    /// (closing from another thread also works: fds are process-wide).</summary>
    public void Dispose()
    {
        foreach (var fd in _fds) RawSocket.Close(fd);
        _fds.Clear();
    }
}
