namespace PortSelection.Validator.Scenarios;

/// <summary>
/// A TCP listener that never accepts: completed connections stay in its accept queue, so every
/// client port stays in use. Create and dispose it on the namespace's thread.
/// </summary>
/// <remarks>
/// Uses raw libc <c>listen()</c> so the backlog is exactly what the scenario says; the kernel then
/// clamps it to the namespace's <c>net.core.somaxconn</c> (listen-queues.md §2.1).
/// <c>System.Net.Sockets.Socket.Listen()</c> without an argument passes a huge backlog
/// (<c>int.MaxValue</c> in current .NET), i.e. "somaxconn", and <c>TcpListener.Start()</c> does the
/// same — fine for load, not for exact queue experiments.
/// </remarks>
public sealed class Listener : IDisposable
{
    private int _fd;

    private Listener(int fd, ushort port, int backlog)
    {
        _fd = fd;
        Port = port;
        Backlog = backlog;
    }

    /// <summary>The listening port.</summary>
    public ushort Port { get; }

    /// <summary>The backlog passed to listen() (the kernel clamps it to net.core.somaxconn).</summary>
    public int Backlog { get; }

    /// <summary>Opens 127.0.0.1:<paramref name="port"/> (SO_REUSEADDR) with <paramref name="backlog"/>.</summary>
    /// <exception cref="InvalidOperationException">A socket call failed (message names errno).</exception>
    public static Listener Open(ushort port, int backlog, uint hostOrderAddress = RawSocket.Loopback)
    {
        var fd = RawSocket.OpenTcp();
        if (fd < 0) throw new InvalidOperationException($"socket: {Probe.LibC.Describe(-fd)}");
        int rc;
        if ((rc = RawSocket.SetReuseAddr(fd)) < 0 ||
            (rc = RawSocket.Bind(fd, hostOrderAddress, port)) < 0 ||
            (rc = RawSocket.Listen(fd, backlog)) < 0)
        {
            RawSocket.Close(fd);
            throw new InvalidOperationException($"listener on port {port}: {Probe.LibC.Describe(-rc)}");
        }
        return new Listener(fd, port, backlog);
    }

    /// <summary>accept(): the fd of the oldest queued connection, or -errno (blocks when the queue is empty).</summary>
    public int Accept() => _fd >= 0 ? RawSocket.Accept(_fd) : -9;

    /// <summary>Closes the listener (queued connections are reset by the kernel).</summary>
    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) RawSocket.Close(fd);
    }
}
