using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Scenarios;

/// <summary>What <see cref="SynRetryScenario"/> saw.</summary>
/// <param name="SynCount">TCP_SYNCNT of the client.</param>
/// <param name="LinearTimeouts">Namespace <c>tcp_syn_linear_timeouts</c> (null when absent).</param>
/// <param name="SynAtMs">Outgoing SYN instants in ms after the first SYN (first = 0).</param>
/// <param name="ConnectErrno">errno of the blocked connect().</param>
/// <param name="ConnectEndMs">connect() return in ms after the first SYN.</param>
public sealed record SynRetryObservation(int SynCount, int? LinearTimeouts, IReadOnlyList<double> SynAtMs, int ConnectErrno, double ConnectEndMs);

/// <summary>
/// Dropped SYNs (listen-queues.md §9.3): a listener with backlog 0 that never accepts, one established client fills
/// its accept queue, so every SYN of a second client (TCP_SYNCNT set) is dropped until connect() fails with ETIMEDOUT;
/// the SYNs are captured on <c>lo</c> with AF_PACKET. Bounded by 15 s; the namespace is removed at the end.
/// </summary>
public static class SynRetryScenario
{
    private const int IpProtoTcp = 6;
    private const int TcpSynCnt = 7;

    /// <summary>Runs the scenario (≈ 7 s with TCP_SYNCNT = 2 on 6.5+).</summary>
    /// <exception cref="ProbeUnavailableException">Not root.</exception>
    /// <exception cref="InvalidOperationException">A socket step failed.</exception>
    public static SynRetryObservation Run(ushort dport, int synCount)
    {
        if (LibC.GetEuid() != 0) throw new ProbeUnavailableException("SYN retransmission validation needs root (network namespaces)");
        if (synCount is < 1 or > 3) throw new ArgumentException("TCP_SYNCNT 1..3 (the run must stay short)");
        using var ns = NetworkNamespace.Create(new Dictionary<string, string> { ["net.ipv4.tcp_no_metrics_save"] = "1" });
        int? linear = int.TryParse(ns.ReadSysctl("net.ipv4.tcp_syn_linear_timeouts"), out var l) ? l : null;
        var fds = new List<int>();
        Listener? listener = null;
        PacketCapture? capture = null;
        try
        {
            return ns.Thread.Invoke(() =>
            {
                listener = Listener.Open(dport, 0);
                int a = RawSocket.OpenTcp();
                fds.Add(a);
                int rc = RawSocket.Connect(a, RawSocket.Loopback, dport);
                if (rc < 0) throw new InvalidOperationException($"filler connect: {LibC.Describe(-rc)}");
                capture = PacketCapture.OpenLoopback();
                capture.Start(TimeSpan.FromSeconds(15));
                int b = RawSocket.OpenTcp();
                fds.Add(b);
                if ((rc = RawSocket.SetInt(b, IpProtoTcp, TcpSynCnt, synCount)) < 0) throw new InvalidOperationException($"TCP_SYNCNT: {LibC.Describe(-rc)}");
                RawSocket.SetSendTimeout(b, TimeSpan.FromSeconds(14));
                rc = RawSocket.Connect(b, RawSocket.Loopback, dport);
                long end = LibC.MonotonicNs();
                Thread.Sleep(50);
                var syns = capture.Stop().Where(s => s.IsSyn && s.DestinationPort == dport).Select(s => s.AtNs).ToList();
                if (syns.Count == 0) throw new InvalidOperationException("no SYN captured on lo");
                long t0 = syns[0];
                return new SynRetryObservation(synCount, linear, syns.Select(s => (s - t0) / 1e6).ToList(), rc < 0 ? -rc : 0, (end - t0) / 1e6);
            }, TimeSpan.FromSeconds(20));
        }
        finally
        {
            capture?.Dispose();
            foreach (var fd in fds) RawSocket.Close(fd);
            listener?.Dispose();
        }
    }
}
