using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Model.Tests.Selection;

/// <summary>The facts measured on the live 6.18 kernel (port-selection.md §8, §5.3, §5.4), as model predictions.</summary>
public class LiveFactsTests
{
    private static readonly Ipv4Address Lo = Ipv4Address.Loopback;

    private static (KernelHost Host, int Ns) Host(string kernel, PortRange range, ulong seed = 7, NamespaceConfig? config = null)
    {
        var profile = KernelProfile.FromRelease(kernel);
        var draws = new SeededDraws(seed);
        var host = new KernelHost(profile, draws, KernelPortOffset.ForSimulation(profile, new SeededDraws(seed + 1)));
        int ns = host.AddNamespace((config ?? new NamespaceConfig()) with { Range = range });
        return (host, ns);
    }

    private static List<ConnectResult> Fill(KernelHost host, int ns, int dport, int max, SocketOptions? options = null)
    {
        var results = new List<ConnectResult>();
        for (int n = 0; n < max; n++)
        {
            var r = host.Connect(host.Socket(ns, options), Lo, dport);
            results.Add(r);
            if (r.Port is null) break;
        }
        return results;
    }

    [Fact]
    public void Parity_range_1000_gives_500_even_then_500_odd_then_EADDRNOTAVAIL()
    {
        var (host, ns) = Host("6.18.44-fc-v657", new PortRange(40000, 40999));
        var r = Fill(host, ns, 5000, 1001);
        Assert.Equal(1001, r.Count);
        Assert.All(r.Take(500), c => Assert.True(c.Port % 2 == 0));
        Assert.All(r.Skip(500).Take(500), c => Assert.True(c.Port % 2 == 1));
        Assert.Equal(PortError.EADDRNOTAVAIL, r[1000].Error);
        Assert.Equal(1000, r.Take(1000).Select(c => c.Port).Distinct().Count());
        // the failing scan examines every port of the range, both passes
        Assert.Equal(1000, r[1000].Counters.Candidates);
    }

    [Fact]
    public void Sparse_regime_increments_are_2r_plus_2()
    {
        var (host, ns) = Host("6.18", new PortRange(40000, 49999));
        var r = Fill(host, ns, 5001, 200);
        var deltas = r.Zip(r.Skip(1), (a, b) => b.Port!.Value - a.Port!.Value).Where(d => d > 0 && d <= 16).ToList();
        Assert.True(deltas.Count > 190);
        Assert.All(deltas, d => Assert.True(d % 2 == 0 && d >= 2 && d <= 16));
        Assert.True(deltas.Distinct().Count() == 8, "all eight increments 2,4,…,16 appear");
    }

    [Fact]
    public void Default_range_fills_14116_even_ports_before_the_first_odd_one()
    {
        var (host, ns) = Host("6.18", new PortRange(32768, 60999));
        var r = Fill(host, ns, 5002, 14117);
        Assert.All(r.Take(14116), c => Assert.True(c.Port % 2 == 0));
        Assert.Equal(1, r[14116].Port % 2);
        Assert.Equal(2, r[14116].Pass);
        // the first odd port costs a walk over all 14,116 busy even candidates
        Assert.True(r[14116].Counters.Candidates > 14116);
    }

    [Fact]
    public void Step_one_interleaves_parities_with_increments_1_to_8()
    {
        var (host, ns) = Host("6.18", new PortRange(40000, 40999));
        var r = Fill(host, ns, 5003, 1001, new SocketOptions { LocalPortRange = new PerSocketRange(0xFFFF0000) });
        Assert.Equal(PortError.EADDRNOTAVAIL, r[1000].Error);
        var first = r.Take(200).Select(c => c.Port!.Value).ToList();
        Assert.Contains(first, p => p % 2 == 0);
        Assert.Contains(first, p => p % 2 == 1);
        var deltas = first.Zip(first.Skip(1), (a, b) => b - a).Where(d => d > 0 && d <= 8).ToList();
        Assert.True(deltas.Count > 180);
        Assert.Equal(8, deltas.Distinct().Count());
    }

    [Fact]
    public void Every_destination_gets_the_whole_range()
    {
        var (host, ns) = Host("6.18", new PortRange(40000, 40999));
        var a = Fill(host, ns, 5004, 1001);
        var b = Fill(host, ns, 5005, 1001);
        Assert.Equal(1000, a.Count(c => c.Port is not null));
        Assert.Equal(1000, b.Count(c => c.Port is not null));
    }

    [Theory]
    [InlineData(150, 2, false)]
    [InlineData(1150, 2, true)]
    [InlineData(1150, 0, false)]
    public void TimeWait_reuse_after_the_delay_on_loopback(long reconnectAtMs, int twReuse, bool reused)
    {
        var (host, ns) = Host("6.18", new PortRange(40000, 40000), config: new NamespaceConfig { TcpTwReuse = twReuse });
        var s = host.Socket(ns);
        Assert.Equal(40000, host.Connect(s, Lo, 5006).Port);
        host.Close(s, nowMs: 0, CloseKind.TimeWait);
        var r = host.Connect(host.Socket(ns), Lo, 5006, nowMs: reconnectAtMs);
        Assert.Equal(reused ? 40000 : null, r.Port);
        Assert.Equal(reused, r.ReusedTimeWait is not null);
    }

    [Fact]
    public void TimeWait_expires_after_60_seconds()
    {
        var (host, ns) = Host("6.18", new PortRange(40000, 40000), config: new NamespaceConfig { TcpTwReuse = 0 });
        var s = host.Socket(ns);
        host.Connect(s, Lo, 5007);
        host.Close(s, 0, CloseKind.TimeWait);
        Assert.Null(host.Connect(host.Socket(ns), Lo, 5007, nowMs: 59_999).Port);
        Assert.Equal(40000, host.Connect(host.Socket(ns), Lo, 5007, nowMs: 60_000).Port);
    }

    [Theory]
    [InlineData("6.18.44", true)]
    [InlineData("6.17.8", true)]
    [InlineData("6.17.7", false)]
    [InlineData("6.12.107", false)]
    public void Bind_owner_leaves_returns_the_bucket_to_connect_on_6_18(string kernel, bool reusable)
    {
        var (host, ns) = Host(kernel, new PortRange(40000, 40000));
        var s1 = host.Socket(ns);
        Assert.Equal(40000, host.Connect(s1, Lo, 5008).Port);
        var s2 = host.Socket(ns);
        Assert.Equal(40000, host.BindSocket(s2, Ipv4Address.Parse("127.0.0.2"), 40000).Port);
        Assert.Null(host.Connect(host.Socket(ns), Lo, 5009).Port);
        host.Close(s2, 0);
        Assert.Equal(reusable ? 40000 : null, host.Connect(host.Socket(ns), Lo, 5009).Port);
    }

    [Fact]
    public void Bind0_order_odd_first_then_even_then_EADDRINUSE()
    {
        var (host, ns) = Host("6.18", new PortRange(40000, 40009));
        var ports = Enumerable.Range(0, 11).Select(_ => host.BindSocket(host.Socket(ns), Ipv4Address.Any, 0)).ToList();
        Assert.All(ports.Take(5), p => Assert.True(p.Port % 2 == 1));
        Assert.All(ports.Skip(5).Take(5), p => Assert.True(p.Port % 2 == 0));
        Assert.Equal(PortError.EADDRINUSE, ports[10].Error);
    }

    [Fact]
    public void Bind0_with_reuseaddr_fills_halves_by_parity()
    {
        var (host, ns) = Host("6.18", new PortRange(40000, 40009));
        var reuse = new SocketOptions { Reuse = true };
        var got = Enumerable.Range(0, 11).Select(_ => host.BindSocket(host.Socket(ns, reuse), Ipv4Address.Any, 0).Port).ToList();
        Assert.Equal([40001, 40003], got.Take(2).Order().Cast<int>());
        Assert.Equal([40000, 40002], got.Skip(2).Take(2).Order().Cast<int>());
        Assert.Equal([40005, 40007, 40009], got.Skip(4).Take(3).Order().Cast<int>());
        Assert.Equal([40004, 40006, 40008], got.Skip(7).Take(3).Order().Cast<int>());
        Assert.Null(got[10]);
    }

    [Fact]
    public void Bind0_sees_connected_owners_by_local_address()
    {
        var (host, ns) = Host("6.18", new PortRange(40000, 40001));
        var c = host.Socket(ns);
        Assert.Equal(40000, host.Connect(c, Lo, 5010).Port);
        Assert.Equal(40001, host.BindSocket(host.Socket(ns), Ipv4Address.Any, 0).Port);
        Assert.Equal(PortError.EADDRINUSE, host.BindSocket(host.Socket(ns), Lo, 0).Error);
        Assert.Equal(40000, host.BindSocket(host.Socket(ns), Ipv4Address.Parse("127.0.0.3"), 0).Port);
    }

    [Fact]
    public void Bind_address_no_port_shares_connect_owned_ports()
    {
        var (host, ns) = Host("6.18", new PortRange(40000, 40001));
        Assert.NotNull(host.PlaceBinding(ns, 40001, Lo));
        host.PlaceConnection(ns, new FourTuple(Lo, 40000, Lo, 5000));
        var noPort = new SocketOptions { BindAddressNoPort = true };
        var a = host.Socket(ns, noPort);
        Assert.True(host.BindSocket(a, Ipv4Address.Parse("127.0.0.5"), 0).AddressOnly);
        Assert.Equal(40000, host.Connect(a, Lo, 5001).Port);
        var b = host.Socket(ns, noPort);
        host.BindSocket(b, Lo, 0);
        Assert.Equal(PortError.EADDRNOTAVAIL, host.Connect(b, Lo, 5000).Error);
    }

    [Fact]
    public void Bind_then_connect_checks_only_the_four_tuple_and_ignores_tw_reuse()
    {
        var (host, ns) = Host("6.18", new PortRange(40000, 40009), config: new NamespaceConfig { TcpTwReuse = 0 });
        var reuse = new SocketOptions { Reuse = true };   // the TIME_WAIT owner must carry SO_REUSEADDR for the second bind
        var first = host.Socket(ns, reuse);
        Assert.Equal(40005, host.BindSocket(first, Lo, 40005).Port);
        Assert.Equal(40005, host.Connect(first, Lo, 5011).Port);
        host.Close(first, 0, CloseKind.TimeWait);
        var again = host.Socket(ns, reuse);
        Assert.Equal(40005, host.BindSocket(again, Lo, 40005).Port);
        var r = host.Connect(again, Lo, 5011, nowMs: 10);   // twp == NULL: timestamps suffice, no age, no sysctl
        Assert.Equal(40005, r.Port);
        Assert.Equal(1, r.Counters.TupleChecks);
        Assert.Equal(0, r.Counters.Probes);
    }
}
