using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Tests.Selection;

/// <summary>
/// <see cref="LeanEraEScan"/> (the lean lane of era E written out for members-only live maps) against
/// <see cref="FastConnectScan"/> (itself held to the reference <see cref="ConnectScan"/>) on the same state: era E
/// kernels with and without the 6.15 RCU pre-check; even ranges of 2 to 9,000 ports, aligned to blocks and
/// superblocks or not; live occupancy per 512-port block (empty, sparse, half, one parity full, all full, all but one
/// port); ports other destinations' connections hold (a bucket and an ehash chain to walk, of a length per port);
/// perturb tables and port offsets at random; sequences of connects (each taking its port) — the chosen port, every
/// counter, the perturb slot and the random draws taken must be the same, down to the failing scan of a full range.
/// </summary>
public class LeanEraEScanTests
{
    private static readonly string[] Kernels = ["5.18", "6.1.40", "6.8", "6.12", "6.15", "6.18.44"];

    public sealed record Case(string Kernel, int Low, int Count, int[] BlockKind, ulong Seed, ulong Offset, int Connects)
    {
        public override string ToString() => $"{Kernel} {Low}+{Count} blocks [{string.Join(",", BlockKind.Take((Count + 511) / 512 + 1))}] seed {Seed} offset 0x{Offset:X} connects {Connects}";
    }

    private static Gen<Case> Cases() =>
        from kernel in Gen.Elements(Kernels)
        from half in Gen.Frequency((2, Gen.Choose(1, 40)), (4, Gen.Choose(250, 2048)), (2, Gen.Choose(2048, 4500)))
        from low in Gen.Frequency((2, Gen.Choose(1024, 50000)), (2, Gen.Choose(2, 100).Select(k => k * 512)),
            (1, Gen.Choose(2, 100).Select(k => k * 512 + 1)), (2, Gen.Choose(1, 12).Select(k => k * 4096)))
        from kinds in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Constant(1)), (2, Gen.Constant(2)), (3, Gen.Constant(3)),
            (3, Gen.Constant(4)), (4, Gen.Constant(5)), (2, Gen.Constant(6))), 20)
        from seed in ArbMap.Default.GeneratorFor<ulong>()
        from offset in ArbMap.Default.GeneratorFor<ulong>()
        from connects in Gen.Choose(1, 12)
        let count = 2 * half
        select new Case(kernel, Math.Min(low, 65535 - count + 1), count, kinds, seed, offset, connects);

    [Fact]
    public void Same_port_counters_perturb_slot_and_draws_as_the_fast_scan() =>
        Prop.ForAll(Arb.From(Cases()), c =>
        {
            var profile = KernelProfile.FromRelease(c.Kernel);
            Assert.Equal(ConnectEra.E, profile.Era);
            int low = c.Low, high = c.Low + c.Count - 1;
            Assert.True(LeanEraEScan.Fits(profile, low, high));
            var rng = new Random((int)(c.Seed & 0x7FFFFFFF));
            var live = new PortCostMap();
            live.TrackRange(low, high);
            var others = new bool[65536];
            for (int p = low; p <= high; p++)
            {
                int kind = c.BlockKind[Math.Min((p - low) >> 9, c.BlockKind.Length - 1)];
                bool member = kind switch
                {
                    0 => false,
                    1 => rng.Next(16) == 0,
                    2 => rng.Next(2) == 0,
                    3 => (p & 1) == (low & 1) || rng.Next(4) == 0, // the first pass's parity full
                    4 => (p & 1) == (low & 1) || rng.Next(64) != 0,
                    5 => true,
                    _ => p != low + ((p - low) & ~511) + 7, // all but one port of the block
                };
                if (member) live.Add(p, 0);
                others[p] = member || rng.Next(3) == 0; // a live port has a bucket; others' connections hold more
            }
            var config = new NamespaceConfig { Range = new PortRange(low, high) };
            var destination = new Destination(new Ipv4Address(0x0A000001), new Ipv4Address(0x0A000002), 443);
            var perturbA = new PerturbState(profile.PerturbOrder, new SeededDraws(c.Seed));
            var perturbB = new PerturbState(profile.PerturbOrder, new SeededDraws(c.Seed));
            var drawsA = new SeededDraws(c.Seed ^ 0xABCDEF);
            var drawsB = new SeededDraws(c.Seed ^ 0xABCDEF);
            var bix = new NetnsBindIndex();
            var noTimeWait = new TimeWaitPortMap();
            var tablesA = new Tables(live, others);
            var tablesB = new Tables(live, others);
            ulong offset = c.Offset;
            for (int n = 0; n < c.Connects; n++)
            {
                int portA = LeanEraEScan.Scan(ref tablesA, live, low, high, profile.RcuPreCheck, perturbA, drawsA, offset, out var countersA);
                var inputs = new ScanInputs(profile, config, 0, 0, destination, PerSocketRange.Unset, offset, 0);
                int portB = FastConnectScan.ScanPort(inputs, PortBitmap.Empty, bix, live, noTimeWait, ref tablesB, perturbB, drawsB,
                    out var countersB, out bool reused);
                Assert.False(reused);
                Assert.Equal(portB, portA);
                Assert.Equal(countersB, countersA);
                int slot = (int)(offset & (ulong)(perturbA.Size - 1));
                Assert.Equal(perturbB[slot], perturbA[slot]);
                Assert.Equal(drawsB.NextU64(), drawsA.NextU64()); // the same draws taken
                if (portA == 0) break;
                live.Add(portA, 0);
                others[portA] = true;
                offset = n % 3 == 2 ? offset * 6364136223846793005UL + 1442695040888963407UL : offset; // a new time seed now and then
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(400));

    [Fact]
    public void A_full_range_fails_with_every_port_counted_and_no_draw()
    {
        var profile = KernelProfile.FromRelease("6.18.44");
        var live = new PortCostMap();
        live.TrackRange(40000, 40999);
        var others = new bool[65536];
        for (int p = 40000; p <= 40999; p++)
        {
            live.Add(p, 0);
            others[p] = true;
        }
        var perturb = new PerturbState(profile.PerturbOrder, new SeededDraws(3));
        var draws = new SeededDraws(4);
        var tables = new Tables(live, others);
        int port = LeanEraEScan.Scan(ref tables, live, 40000, 40999, profile.RcuPreCheck, perturb, draws, 0x1234_5678_9ABCUL, out var counters);
        Assert.Equal(0, port);
        Assert.Equal(1000, counters.Candidates);
        Assert.Equal(1000, counters.Rescheds);
        Assert.Equal(0, counters.Locks); // 6.15+: no lock for a candidate the lockless walk finds live
        Assert.Equal(new SeededDraws(4).NextU64(), draws.NextU64());
    }

    /// <summary>Unit buckets: a port has a bucket when <c>others</c> says so (alone on its chain); ehash chains of a length per port.</summary>
    private readonly struct Tables(PortCostMap live, bool[] others) : IScanTables
    {
        public static bool UnitBuckets => true;

        public ScanBucket Bucket(int port, out int nodes)
        {
            nodes = others[port] ? 1 : 0;
            return others[port] ? ScanBucket.ConnectOwned : ScanBucket.None;
        }

        public ScanEntry Entry(int port, out int nodes)
        {
            if (live.Contains(port))
            {
                nodes = live.CostAt(port);
                return ScanEntry.Live;
            }
            nodes = port % 5; // the chain a lookup walks to find nothing
            return ScanEntry.None;
        }

        public bool TimeWaitUnique(int port) => true;
    }
}
