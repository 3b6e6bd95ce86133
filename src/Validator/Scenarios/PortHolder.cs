namespace PortSelection.Validator.Scenarios;

/// <summary>A socket that holds a port by an explicit <c>bind()</c> (no SO_REUSEADDR), optionally listening (never accepts).</summary>
/// <param name="Port">The bound port.</param>
/// <param name="Listen">True to call listen() after bind().</param>
public readonly record struct PreBind(ushort Port, bool Listen);

/// <summary>
/// Holds ports by explicit bind() on 127.0.0.1 (a BindOwned bucket for connect(), port-selection.md §5.4).
/// Create and dispose it on the namespace's thread (closing from another thread also works).
/// </summary>
public sealed class PortHolder : IDisposable
{
    private readonly List<int> _fds = [];

    /// <summary>Binds every port of <paramref name="binds"/>; throws on the first failure (already bound ones are closed).</summary>
    /// <exception cref="InvalidOperationException">A socket call failed.</exception>
    public static PortHolder Open(IEnumerable<PreBind> binds, uint hostOrderAddress = RawSocket.Loopback)
    {
        var h = new PortHolder();
        try
        {
            foreach (var b in binds)
            {
                var fd = RawSocket.OpenTcp();
                if (fd < 0) throw new InvalidOperationException($"socket: {Probe.LibC.Describe(-fd)}");
                h._fds.Add(fd);
                int rc;
                if ((rc = RawSocket.Bind(fd, hostOrderAddress, b.Port)) < 0 || (b.Listen && (rc = RawSocket.Listen(fd, 8)) < 0))
                    throw new InvalidOperationException($"explicit bind of port {b.Port}: {Probe.LibC.Describe(-rc)}");
            }
            return h;
        }
        catch
        {
            h.Dispose();
            throw;
        }
    }

    /// <summary>Closes every socket.</summary>
    public void Dispose()
    {
        foreach (var fd in _fds) RawSocket.Close(fd);
        _fds.Clear();
    }
}
