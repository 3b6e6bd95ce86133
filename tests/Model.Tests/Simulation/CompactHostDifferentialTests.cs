using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Cost;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;
using PortSelection.Model.Simulation;

namespace PortSelection.Model.Tests.Simulation;

/// <summary>
/// The workload simulation on the compact tables (<see cref="CompactHost"/>, the default) gives exactly the result it
/// gives on the general <see cref="KernelHost"/>: every step, bin, fill port, CPU sample and counter.
/// </summary>
public class CompactHostDifferentialTests
{
    private static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    /// <summary>
    /// A calibration under which every counter of the cost formula moves the predicted CPU by a different power of two
    /// (the built-in ones give chain nodes no weight), so that the CPU samples of a run carry the counters.
    /// </summary>
    private static readonly CostCalibration Distinct = new("distinct", "test", FixedNs: 0, PerProbeNs: 1, PerReservedNs: 1 << 20, PerTupleCheckNs: 1 << 10,
        PerChainNodeNs: 1L << 30, PerLockNs: 1L << 40, UncontendedConnectUs: 16);

    /// <summary>Everything a run reports (the spec itself left out), as text.</summary>
    private static string Fingerprint(WorkloadResult r) => JsonSerializer.Serialize(r with { Spec = null! }, Json);

    private static Gen<WorkloadSpec> Specs() =>
        from kernel in Gen.Elements("6.18", "6.18", "6.12", "6.8", "5.10.125", "5.10.13", "4.4", "4.1", "3.13", "3.2")
        from low in Gen.Choose(1024, 60000)
        from width in Gen.Choose(8, 400)
        from rate in Gen.Choose(5, 300)
        from durationS in Gen.Choose(5, 150)
        from k in Gen.Choose(1, 4)
        from duplicate in Gen.Elements(false, false, true)
        from life in Gen.Choose(0, 2)
        from lifeMs in Gen.Choose(0, 30_000)
        from server in Gen.Elements(false, true)
        from loopback in Gen.Elements(false, true)
        from twReuse in Gen.Choose(0, 2)
        from delay in Gen.Elements(1, 10, 1000, 2500)
        from timestamps in Gen.Elements(true, true, false)
        from step1 in Gen.Elements(false, false, true)
        from sources in Gen.Choose(0, 3)
        from anySource in Gen.Elements(false, false, true)
        from nReserved in Gen.Choose(0, 6)
        from reserved in Gen.ArrayOf(Gen.Choose(0, 400), nReserved)
        from nBound in Gen.Choose(0, 4)
        from bound in Gen.ArrayOf(Gen.Choose(0, 400), nBound)
        from seed in Gen.Choose(1, 1_000_000)
        let high = Math.Min(65535, low + width)
        let ip = (Func<int, Ipv4Address>)(i => loopback ? new Ipv4Address(0x7F000002 + (uint)i) : new Ipv4Address(0x0A000002 + (uint)i))
        select new WorkloadSpec
        {
            Kernel = KernelProfile.FromRelease(kernel),
            Namespace = new NamespaceConfig
            {
                Range = new PortRange(low, high), TcpTwReuse = twReuse, TcpTwReuseDelayMs = delay,
                Reserved = PortBitmap.From(reserved.Select(x => low + x).Where(p => p <= 65535)),
            },
            Destinations = [.. Enumerable.Range(0, k).Select(i => new WorkloadDestination(ip(duplicate ? 0 : i), duplicate ? 443 : 443 + i))],
            Arrivals = new ArrivalProcess(rate % 2 == 0 ? ArrivalKind.Poisson : ArrivalKind.Fixed, rate),
            Lifetime = life switch
            {
                0 => LifetimeDistribution.Fixed(lifeMs),
                1 => LifetimeDistribution.Exponential(lifeMs),
                _ => LifetimeDistribution.Empirical([lifeMs, lifeMs / 3.0, 5]),
            },
            Close = server ? CloseSide.Server : CloseSide.Client,
            Timestamps = timestamps,
            DurationMs = durationS * 1000L,
            StepMs = 1000,
            Seed = (ulong)seed,
            Calibration = Distinct,
            Source = loopback ? Ipv4Address.Loopback : new Ipv4Address(0x0A000001),
            PerSocketRange = step1 ? new PerSocketRange(0xFFFF0000) : PerSocketRange.Unset,
            NoPortSources = [.. Enumerable.Range(0, sources).Select(i => anySource && i == 0 ? Ipv4Address.Any : new Ipv4Address(0x0A000101 + (uint)i))],
            BindOwnedPorts = PortBitmap.From(bound.Select(x => low + x).Where(p => p <= 65535)),
        };

    [Fact]
    public void Compact_tables_and_the_general_host_give_the_same_simulation()
    {
        int compared = 0;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(80), Prop.ForAll(Specs().ToArbitrary(), spec =>
        {
            if (spec.Validate() is not null) return true;
            compared++;
            var compact = WorkloadSimulation.Run(spec);
            var host = WorkloadSimulation.RunOnHost(spec);
            Assert.Equal(Fingerprint(host), Fingerprint(compact));
            return true;
        }));
        Assert.True(compared >= 60, $"only {compared} of 80 generated specs were valid");
    }

    [Fact]
    public void Without_chain_node_weight_the_compact_tables_keep_no_chains_and_give_the_same_simulation()
    {
        // The built-in calibrations give chain nodes no weight: the compact host then keeps no ehash chain (its scans count
        // 0 chain nodes), and every result must still be the general host's, which walks its chains.
        int compared = 0;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(Specs().ToArbitrary(), spec =>
        {
            spec = spec with { Calibration = compared % 2 == 0 ? CostCalibration.Vm618 : CostCalibration.BareMetal72 };
            if (spec.Validate() is not null) return true;
            compared++;
            Assert.Equal(Fingerprint(WorkloadSimulation.RunOnHost(spec)), Fingerprint(WorkloadSimulation.Run(spec)));
            return true;
        }));
        Assert.True(compared >= 30, $"only {compared} of 40 generated specs were valid");
    }

    [Fact]
    public void A_host_without_chains_counts_no_chain_nodes_and_otherwise_the_same_work()
    {
        var spec = new WorkloadSpec
        {
            Kernel = KernelProfile.FromRelease("6.18.44"),
            Namespace = new NamespaceConfig { Range = new PortRange(40000, 40100) },
            Destinations = [new WorkloadDestination(new Ipv4Address(0x0A000002), 443), new WorkloadDestination(new Ipv4Address(0x0A000003), 443)],
            Arrivals = new ArrivalProcess(ArrivalKind.Fixed, 1000),
            Lifetime = LifetimeDistribution.Fixed(1000),
            Seed = 11,
        };
        var with = new CompactHost(spec, chainNodes: true);
        var without = new CompactHost(spec, chainNodes: false);
        int[] ids = [with.DestinationId(new Destination(spec.Source, spec.Destinations[0].Address, 443)),
                     with.DestinationId(new Destination(spec.Source, spec.Destinations[1].Address, 443))];
        foreach (var dest in spec.Destinations) without.DestinationId(new Destination(spec.Source, dest.Address, 443));
        long nodes = 0;
        for (int n = 0; n < 150; n++)
        {
            int a = with.Connect(ids[n % 2], n, out var cw, out int pw, out _);
            int b = without.Connect(ids[n % 2], n, out var cb, out int pb, out _);
            Assert.Equal((a, pw), (b, pb));
            Assert.Equal(0, cb.EhashNodes);
            nodes += cw.EhashNodes;
            Assert.Equal(cw with { EhashNodes = 0 }, cb);
        }
        Assert.True(nodes > 0, "the host with chains walked no chain node");
    }

    [Theory]
    [InlineData("6.18.44", 1, 10_000, true)]
    [InlineData("6.18.44", 3, 10_000, true)]
    [InlineData("5.10.13", 1, 10_000, true)]
    [InlineData("4.4", 1, 100, true)]   // era C: the global hint spreads the scans
    [InlineData("3.13", 2, 100, true)]  // era B
    [InlineData("6.18.44", 1, 10_000, false)] // no chain positions kept: era E's lean lane written out (LeanEraEScan)
    [InlineData("6.18.44", 3, 10_000, false)]
    [InlineData("6.1.40", 2, 10_000, false)]  // the same before the 6.15 RCU pre-check (a lock per skipped candidate)
    public void Long_scans_of_a_nearly_full_default_range_agree(string kernel, int destinations, int longest, bool chains)
    {
        // The default range (28,232 ports) at 95–97 % with server-side close: no TIME_WAIT, no listening or reserved port,
        // so the compact host never keeps its bucket map and every scan runs in the lean lane with unit buckets,
        // skipping thousands of live candidates at a time (whole words, blocks, superblocks and passes) from era D on.
        const int range = 60999 - 32768 + 1;
        double occupancy = destinations == 1 ? 0.97 : 0.95;
        const double rate = 200_000; // per second
        var spec = new WorkloadSpec
        {
            Kernel = KernelProfile.FromRelease(kernel),
            Namespace = new NamespaceConfig { Range = new PortRange(32768, 60999) },
            Destinations = [.. Enumerable.Range(0, destinations).Select(d => new WorkloadDestination(new Ipv4Address(0x0A020000u + (uint)d), 443))],
            Arrivals = new ArrivalProcess(ArrivalKind.Poisson, rate),
            Lifetime = LifetimeDistribution.Exponential(destinations * range * occupancy / rate * 1000.0),
            Close = CloseSide.Server,
            DurationMs = 1_500,
            StepMs = 100,
            Seed = 23,
            Calibration = chains ? Distinct : CostCalibration.Vm618,
        };
        var compact = WorkloadSimulation.Run(spec);
        var host = WorkloadSimulation.RunOnHost(spec);
        var last = compact.Steps[^1].Destinations[0];
        Assert.True(last.Occupancy > 0.9 && last.Scan.Max > longest, $"occupancy {last.Occupancy:P1}, longest scan {last.Scan.Max}");
        Assert.Equal(Fingerprint(host), Fingerprint(compact));
    }

    [Fact]
    public void Half_a_million_connections_with_shared_ehash_chains_and_time_wait_agree()
    {
        // 40 destinations × 95 % of 4096 ports ≈ 156,000 live connections plus TIME_WAIT: many ehash chains hold several
        // entries of different destinations, so chain positions (ehash node counts) move on every insertion and removal.
        var spec = new WorkloadSpec
        {
            Kernel = KernelProfile.FromRelease("6.18.44"),
            Namespace = new NamespaceConfig { Range = new PortRange(32768, 32768 + 4095), TcpTwReuse = 1, TcpTwReuseDelayMs = 1 },
            Destinations = [.. Enumerable.Range(0, 40).Select(d => new WorkloadDestination(new Ipv4Address(0x0A010000u + (uint)d), 443))],
            Arrivals = new ArrivalProcess(ArrivalKind.Poisson, 150_000),
            Lifetime = LifetimeDistribution.Exponential(40 * 4096 * 0.95 / 150.0),
            Close = CloseSide.Client,
            DurationMs = 3_000,
            StepMs = 250,
            Seed = 11,
            Calibration = Distinct,
        };
        var compact = WorkloadSimulation.Run(spec);
        var host = WorkloadSimulation.RunOnHost(spec);
        Assert.True(compact.Opened > 400_000 && compact.TimeWaitRecycled > 0, $"opened {compact.Opened}, recycled {compact.TimeWaitRecycled}");
        Assert.Equal(Fingerprint(host), Fingerprint(compact));
    }

    [Fact]
    public void Whole_busy_passes_summed_from_the_range_totals_give_the_same_counters()
    {
        // Small even ranges filled to exhaustion with live connections only (no reserved, BindOwned or TIME_WAIT port):
        // most scans cross a whole parity in which every port is busy, which the compact tables sum in O(1).
        var specs =
            from kernel in Gen.Elements("6.18", "6.12", "6.8", "5.10.125", "4.4", "3.13")
            from half in Gen.Choose(2, 40)
            from low in Gen.Choose(1024, 60000)
            from k in Gen.Choose(1, 3)
            from seed in Gen.Choose(1, 1_000_000)
            select new WorkloadSpec
            {
                Kernel = KernelProfile.FromRelease(kernel),
                Namespace = new NamespaceConfig { Range = new PortRange(low, low + 2 * half - 1) },
                Destinations = [.. Enumerable.Range(0, k).Select(i => new WorkloadDestination(new Ipv4Address(0x0A000002 + (uint)i), 443))],
                Arrivals = new ArrivalProcess(ArrivalKind.Fixed, 100), Lifetime = LifetimeDistribution.Fixed(1), Seed = (ulong)seed,
                Calibration = Distinct, // chain nodes weighed: the compact host keeps its chains and counts their nodes
            };
        var ops = Gen.ArrayOf(Gen.Frequency((8, Gen.Constant(-1)), (1, Gen.Choose(0, 1 << 20))));
        int wholePasses = 0;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), Prop.ForAll(specs.ToArbitrary(), ops.ToArbitrary(), (spec, script) =>
        {
            var a = new CompactWorkloadKernel(spec);
            var b = new HostWorkloadKernel(spec);
            var conns = new List<(int A, int B)>();
            int range = spec.Namespace.Range.Count;
            long now = 0;
            foreach (int op in script.Concat(Enumerable.Repeat(-1, 3 * range)))
            {
                if (op >= 0 && conns.Count > 0)
                {
                    var c = conns[op % conns.Count];
                    a.Close(c.A, now, timeWait: false);
                    b.Close(c.B, now, timeWait: false);
                    conns.Remove(c);
                    continue;
                }
                int d = (op & int.MaxValue) % spec.Destinations.Length;
                int ha = a.Connect(d, -1, now, out var ca, out int pa, out _);
                int hb = b.Connect(d, -1, now, out var cb, out int pb, out _);
                Assert.Equal(cb, ca);
                Assert.Equal(pb, pa);
                if (ca.Candidates > range / 2) wholePasses++;
                if (ha >= 0) conns.Add((ha, hb));
                now++;
            }
            return true;
        }));
        Assert.True(wholePasses > 1000, $"only {wholePasses} scans crossed a whole pass");
    }

    [Fact]
    public void Both_kernels_give_the_same_port_and_counters_connect_by_connect()
    {
        var ops = Gen.ArrayOf(
            from kind in Gen.Frequency((6, Gen.Constant(0)), (3, Gen.Constant(1)), (1, Gen.Constant(2)))
            from pick in Gen.Choose(0, 1 << 20)
            from timeWait in Gen.Elements(false, true)
            from adv in Gen.Frequency((3, Gen.Choose(0, 1500)), (1, Gen.Choose(0, 70_000)))
            select (kind, pick, timeWait, adv));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(120), Prop.ForAll(Specs().ToArbitrary(), ops.ToArbitrary(), (spec, script) =>
        {
            if (spec.Validate() is not null || !CompactHost.Supports(spec)) return true;
            var a = new CompactWorkloadKernel(spec);
            var b = new HostWorkloadKernel(spec);
            var conns = new List<(int A, int B, long TimeWaitDue)>(); // TimeWaitDue −1 while live
            int sources = spec.NoPortSources.Length;
            long now = 0;
            foreach (var (kind, pick, timeWait, adv) in script)
            {
                if (kind == 0)
                {
                    int d = pick % spec.Destinations.Length, s = sources > 0 ? pick % sources : -1;
                    int ha = a.Connect(d, s, now, out var ca, out int pa, out int ta);
                    int hb = b.Connect(d, s, now, out var cb, out int pb, out int tb);
                    Assert.Equal(cb, ca);
                    Assert.Equal(pb, pa);
                    Assert.Equal(hb < 0, ha < 0);
                    Assert.Equal(tb < 0, ta < 0);
                    if (ta >= 0)
                    {
                        int i = conns.FindIndex(c => c.A == ta);
                        Assert.Equal(tb, conns[i].B);
                        conns.RemoveAt(i);
                        a.ReleaseTakenOver(ta);
                        b.ReleaseTakenOver(tb);
                    }
                    if (ha >= 0) conns.Add((ha, hb, -1));
                }
                else if (kind == 1)
                {
                    var live = conns.Where(c => c.TimeWaitDue < 0).ToList();
                    if (live.Count == 0) continue;
                    var c = live[pick % live.Count];
                    a.Close(c.A, now, timeWait);
                    b.Close(c.B, now, timeWait);
                    conns.Remove(c);
                    if (timeWait) conns.Add((c.A, c.B, now + KernelHost.TimeWaitLengthMs));
                }
                else
                {
                    now += adv;
                    a.AdvanceTo(now);
                    b.AdvanceTo(now);
                    foreach (var c in conns.Where(c => c.TimeWaitDue >= 0 && c.TimeWaitDue <= now).ToList())
                    {
                        a.Expire(c.A);
                        b.Expire(c.B);
                        conns.Remove(c);
                    }
                }
                Assert.Equal(b.Established, a.Established);
                Assert.Equal(b.TimeWait, a.TimeWait);
            }
            return true;
        }));
    }

    [Fact]
    public void Kernels_without_IP_BIND_ADDRESS_NO_PORT_run_on_the_general_host()
    {
        var spec = new WorkloadSpec
        {
            Kernel = KernelProfile.FromRelease("4.1"), Namespace = new NamespaceConfig(),
            Destinations = [new WorkloadDestination(new Ipv4Address(0x0A000002), 443)],
            Arrivals = new ArrivalProcess(ArrivalKind.Fixed, 10), Lifetime = LifetimeDistribution.Fixed(100),
            NoPortSources = [new Ipv4Address(0x0A000101)],
        };
        Assert.False(CompactHost.Supports(spec));
        Assert.True(CompactHost.Supports(spec with { Kernel = KernelProfile.FromRelease("4.2") }));
        Assert.True(CompactHost.Supports(spec with { NoPortSources = [] }));
    }

    [Fact]
    public void More_destination_tables_than_handles_can_number_run_on_the_general_host()
    {
        // A compact handle is a destination id and a port in 31 bits: at most 2^15 destination × source tables.
        var spec = new WorkloadSpec
        {
            Kernel = KernelProfile.FromRelease("6.18"), Namespace = new NamespaceConfig(),
            Destinations = [.. Enumerable.Range(0, CompactHost.MaxDestinations).Select(d => new WorkloadDestination(new Ipv4Address(0x0B000000u + (uint)d), 443))],
            Arrivals = new ArrivalProcess(ArrivalKind.Fixed, 10), Lifetime = LifetimeDistribution.Fixed(100),
        };
        Assert.True(CompactHost.Supports(spec));
        Assert.False(CompactHost.Supports(spec with { Destinations = spec.Destinations.Add(new WorkloadDestination(new Ipv4Address(0x0C000000), 443)) }));
        Assert.False(CompactHost.Supports(spec with { NoPortSources = [new Ipv4Address(0x0A000101), new Ipv4Address(0x0A000102)] }));
    }
}
