using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Scenarios;

/// <summary>One reconnect attempt after the client's close.</summary>
/// <param name="PlannedMs">Planned delay after the client's close (ms).</param>
/// <param name="AtMs">Actual CLOCK_MONOTONIC ms when connect() started.</param>
/// <param name="Errno">0 on success, else errno.</param>
/// <param name="Port">Local port on success.</param>
public readonly record struct ReconnectAttempt(int PlannedMs, double AtMs, int Errno, int Port);

/// <summary>What <see cref="TimeWaitScenario"/> saw.</summary>
/// <param name="TcpTwReuse">Namespace <c>tcp_tw_reuse</c>.</param>
/// <param name="FirstPort">Port of the first connection (the one that went to TIME_WAIT).</param>
/// <param name="ConnectMs">CLOCK_MONOTONIC ms of the first connect.</param>
/// <param name="ClientCloseMs">CLOCK_MONOTONIC ms of the client's close() (TIME_WAIT entry).</param>
/// <param name="Attempts">Reconnects in order.</param>
public sealed record TimeWaitObservation(int TcpTwReuse, int FirstPort, double ConnectMs, double ClientCloseMs, IReadOnlyList<ReconnectAttempt> Attempts);

/// <summary>
/// TIME_WAIT reuse (port-selection.md §2.3, §8.4): a namespace with a one-port range, one connection to a listener on
/// 127.0.0.1 that is accepted; the client closes first (FIN), the server closes 20 ms later, so the client side holds
/// the TIME_WAIT; then new connects to the same destination at the planned delays. Sockets closed and the namespace
/// removed at the end (which also purges the TIME_WAIT socket).
/// </summary>
public static class TimeWaitScenario
{
    /// <summary>Runs the scenario.</summary>
    /// <exception cref="ProbeUnavailableException">Not root.</exception>
    /// <exception cref="InvalidOperationException">A socket step failed.</exception>
    public static TimeWaitObservation Run(ushort port, ushort dport, int tcpTwReuse, IReadOnlyList<int> delaysMs)
    {
        if (LibC.GetEuid() != 0) throw new ProbeUnavailableException("TIME_WAIT validation needs root (network namespaces)");
        if (delaysMs.Any(d => d is < 0 or > 10_000)) throw new ArgumentException("delays must be within 0..10000 ms");
        using var ns = NetworkNamespace.Create(new Dictionary<string, string>
        {
            ["net.ipv4.ip_local_port_range"] = $"{port} {port}",
            ["net.ipv4.tcp_tw_reuse"] = tcpTwReuse.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var fds = new List<int>();
        Listener? listener = null;
        try
        {
            return ns.Thread.Invoke(() =>
            {
                listener = Listener.Open(dport, 16);
                int c1 = Client(fds);
                double connectMs = NowMs();
                int rc = RawSocket.Connect(c1, RawSocket.Loopback, dport);
                if (rc < 0) throw new InvalidOperationException($"first connect: {LibC.Describe(-rc)}");
                int first = RawSocket.LocalPort(c1);
                int s1 = listener.Accept();
                if (s1 < 0) throw new InvalidOperationException($"accept: {LibC.Describe(-s1)}");
                fds.Add(s1);
                double closeMs = NowMs();
                RawSocket.Close(c1);
                fds.Remove(c1);
                Thread.Sleep(20);
                RawSocket.Close(s1);
                fds.Remove(s1);
                var attempts = new List<ReconnectAttempt>();
                foreach (var d in delaysMs.Order())
                {
                    var wait = closeMs + d - NowMs();
                    if (wait > 0) Thread.Sleep(TimeSpan.FromMilliseconds(wait));
                    int c = Client(fds);
                    double at = NowMs();
                    rc = RawSocket.Connect(c, RawSocket.Loopback, dport);
                    attempts.Add(new ReconnectAttempt(d, at, rc < 0 ? -rc : 0, rc < 0 ? 0 : RawSocket.LocalPort(c)));
                }
                return new TimeWaitObservation(tcpTwReuse, first, connectMs, closeMs, attempts);
            }, TimeSpan.FromSeconds(30));
        }
        finally
        {
            foreach (var fd in fds) RawSocket.Close(fd);
            listener?.Dispose();
        }
    }

    private static double NowMs() => LibC.MonotonicNs() / 1e6;

    private static int Client(List<int> fds)
    {
        int fd = RawSocket.OpenTcp();
        if (fd < 0) throw new InvalidOperationException($"socket: {LibC.Describe(-fd)}");
        fds.Add(fd);
        RawSocket.SetSendTimeout(fd, TimeSpan.FromSeconds(3));
        return fd;
    }
}
