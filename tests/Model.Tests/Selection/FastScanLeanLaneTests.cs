using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Tests.Selection;

/// <summary>
/// Differential properties for the lean lane of <see cref="FastConnectScan"/> (no reserved port in the scan range, no
/// BindOwned bucket in the namespace, no TIME_WAIT 4-tuple to the destination: a candidate is skipped exactly when it is
/// live to the destination): live-only occupancy built per 512-port block (empty, half, nearly full, one parity full,
/// all full) over ranges of up to eight blocks, shared ports of other destinations and namespaces, every era, per-socket
/// ranges, sequences of connects and closes — and near misses that turn the lane off or leave it on: one reserved port
/// inside or just outside the range, one BindOwned port inside or outside the range, one TIME_WAIT 4-tuple to the
/// destination or to another one, a close into TIME_WAIT during the sequence. Every <see cref="ConnectResult"/> field and
/// the final tables must equal the reference <see cref="ConnectScan"/>'s.
/// </summary>
public class FastScanLeanLaneTests
{
    private static readonly string[] Kernels = ["3.13", "4.4", "5.10.13", "5.15.0", "5.18", "6.8", "6.18.44"];
    private static readonly Ipv4Address Lo = Ipv4Address.Loopback;

    /// <summary>Near misses: 0 none, 1 reserved port in range, 2 reserved port next to the range, 3 BindOwned port in range,
    /// 4 BindOwned port outside the range, 5 TIME_WAIT 4-tuple to destination 0, 6 TIME_WAIT 4-tuple to destination 1.</summary>
    public sealed record Lean(string Kernel, int Low, int Count, int[] BlockKind, ulong Seed, ulong Offset, uint TableValue,
        int NearMiss, int NearMissAt, int SockLo, int SockHi, (int Kind, int Dest, int Pick, bool SockRange)[] Ops)
    {
        public PortRange Range => new(Low, Low + Count - 1);
        public override string ToString() =>
            $"{Kernel} range {Range} blocks [{string.Join(",", BlockKind)}] seed {Seed} offset 0x{Offset:X} T {TableValue} near miss {NearMiss}@{NearMissAt} " +
            $"sock {SockLo}-{SockHi} ops {Ops.Length}";
    }

    private static Gen<Lean> Scenarios(bool nearMiss) =>
        from kernel in Gen.Elements(Kernels)
        from count in Gen.Frequency((1, Gen.Choose(1, 80)), (4, Gen.Choose(500, 4096)), (2, Gen.Choose(4096, 9000)))
        from low in Gen.Frequency((1, Gen.Choose(1024, 65535 - count + 1)), (2, Gen.Choose(2, 120).Select(k => k * 512 + 0)),
            (1, Gen.Choose(2, 120).Select(k => k * 512 + 1)), (2, Gen.Choose(1, 13).Select(k => k * 4096 + (k % 3 == 0 ? 1 : 0))))
        from dense in Gen.Frequency((1, Gen.Constant(false)), (1, Gen.Constant(true)))
        from kinds in Gen.ArrayOf(dense
            ? Gen.Frequency((3, Gen.Constant(3)), (1, Gen.Constant(4)), (1, Gen.Constant(5)), (5, Gen.Constant(6)))
            : Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Constant(1)), (2, Gen.Constant(2)),
                (3, Gen.Constant(3)), (2, Gen.Constant(4)), (3, Gen.Constant(5)), (4, Gen.Constant(6))), 130)
        from seed in ArbMap.Default.GeneratorFor<ulong>()
        from offset in ArbMap.Default.GeneratorFor<ulong>()
        from t in ArbMap.Default.GeneratorFor<uint>()
        from miss in nearMiss ? Gen.Choose(1, 6) : Gen.Constant(0)
        from at in Gen.Choose(0, count - 1)
        from sa in Gen.Choose(0, count - 1)
        from sb in Gen.Choose(0, count - 1)
        from ops in Gen.ArrayOf(
            from kind in Gen.Frequency((6, Gen.Constant(0)), (3, Gen.Constant(1)), (nearMiss ? 1 : 0, Gen.Constant(2)))
            from dest in Gen.Frequency((5, Gen.Constant(0)), (1, Gen.Constant(1)))
            from pick in Gen.Choose(0, 1 << 20)
            from sr in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
            select (kind, dest, pick, sr), 30)
        let lowC = Math.Min(low, 65535 - count + 1)
        select new Lean(kernel, lowC, count, kinds, seed, offset, t, miss, at, lowC + Math.Min(sa, sb), lowC + Math.Max(sa, sb), ops);

    /// <summary>
    /// Block kinds (per 512-port block of the port number, so blocks of the table are hit whole): 0 empty, 1 half busy,
    /// 2 95 % busy, 3 even ports all busy (odd 90 %), 4 odd ports all busy (even 90 %), 5 all busy but a port or two, 6 all busy.
    /// Busy = live to destination 0 (some also to destination 1: shared); outside the whole busy parities of kinds 3, 4
    /// and 6, a few busy ports belong to destination 1 only or to another namespace.
    /// </summary>
    private static KernelHost Build(Lean s, bool reference)
    {
        var profile = KernelProfile.FromRelease(s.Kernel);
        var host = new KernelHost(profile, new SeededDraws(s.Seed), new FixedPortOffset(s.Offset),
            perturb: new PerturbState(profile.PerturbOrder, null, s.TableValue, s.TableValue)) { UseReferenceScan = reference };
        int miss = s.NearMiss, at = s.Low + s.NearMissAt;
        var reserved = miss switch
        {
            1 => PortBitmap.From([at]),
            2 => PortBitmap.From([s.Low > 1024 ? s.Low - 1 : s.Range.High + 1]),
            _ => PortBitmap.Empty,
        };
        int ns = host.AddNamespace(new NamespaceConfig { Range = s.Range, Reserved = reserved, TcpTwReuse = 1 }, netHashMix: 3);
        int other = host.AddNamespace(new NamespaceConfig { Range = s.Range }, netHashMix: 5);
        var rng = new SeededDraws(s.Seed ^ 0xABCDEF);
        int lastFree = -1;
        for (int p = s.Low; p <= s.Range.High; p++)
        {
            int kind = s.BlockKind[(p >> 9) % s.BlockKind.Length];
            uint r = rng.NextU32() % 1000;
            bool busy = kind switch
            {
                0 => false,
                1 => r < 500,
                2 => r < 950,
                3 => p % 2 == 0 || r < 900,
                4 => p % 2 == 1 || r < 900,
                5 => r < 998,
                _ => true,
            };
            if (!busy) { lastFree = p; continue; }
            // whole parities of kinds 3, 4 and 6 are live to destination 0 (whole-block skips); elsewhere a few busy ports
            // are another destination's only (a bucket, no live 4-tuple to destination 0) or another namespace's
            bool whole = kind == 6 || (kind == 3 && p % 2 == 0) || (kind == 4 && p % 2 == 1);
            if (!whole && r % 97 == 13) host.PlaceConnection(other, new FourTuple(Lo, p, Lo, 7000));
            else if (!whole && r % 89 == 7) host.PlaceConnection(ns, new FourTuple(Lo, p, Lo, 7001));
            else
            {
                host.PlaceConnection(ns, new FourTuple(Lo, p, Lo, 7000));
                if (r % 83 == 5) host.PlaceConnection(ns, new FourTuple(Lo, p, Lo, 7001)); // shared with destination 1
            }
        }
        long now = 100_000;
        switch (miss)
        {
            case 3:
                if (host.StateOf(ns, at) == PortState.Free) host.PlaceBinding(ns, at, Ipv4Address.Parse("127.0.0.9"));
                else if (lastFree >= 0) host.PlaceBinding(ns, lastFree, Ipv4Address.Parse("127.0.0.9"));
                break;
            case 4:
                host.PlaceBinding(ns, s.Low > 1024 ? s.Low - 1 : s.Range.High + 1, Ipv4Address.Parse("127.0.0.9"));
                break;
            case 5 or 6:
                int outside = s.Low > 1024 ? s.Low - 1 : s.Range.High + 1;
                int tw = host.StateOf(ns, at) == PortState.Free ? at : lastFree >= 0 ? lastFree : outside;
                host.PlaceConnection(ns, new FourTuple(Lo, tw, Lo, miss == 5 ? 7000 : 7001), timeWaitSinceMs: now - (s.Seed % 3 == 0 ? 200 : 5_000));
                break;
        }
        host.AdvanceTo(now);
        return host;
    }

    private static void AssertSame(ConnectResult f, ConnectResult r, string where)
    {
        Assert.True(f.Port == r.Port && f.Error == r.Error && f.I == r.I && f.Pass == r.Pass && f.StartOffset == r.StartOffset &&
                    f.Index == r.Index && f.StateBefore == r.StateBefore && f.StateAfter == r.StateAfter && f.Draw == r.Draw &&
                    f.Step == r.Step && f.Remaining == r.Remaining && f.ScanRange == r.ScanRange && f.PortOffset == r.PortOffset &&
                    f.CreatedBucket == r.CreatedBucket && ReferenceEquals(f.ReusedTimeWait, null) == ReferenceEquals(r.ReusedTimeWait, null),
            $"{where}: fast port {f.Port} i {f.I} pass {f.Pass} after {f.StateAfter} draw {f.Draw} vs reference port {r.Port} i {r.I} pass {r.Pass} after {r.StateAfter} draw {r.Draw}");
        Assert.True(f.Counters == r.Counters, $"{where}: counters fast {f.Counters} vs reference {r.Counters}");
    }

    private static string TableState(KernelHost h) =>
        string.Join(";", h.Bind.BucketsOf(0).OrderBy(b => b.Port).Select(b => $"{b.Port}:{b.FastReuse}/{b.FastReusePort}/{b.Owners.Count}")) + "|" +
        string.Join(";", h.Established.EntriesOf(0).OrderBy(e => e.Tuple.LocalPort).ThenBy(e => e.Tuple.RemotePort).Select(e => $"{e.Tuple}:{e.TimeWait}"));

    private static void Run(Lean s)
    {
        var fh = Build(s, reference: false);
        var rh = Build(s, reference: true);
        var sockOpt = new SocketOptions { LocalPortRange = PerSocketRange.FromBounds(s.SockLo, s.SockHi) };
        var open = new List<(int F, int R)>();
        long now = 100_000;
        for (int k = 0; k < s.Ops.Length; k++)
        {
            var op = s.Ops[k];
            now += op.Pick % 3 == 0 ? 700 : 0;
            if (op.Kind == 0 || open.Count == 0)
            {
                var opts = op.SockRange ? sockOpt : null;
                int fs = fh.Socket(0, opts), rs = rh.Socket(0, opts);
                var f = fh.Connect(fs, Lo, 7000 + op.Dest, now);
                var r = rh.Connect(rs, Lo, 7000 + op.Dest, now);
                AssertSame(f, r, $"op {k} {s}");
                if (f.Port is not null) open.Add((fs, rs));
                continue;
            }
            int idx = op.Pick % open.Count;
            var (fid, rid) = open[idx];
            open.RemoveAt(idx);
            var kind = op.Kind == 2 ? CloseKind.TimeWait : CloseKind.NoTimeWait;
            fh.Close(fid, now, kind);
            rh.Close(rid, now, kind);
        }
        Assert.Equal(TableState(rh), TableState(fh));
    }

    [Fact]
    public void Live_only_occupancy_matches_the_reference() =>
        Prop.ForAll(Arb.From(Scenarios(nearMiss: false)), Run).Check(Config.QuickThrowOnFailure.WithMaxTest(100));

    [Fact]
    public void Near_misses_of_the_lean_lane_match_the_reference() =>
        Prop.ForAll(Arb.From(Scenarios(nearMiss: true)), Run).Check(Config.QuickThrowOnFailure.WithMaxTest(100));

    /// <summary>
    /// The steady state of the workload simulation in small: an 8192-port range (two 4096-port superblocks) live to one
    /// destination, every era, then connects and closes; layout 0: the first superblock all busy, the even ports all busy
    /// in the second (every first pass swept to the end through a whole superblock); layout 1: all busy but the last block
    /// (95 %); layout 2: mixed blocks. Also with one reserved port, one BindOwned port, one TIME_WAIT 4-tuple.
    /// </summary>
    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(1, 0)]
    [InlineData(3, 1)]
    [InlineData(5, 0)]
    public void Workload_like_steady_state_matches_the_reference(int nearMiss, int layout)
    {
        int[] kinds = layout switch
        {
            0 => [6, 6, 6, 6, 6, 6, 6, 6, 3, 6, 3, 6, 3, 6, 3, 3],
            1 => [6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 2],
            _ => [6, 6, 6, 6, 6, 6, 6, 6, 3, 6, 3, 5, 3, 6, 2, 1],
        };
        foreach (var kernel in Kernels)
        {
            var s = new Lean(kernel, 32768, 8192, kinds, 5, 0x1234_5678_9ABC_DEF0, 0x0BADF00D, nearMiss, 4321, 33000, 36999,
                [.. Enumerable.Range(0, 60).Select(k => (k % 3 == 2 ? 1 : 0, 0, k * 7919, k % 11 == 10))]);
            Run(s);
        }
    }

    /// <summary>
    /// Whole passes live to the destination (skipped at once in the lean lane): ranges aligned to superblocks, the default
    /// range, unaligned ranges with an even and an odd number of ports (the odd count is rounded down: no whole-pass
    /// skip), all live or all live but one free port at an edge, next to it or in the middle, every era, with and without
    /// a per-socket range, a series of connects (the first ones take the free ports, the next ones fail); the ports next
    /// to the range live too.
    /// </summary>
    [Theory]
    [InlineData(32768, 40959)]
    [InlineData(32768, 60999)]
    [InlineData(1025, 3072)]
    [InlineData(1024, 3072)]
    [InlineData(40000, 40063)]
    [InlineData(32768, 36799)]
    [InlineData(33281, 36862)]
    [InlineData(35000, 39001)]
    public void Whole_live_passes_match_the_reference(int low, int high)
    {
        var range = new PortRange(low, high);
        bool large = high - low > 10_000; // fewer cases for the default range (28,232 ports)
        int[] frees = large ? [-1, high - 1] : [-1, low, high - 1, (low + high) / 2 + 1];
        foreach (var kernel in Kernels)
            foreach (int free in frees)
            {
                var profile = KernelProfile.FromRelease(kernel);
                ulong portOffset = 0xFEDC_BA98_7654_3210UL ^ (ulong)free;
                // every other case: hint + port_offset close to 2^32 (eras A and B: i + offset wraps during the scan)
                uint table = free % 2 == 0 ? 0xFFFF_FF00u : unchecked(0u - (uint)portOffset - 50u);
                KernelHost Make(bool reference)
                {
                    var h = new KernelHost(profile, new SeededDraws(3), new FixedPortOffset(portOffset), perturb:
                        new PerturbState(profile.PerturbOrder, null, table, table)) { UseReferenceScan = reference };
                    h.AddNamespace(new NamespaceConfig { Range = range });
                    // live 4-tuples also on 600 ports either side of the range (in the same words, blocks and
                    // superblocks): sums taken over more than the range would count them
                    for (int p = Math.Max(1, low - 600); p <= Math.Min(65535, high + 600); p++)
                        if (p != free) h.PlaceConnection(0, new FourTuple(Lo, p, Lo, 7000));
                    return h;
                }
                var fh = Make(false);
                var rh = Make(true);
                // three connects without a per-socket range, then (smaller ranges) three with one (step 1 from 6.8)
                var sockOpts = new SocketOptions { LocalPortRange = PerSocketRange.FromBounds(low, high) };
                for (int n = 0; n < (large ? 3 : 6); n++)
                {
                    var opts = n < 3 ? null : sockOpts;
                    var f = fh.Connect(fh.Socket(0, opts), Lo, 7000, 0);
                    var r = rh.Connect(rh.Socket(0, opts), Lo, 7000, 0);
                    AssertSame(f, r, $"{kernel} range {range} free {free} connect {n}");
                }
            }
    }
}
