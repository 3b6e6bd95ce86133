using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;
using PortSelection.Model.Simulation;

namespace PortSelection.Model.Tests.Simulation;

/// <summary>Invariants of the workload simulation, and its agreement with the analytic companions.</summary>
public class WorkloadSimulationTests
{
    private static readonly Ipv4Address Upstream = Ipv4Address.Parse("10.0.0.2");

    private static WorkloadSpec Small(string kernel = "6.18", string range = "40000-40199", double rate = 50, int destinations = 1,
        LifetimeDistribution? lifetime = null, CloseSide close = CloseSide.Client, long durationMs = 20_000, ulong seed = 1) => new()
    {
        Kernel = KernelProfile.FromRelease(kernel),
        Namespace = new NamespaceConfig { Range = PortRange.Parse(range) },
        Destinations = [.. Enumerable.Range(0, destinations).Select(i => new WorkloadDestination(new Ipv4Address(Upstream.Value + (uint)i), 443))],
        Arrivals = new ArrivalProcess(ArrivalKind.Poisson, rate),
        Lifetime = lifetime ?? LifetimeDistribution.Exponential(500),
        Close = close,
        DurationMs = durationMs,
        StepMs = 1000,
        Seed = seed,
    };

    private static Gen<WorkloadSpec> Specs() =>
        from kernel in Gen.Elements("6.18", "5.10.125", "5.10.13", "4.4", "3.13", "6.12")
        from width in Gen.Choose(20, 300)
        from rate in Gen.Choose(5, 200)
        from k in Gen.Choose(1, 3)
        from life in Gen.Choose(0, 3)
        from lifeMs in Gen.Choose(0, 20_000)
        from server in Gen.Elements(false, true)
        from loopback in Gen.Elements(false, true)
        from twReuse in Gen.Choose(0, 2)
        from step1 in Gen.Elements(false, true)
        from sources in Gen.Choose(0, 2)
        from bound in Gen.Choose(0, 3)
        from seed in Gen.Choose(1, 1_000_000)
        select Small(kernel, $"40000-{40000 + width}", rate, k,
                life switch
                {
                    0 => LifetimeDistribution.Fixed(lifeMs),
                    1 => LifetimeDistribution.Exponential(lifeMs),
                    _ => LifetimeDistribution.Empirical([lifeMs, lifeMs / 3.0, 5]),
                },
                server ? CloseSide.Server : CloseSide.Client, 30_000, (ulong)seed) with
        {
            Namespace = new NamespaceConfig { Range = new PortRange(40000, 40000 + width), TcpTwReuse = twReuse },
            Destinations = [.. Enumerable.Range(0, k).Select(i => new WorkloadDestination(loopback ? new Ipv4Address(0x7F000002 + (uint)i) : new Ipv4Address(Upstream.Value + (uint)i), 443 + i))],
            Source = loopback ? Ipv4Address.Loopback : new Ipv4Address(0x0A000001),
            PerSocketRange = step1 ? new PerSocketRange(0xFFFF0000) : PerSocketRange.Unset,
            NoPortSources = [.. Enumerable.Range(0, sources).Select(i => new Ipv4Address(0x0A000101 + (uint)i))],
            BindOwnedPorts = PortBitmap.From(Enumerable.Range(0, bound).Select(i => 40001 + 7 * i)),
        };

    [Fact]
    public void Sockets_are_conserved_and_occupancy_never_exceeds_the_reachable_range()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(Specs().ToArbitrary(), spec =>
        {
            var r = WorkloadSimulation.Run(spec);
            Assert.Equal(r.Attempts, r.Opened + r.Failures);
            Assert.Equal(r.Opened, r.Live + r.TimeWait + r.Gone);
            // the simulation's own accounting agrees with the kernel model's established hash
            Assert.Equal(r.Live + r.TimeWait, r.HostEstablished);
            Assert.Equal(r.TimeWait, r.HostTimeWait);
            if (spec.Close == CloseSide.Server) Assert.Equal(0, r.TimeWait + r.TimeWaitExpired + r.TimeWaitRecycled);
            Assert.All(r.Steps, s => Assert.All(s.Destinations, d =>
            {
                // + one per source: a moved start offset can reach the one same-parity port unreachable from the current offset
                Assert.InRange(d.InUse, 0, r.Capacity + Math.Max(1, spec.NoPortSources.Length));
                Assert.InRange(d.Occupancy, 0, 1 + 1.0 / spec.Namespace.Range.Count + 1e-9);
            }));
            Assert.Equal(r.Attempts, r.Bins.Sum(b => b.Sum(x => (long)x.Attempts)));
            return true;
        }));
    }

    [Fact]
    public void Same_seed_gives_the_same_run_and_parallel_equals_sequential()
    {
        var specs = Enumerable.Range(1, 4).Select(i => Small(rate: 40 * i, seed: (ulong)i, destinations: i % 2 + 1)).ToList();
        var parallel = WorkloadSweep.Run(specs);
        var sequential = WorkloadSweep.Run(specs, maxDegreeOfParallelism: 1);
        var again = specs.Select(s => WorkloadSimulation.Run(s)).ToList();
        for (int i = 0; i < specs.Count; i++)
        {
            Assert.Equal(Fingerprint(sequential[i]), Fingerprint(parallel[i]));
            Assert.Equal(Fingerprint(sequential[i]), Fingerprint(again[i]));
        }
        Assert.NotEqual(Fingerprint(WorkloadSimulation.Run(specs[0] with { Seed = 99 })), Fingerprint(sequential[0]));

        static string Fingerprint(WorkloadResult r) =>
            string.Join(',', r.FillSequence) + "|" + string.Join(';', r.Steps.Select(s => $"{s.Live}/{s.TimeWait}/{s.Failures}/{string.Join(':', s.Destinations.Select(d => $"{d.InUse}-{d.Scan}"))}"));
    }

    [Theory]
    [InlineData("6.18", "40000-40199", false, 1, 200)]
    [InlineData("6.18", "40000-40199", false, 3, 200)]
    [InlineData("5.10.13", "40000-40200", false, 1, 200)]  // same parity, step 2: R − 1 guaranteed (the last port only when the start offset allows)
    [InlineData("6.18", "40000-40200", true, 1, 201)]      // step 1 reaches all R
    [InlineData("3.13", "40000-40200", false, 1, 201)]     // era A: no parity
    public void Capacity_per_destination_is_the_reachable_range(string kernel, string range, bool step1, int k, int expected)
    {
        var spec = Small(kernel, range, rate: 600, destinations: k, lifetime: LifetimeDistribution.Fixed(1e9), close: CloseSide.Server, durationMs: 1900) with
        {
            Arrivals = new ArrivalProcess(ArrivalKind.Fixed, 600.0 * k),
            PerSocketRange = step1 ? new PerSocketRange(0xFFFF0000) : PerSocketRange.Unset,
        };
        Assert.Equal(expected, PortCapacity.PerDestination(spec));
        var r = WorkloadSimulation.Run(spec);
        bool sameParityStep2 = !step1 && kernel != "3.13" && PortRange.Parse(range).Count % 2 == 1;
        Assert.All(r.Steps[^1].Destinations, d => Assert.InRange(d.InUse, expected, sameParityStep2 ? expected + 1 : expected));
        Assert.True(r.Failures > 0);
    }

    [Fact]
    public void Reserved_and_bind_owned_ports_reduce_the_capacity()
    {
        var spec = Small(rate: 600, lifetime: LifetimeDistribution.Fixed(1e9), close: CloseSide.Server, durationMs: 1900) with
        {
            Namespace = new NamespaceConfig { Range = PortRange.Parse("40000-40199"), Reserved = PortListSyntax.Parse("40010-40019,50000") },
            BindOwnedPorts = PortBitmap.From([40100, 40101, 40015, 30000]),
        };
        Assert.Equal(200 - 10 - 2, PortCapacity.PerDestination(spec));
        var r = WorkloadSimulation.Run(spec);
        Assert.Equal(188, r.Steps[^1].Destinations[0].InUse);
    }

    [Theory]
    [InlineData(0.5, 7)]
    [InlineData(0.8, 8)]
    public void Random_occupancy_gives_a_geometric_scan(double rho, int seed)
    {
        // step 1 (6.18 with IP_LOCAL_PORT_RANGE): one class; N random ports of R busy for this destination
        const int r = 1000;
        var profile = KernelProfile.FromRelease("6.18");
        var host = new KernelHost(profile, new SeededDraws((ulong)seed), KernelPortOffset.ForSimulation(profile, new SeededDraws((ulong)seed + 100)));
        int ns = host.AddNamespace(new NamespaceConfig { Range = new PortRange(40000, 40000 + r - 1) });
        var src = new Ipv4Address(0x0A000001);
        var rnd = new WorkloadRandom((ulong)seed);
        var ports = Enumerable.Range(40000, r).OrderBy(_ => rnd.NextDouble()).Take((int)(rho * r)).ToList();
        foreach (var p in ports) host.PlaceConnection(ns, new FourTuple(src, p, Upstream, 443));
        var options = new SocketOptions { LocalPortRange = new PerSocketRange(0xFFFF0000) };
        double sum = 0;
        const int n = 3000;
        for (int i = 0; i < n; i++)
        {
            int s = host.Socket(ns, options);
            var res = host.Connect(s, Upstream, 443, nowMs: i, routedSource: src);
            sum += res.Counters.Candidates;
            host.Close(s, i, CloseKind.NoTimeWait);
        }
        double expected = ScanLengthAnalytics.RandomExact(r, ports.Count);
        Assert.InRange(sum / n, expected * 0.88, expected * 1.12);
        Assert.InRange(ScanLengthAnalytics.Geometric(rho) / expected, 0.98, 1.02);
    }

    [Fact]
    public void The_parity_cliff_appears_at_half_occupancy()
    {
        // 1000 ports, TIME_WAIT-dominated: occupancy climbs to ~60 % in 60 s
        var spec = Small(range: "40000-40999", rate: 10, lifetime: LifetimeDistribution.Exponential(20), durationMs: 60_000) with
        {
            Arrivals = new ArrivalProcess(ArrivalKind.Poisson, 10.0),
        };
        var r = WorkloadSimulation.Run(spec);
        var bins = r.Bins[0];
        double cliff = ScanLengthAnalytics.CliffLevel(r.Capacity);
        var after = bins.Where(b => b.Percent >= 51).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, b => Assert.InRange(b.Scan.Mean, cliff * 0.98, cliff * 1.1));
        var before = bins.Where(b => b.Percent < 30).ToList();
        Assert.All(before, b => Assert.InRange(b.Scan.Mean, 1, 3));
        Assert.Equal(ScanLengthAnalytics.Expected(ScanRegime.Sequential, 2, 1000, 600), cliff);
    }

    [Fact]
    public void Erlang_B_matches_the_simulated_failure_fraction_in_steady_state()
    {
        // server closes, exponential holding 1 s, 100 ports, offered 100 Erlangs: B(100, 100) ≈ 0.076
        var spec = Small(range: "40000-40099", rate: 100, lifetime: LifetimeDistribution.Exponential(1000), close: CloseSide.Server, durationMs: 200_000) with
        {
            PerSocketRange = new PerSocketRange(0xFFFF0000),
        };
        var r = WorkloadSimulation.Run(spec);
        var steady = r.Steps.Skip(10).ToList();
        double failures = steady.Sum(s => s.Destinations[0].Failures), attempts = steady.Sum(s => s.Destinations[0].Attempts);
        double expected = ExhaustionAnalytics.FailureProbability(r.Capacity, ExhaustionAnalytics.OfferedLoad(spec, 0));
        Assert.InRange(expected, 0.07, 0.08);
        Assert.InRange(failures / attempts, expected * 0.8, expected * 1.2);
    }
}
