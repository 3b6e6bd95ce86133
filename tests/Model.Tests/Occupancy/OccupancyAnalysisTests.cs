using PortSelection.Model.Kernel;
using PortSelection.Model.Occupancy;
using PortSelection.Model.Ports;

namespace PortSelection.Model.Tests.Occupancy;

public class OccupancyAnalysisTests
{
    private static ObservedSocket Client(int port, TcpSocketState state = TcpSocketState.Established, long? timerMs = null) =>
        new(false, "127.0.0.1", port, "127.0.0.1", 5401, state, 0, 0, timerMs);

    private static OccupancySnapshot Snapshot(IEnumerable<ObservedSocket> sockets, int low, int high, int twReuse = 2) => new()
    {
        Profile = KernelProfile.FromRelease("6.18"),
        Config = new NamespaceConfig { Range = new PortRange(low, high), TcpTwReuse = twReuse },
        Sockets = sockets.ToList(),
    };

    [Fact]
    public void Half_the_even_ports_used_leaves_the_rest_and_a_short_scan()
    {
        var sockets = Enumerable.Range(0, 300).Select(i => Client(40000 + 2 * i)).ToList();
        var r = OccupancyAnalysis.Analyze(Snapshot(sockets, 40000, 40999), trials: 64);
        var g = Assert.Single(r.Groups);
        Assert.Equal((300, 300, 0), (g.Live, g.LiveEven, g.LiveOdd));
        Assert.Equal(700, g.Fit);
        Assert.Equal(new PortRange(40000, 40999), g.Reachable);
        Assert.Equal(2, g.Step);
        Assert.Equal(0, g.Failures);
        Assert.InRange(g.MeanCandidates, 1, 500);
        Assert.InRange(g.MaxCandidates, 1, 500);   // the even pass still has 200 free ports
        Assert.Equal(0.3, g.Occupancy, 6);
    }

    [Fact]
    public void A_full_range_fails_after_probing_every_port_and_costs_per_busy_probe()
    {
        var sockets = Enumerable.Range(40000, 10).Select(p => Client(p)).ToList();
        var r = OccupancyAnalysis.Analyze(Snapshot(sockets, 40000, 40009), trials: 8);
        var g = Assert.Single(r.Groups);
        Assert.Equal(0, g.Fit);
        Assert.Equal(8, g.Failures);
        Assert.Equal(10, g.MaxBusyProbes);
        Assert.Equal(3.0 + 10 * 0.048, g.MaxCpuMicroseconds, 9);
    }

    [Fact]
    public void Loopback_time_wait_older_than_the_reuse_delay_is_reusable_and_a_fresh_one_is_not()
    {
        // 40000: TIME_WAIT entered 30 s ago (30 s left); 40002: entered 0.1 s ago.
        var sockets = new[] { Client(40000, TcpSocketState.TimeWait, 30_000), Client(40002, TcpSocketState.TimeWait, 59_900) };
        var g = Assert.Single(OccupancyAnalysis.Analyze(Snapshot(sockets, 40000, 40003)).Groups);
        Assert.Equal(2, g.TimeWait);
        Assert.Equal(1, g.TimeWaitReusable);
        Assert.Equal(3, g.Fit);
        var off = Assert.Single(OccupancyAnalysis.Analyze(Snapshot(sockets, 40000, 40003, twReuse: 0)).Groups);
        Assert.Equal(0, off.TimeWaitReusable);
        Assert.Equal(2, off.Fit);
    }

    [Fact]
    public void Listening_ports_are_bind_owned_and_their_connections_are_not_clients()
    {
        var sockets = new[]
        {
            new ObservedSocket(false, "0.0.0.0", 40001, "0.0.0.0", 0, TcpSocketState.Listen, 0, 2, null),
            new ObservedSocket(false, "127.0.0.1", 40001, "127.0.0.1", 40000, TcpSocketState.Established, 0, 0, null),
            Client(40000),
        };
        var snap = Snapshot(sockets, 40000, 40003) with { Backlogs = new Dictionary<(bool, string, int), long> { [(false, "0.0.0.0", 40001)] = 1 } };
        var r = OccupancyAnalysis.Analyze(snap);
        Assert.Equal(1, r.ClientSockets);
        var g = Assert.Single(r.Groups);
        Assert.Equal(1, g.BindOwned);
        Assert.Equal(2, g.Fit);
        var l = Assert.Single(r.Listeners);
        Assert.Equal((2L, 1L, 2L, true), (l.AcceptQueue, l.Backlog!.Value, l.Capacity!.Value, l.Full));
    }
}
