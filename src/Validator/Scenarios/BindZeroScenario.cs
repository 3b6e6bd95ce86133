using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Scenarios;

/// <summary>One bind(127.0.0.1, 0): the port chosen (0 on failure) and the errno.</summary>
/// <param name="Port">getsockname() port, 0 when bind failed.</param>
/// <param name="Errno">0 or the errno of bind().</param>
public readonly record struct BindZeroResult(int Port, int Errno);

/// <summary>
/// bind(0) order (port-selection.md §5.3): a fresh namespace with the given range; <c>count</c> sockets (optionally
/// SO_REUSEADDR) call bind(127.0.0.1, 0) one after another and keep their ports; everything is closed and the namespace
/// removed at the end. No probe needed.
/// </summary>
public static class BindZeroScenario
{
    /// <summary>Runs the binds.</summary>
    /// <exception cref="ProbeUnavailableException">Not root.</exception>
    /// <exception cref="ArgumentException">Bad range or count.</exception>
    public static IReadOnlyList<BindZeroResult> Run(ushort low, ushort high, int count, bool reuseAddr)
    {
        if (LibC.GetEuid() != 0) throw new ProbeUnavailableException("bind(0) validation needs root (network namespaces)");
        if (low == 0 || high < low || count is < 1 or > 1000) throw new ArgumentException("bad range or count (1..1000)");
        using var ns = NetworkNamespace.Create(new Dictionary<string, string> { ["net.ipv4.ip_local_port_range"] = $"{low} {high}" });
        var fds = new List<int>();
        try
        {
            return ns.Thread.Invoke(() =>
            {
                var results = new List<BindZeroResult>();
                for (int k = 0; k < count; k++)
                {
                    var fd = RawSocket.OpenTcp();
                    if (fd < 0) { results.Add(new(0, -fd)); continue; }
                    fds.Add(fd);
                    int rc = reuseAddr ? RawSocket.SetReuseAddr(fd) : 0;
                    if (rc == 0) rc = RawSocket.Bind(fd, RawSocket.Loopback, 0);
                    results.Add(rc < 0 ? new(0, -rc) : new(RawSocket.LocalPort(fd), 0));
                }
                return (IReadOnlyList<BindZeroResult>)results;
            }, TimeSpan.FromSeconds(20));
        }
        finally
        {
            foreach (var fd in fds) RawSocket.Close(fd);
        }
    }
}
