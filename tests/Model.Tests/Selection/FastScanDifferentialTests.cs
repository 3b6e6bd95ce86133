using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Tests.Selection;

/// <summary>
/// Differential properties: <see cref="FastConnectScan"/> against the reference <see cref="ConnectScan"/> on identical
/// hosts (random ranges, reserved and bind-owned sets, occupancy with busy / shared / TIME_WAIT entries of various ages,
/// offsets, table values, table sizes, eras, per-socket ranges, sequences of connects and closes). Every
/// <see cref="ConnectResult"/> field and the final table state must be identical.
/// </summary>
public class FastScanDifferentialTests
{
    /// <summary>FsCheck cases per property.</summary>
    public const int Cases = 300;
    private static readonly Config Cfg = Config.QuickThrowOnFailure.WithMaxTest(Cases);
    private static readonly string[] Kernels = ["3.13", "4.4", "5.10.13", "5.15.0", "5.18", "6.8", "6.18.44"];
    private static readonly Ipv4Address Lo = Ipv4Address.Loopback;
    private static readonly Ipv4Address Remote = new(0x0A000002);

    /// <summary>port_offset per destination port (distinct destinations get distinct offsets and table slots).</summary>
    private sealed record PerDestinationOffset(ulong Base) : IPortOffsetSource
    {
        public ulong PortOffset(Destination destination, long nowMs) => Base ^ ((ulong)destination.Port * 0x9E37_79B9_7F4A_7C15UL);
    }

    /// <summary>One operation: 0 connect, 1 close into TIME_WAIT, 2 close without TIME_WAIT.</summary>
    public sealed record Op(int Kind, int Dest, int Pick, int AdvanceMs, bool SockRange, bool Remote);

    /// <param name="TwReuse">tcp_tw_reuse of the namespace.</param>
    /// <param name="TwVariety">TIME_WAIT entries also to the non-loopback destination, some without timestamps or in FIN_WAIT2; closes also into FIN_WAIT2.</param>
    public sealed record Scenario(string Kernel, int Low, int Count, int[] States, ulong Offset, uint TableValue, int SmallTables,
        int SockLo, int SockHi, ulong Seed, Op[] Ops, int TwAgeMaxMs, int TwReuse = 1, bool TwVariety = false)
    {
        public PortRange Range => new(Low, Low + Count - 1);
        public override string ToString() =>
            $"{Kernel} range {Range} states [{string.Join("", States)}] offset 0x{Offset:X} T 0x{TableValue:X} small {SmallTables} " +
            $"sock {SockLo}-{SockHi} seed {Seed} ops {Ops.Length} tw_reuse {TwReuse} variety {TwVariety}";
    }

    // per port: 0 free, 1 reserved, 2 bind-owned, 3 busy (dest 0), 4 busy (dest 1), 5 TIME_WAIT (dest 0), 6 other netns, 7 reserved + busy
    private static Gen<Scenario> Scenarios(int maxCount, int maxOps) =>
        from kernel in Gen.Elements(Kernels)
        from count in Gen.Choose(1, maxCount)
        from low in Gen.Choose(1024, 65535 - count + 1)
        from density in Gen.Choose(0, 100)
        from states in Gen.ArrayOf(Gen.Frequency(
            (100 - density + 1, Gen.Constant(0)), (Math.Max(1, density / 8), Gen.Constant(1)),
            (Math.Max(1, density / 6), Gen.Constant(2)), (density + 1, Gen.Constant(3)), (Math.Max(1, density / 4), Gen.Constant(4)),
            (Math.Max(1, density / 4), Gen.Constant(5)), (Math.Max(1, density / 6), Gen.Constant(6)), (1, Gen.Constant(7))), count)
        from hi in ArbMap.Default.GeneratorFor<uint>()
        from lo in ArbMap.Default.GeneratorFor<uint>()
        from t in ArbMap.Default.GeneratorFor<uint>()
        from small in Gen.Choose(0, 2)
        from sockLo in Gen.Choose(low, low + count - 1)
        from sockHi in Gen.Choose(low, low + count - 1)
        from seed in ArbMap.Default.GeneratorFor<ulong>()
        from ops in Gen.ArrayOf(
            from kind in Gen.Frequency((6, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)))
            from dest in Gen.Choose(0, 2)
            from pick in Gen.Choose(0, 1 << 20)
            from adv in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(0, 1500)), (1, Gen.Choose(0, 70_000)))
            from sr in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
            from rem in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
            select new Op(kind, dest, pick, adv, sr, rem), maxOps)
        from twAge in Gen.Choose(1, 70_000)
        select new Scenario(kernel, low, count, states, ((ulong)hi << 32) | lo, t, small, Math.Min(sockLo, sockHi), Math.Max(sockLo, sockHi),
            seed, ops, twAge);

    private static (KernelHost Host, int Ns) Build(Scenario s, bool reference)
    {
        var profile = KernelProfile.FromRelease(s.Kernel);
        var layout = s.SmallTables switch
        {
            1 => new TableLayout { BhashSize = 16, EhashSize = 32, EhashSecret = 7 },
            2 => new TableLayout { BhashSize = 1, EhashSize = 1 },
            _ => TableLayout.Default,
        };
        var perturb = new PerturbState(profile.PerturbOrder, null, s.TableValue, s.TableValue);
        var host = new KernelHost(profile, new SeededDraws(s.Seed), new PerDestinationOffset(s.Offset), layout, perturb) { UseReferenceScan = reference };
        var reserved = PortBitmap.From(Enumerable.Range(0, s.Count).Where(i => s.States[i] is 1 or 7).Select(i => s.Low + i));
        int ns = host.AddNamespace(new NamespaceConfig { Range = s.Range, Reserved = reserved, TcpTwReuse = s.TwReuse }, netHashMix: 3);
        int other = host.AddNamespace(new NamespaceConfig { Range = s.Range }, netHashMix: 5);
        long now = 100_000;
        for (int i = 0; i < s.Count; i++)
        {
            int port = s.Low + i;
            switch (s.States[i])
            {
                case 2: host.PlaceBinding(ns, port, Ipv4Address.Parse("127.0.0.9")); break;
                case 3 or 7: host.PlaceConnection(ns, new FourTuple(Lo, port, Lo, 7000)); break;
                case 4: host.PlaceConnection(ns, new FourTuple(Lo, port, Lo, 7001)); break;
                case 5 when s.TwVariety:
                    PlaceTimeWait(host, ns, new FourTuple(Lo, port, Lo, 7000), now - (i * 7919 % s.TwAgeMaxMs), i);
                    if (i % 2 == 0) PlaceTimeWait(host, ns, new FourTuple(Src, port, Remote, 7000), now - (i * 4099 % s.TwAgeMaxMs), i / 2);
                    break;
                case 5: host.PlaceConnection(ns, new FourTuple(Lo, port, Lo, 7000), timeWaitSinceMs: now - (i * 7919 % s.TwAgeMaxMs)); break;
                case 6: host.PlaceConnection(other, new FourTuple(Lo, port, Lo, 7000)); break;
            }
        }
        host.AdvanceTo(now);
        return (host, ns);
    }

    private static readonly Ipv4Address Src = new(0x0A000001);
    private static readonly SocketOptions NoTimestamps = new() { Timestamps = false };

    /// <summary>A TIME_WAIT 4-tuple; every 5th without peer timestamps, every 7th in FIN_WAIT2 (set after entry, like a late state change).</summary>
    private static void PlaceTimeWait(KernelHost host, int ns, FourTuple tuple, long sinceMs, int i)
    {
        host.PlaceConnection(ns, tuple, timeWaitSinceMs: sinceMs, options: i % 5 == 4 ? NoTimestamps : null);
        if (i % 7 == 6) host.Established.Find(ns, tuple)!.FinWait2Substate = true;
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

    private static string TableState(KernelHost h, int ns) =>
        string.Join(";", h.Bind.BucketsOf(ns).OrderBy(b => b.Port).Select(b => $"{b.Port}:{b.FastReuse}/{b.FastReusePort}/{b.Owners.Count}")) + "|" +
        string.Join(";", h.Established.EntriesOf(ns).OrderBy(e => e.Tuple.LocalPort).ThenBy(e => e.Tuple.RemotePort)
            .Select(e => $"{e.Tuple}:{e.TimeWait}")) + "|" + h.Perturb.Hint + "|" +
        string.Join(",", Enumerable.Range(0, h.Perturb.Size).Select(i => h.Perturb[i]).Where((_, i) => i < 64 || h.Perturb[i] != 0).Take(4096));

    private static int _connects;

    /// <param name="s">The scenario.</param>
    /// <param name="release">The fast host gives every finished socket back (<see cref="KernelHost.Release"/>: failed
    /// connects and closes without TIME_WAIT at once, TIME_WAIT sockets once <see cref="KernelHost.TryRelease"/> accepts
    /// them), so its socket ids are recycled, while the reference host never releases: nothing else may differ.</param>
    private static void RunScenario(Scenario s, bool release = false)
    {
        var (fh, fns) = Build(s, reference: false);
        var (rh, rns) = Build(s, reference: true);
        var open = new List<(int Fast, int Reference)>();
        var waiting = new List<int>(); // fast-host sockets in TIME_WAIT, released when their TIME_WAIT is over or reused
        long now = 100_000;
        var sockOpt = new SocketOptions { LocalPortRange = PerSocketRange.FromBounds(s.SockLo, s.SockHi) };
        for (int k = 0; k < s.Ops.Length; k++)
        {
            var op = s.Ops[k];
            now += op.AdvanceMs;
            if (op.Kind == 0)
            {
                var opts = op.SockRange ? sockOpt : s.TwVariety && op.Pick % 4 == 0 ? NoTimestamps : null;
                var dst = op.Remote ? Remote : Lo;
                int fs = fh.Socket(fns, opts), rs = rh.Socket(rns, opts);
                Interlocked.Increment(ref _connects);
                var f = fh.Connect(fs, dst, 7000 + op.Dest, now);
                var r = rh.Connect(rs, dst, 7000 + op.Dest, now);
                Interlocked.Increment(ref _connects);
                AssertSame(f, r, $"op {k} {s}");
                if (f.Port is not null) open.Add((fs, rs));
                else if (release) fh.Release(fs);
            }
            else if (open.Count > 0)
            {
                int idx = op.Pick % open.Count;
                var (fid, rid) = open[idx];
                open.RemoveAt(idx);
                var kind = op.Kind != 1 ? CloseKind.NoTimeWait : s.TwVariety && op.Pick % 3 == 0 ? CloseKind.TimeWaitFromFinWait2 : CloseKind.TimeWait;
                fh.Close(fid, now, kind);
                rh.Close(rid, now, kind);
                if (release && kind == CloseKind.NoTimeWait) fh.Release(fid);
                else if (release) waiting.Add(fid);
            }
            if (release)
            {
                fh.AdvanceTo(now);
                rh.AdvanceTo(now);
                waiting.RemoveAll(fh.TryRelease);
            }
        }
        Assert.Equal(TableState(rh, rns), TableState(fh, fns));
        Assert.Equal(rh.Established.Count, fh.Established.Count);
        Assert.Equal(rh.Established.TimeWaitCount, fh.Established.TimeWaitCount);
        Assert.Equal(rh.Bind.Count, fh.Bind.Count);
    }

    [Fact]
    public void Small_ranges_with_mixed_occupancy_and_sequences_match_the_reference() =>
        Prop.ForAll(Arb.From(Scenarios(maxCount: 200, maxOps: 40)), s => RunScenario(s)).Check(Cfg);

    /// <summary>
    /// Recycling changes nothing: a fast host that releases every finished socket (ids, socket objects, ehash entries and
    /// bind owners reused) gives the same results and tables as the reference host that keeps them all, TIME_WAIT included.
    /// </summary>
    [Fact]
    public void Recycled_sockets_entries_and_owners_change_nothing() =>
        Prop.ForAll(Arb.From(
            from s in Scenarios(maxCount: 120, maxOps: 80)
            from reuse in Gen.Choose(0, 2)
            select s with
            {
                TwReuse = reuse, TwVariety = true,
                Ops = s.Ops.Select(o => o with { Kind = o.Pick % 5 == 0 ? 1 : o.Kind }).ToArray(),
            }), s => RunScenario(s, release: true)).Check(Cfg);

    /// <summary>
    /// TIME_WAIT-heavy occupancy (most free and busy ports turned into TIME_WAIT 4-tuples of various ages, to the loopback
    /// and a non-loopback destination, some without timestamps or in FIN_WAIT2) with tcp_tw_reuse 0, 1 and 2, every era.
    /// </summary>
    [Fact]
    public void Time_wait_heavy_scenarios_match_the_reference_for_every_tcp_tw_reuse() =>
        Prop.ForAll(Arb.From(
            from s in Scenarios(maxCount: 300, maxOps: 40)
            from reuse in Gen.Choose(0, 2)
            from share in Gen.Choose(0, 4)
            select s with
            {
                TwReuse = reuse, TwVariety = true,
                States = s.States.Select((x, i) => x is 0 or 3 && (i * 2654435761u + (uint)share) % 5 < (uint)share ? 5 : x).ToArray(),
                Ops = s.Ops.Select(o => o with { Remote = o.Remote || o.Pick % 3 == 0 }).ToArray(),
            }), s => RunScenario(s)).Check(Cfg);

    /// <summary>
    /// A range of whole 512-port blocks of TIME_WAIT 4-tuples (ages 0–70 s, some without timestamps, some FIN_WAIT2), with
    /// live, BindOwned and reserved ports, filled further by connects as time passes (closes into TIME_WAIT), in every
    /// era with tcp_tw_reuse 0, 1 and 2 to the loopback and to a non-loopback destination.
    /// </summary>
    [Theory]
    [InlineData(0, true)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(2, false)]
    public void Time_wait_fills_match_the_reference_in_every_era(int twReuse, bool loopback)
    {
        var src = loopback ? Lo : Src;
        var dst = loopback ? Lo : Remote;
        foreach (var kernel in Kernels)
        {
            var profile = KernelProfile.FromRelease(kernel);
            KernelHost Make(bool reference)
            {
                var h = new KernelHost(profile, new SeededDraws(11), new FixedPortOffset(0x0123_4567_89AB_CDEF), perturb:
                    new PerturbState(profile.PerturbOrder, null, 1234, 1234)) { UseReferenceScan = reference };
                h.AddNamespace(new NamespaceConfig { Range = new PortRange(4096, 7167), Reserved = PortListSyntax.Parse("6000-6010"), TcpTwReuse = twReuse });
                long now = 100_000;
                for (int p = 4096; p <= 7167; p++)
                {
                    if (p >= 6144 && p % 211 == 0) continue; // a few free ports in the last blocks
                    // 4096–5119: two whole blocks of old TIME_WAIT 4-tuples (with timestamps)
                    if (p < 5120 || p % 97 == 0) h.PlaceConnection(0, new FourTuple(src, p, dst, 7000), timeWaitSinceMs: now - 59_000 + (p % 50) * 100);
                    else if (p % 389 == 0) h.PlaceBinding(0, p, Ipv4Address.Parse("127.0.0.9"));
                    else if (p % 53 == 0) h.PlaceConnection(0, new FourTuple(src, p, dst, 7000));
                    else PlaceTimeWait(h, 0, new FourTuple(src, p, dst, 7000), now - p * 7919 % 59_000, p);
                }
                h.AdvanceTo(now);
                return h;
            }
            var fh = Make(false);
            var rh = Make(true);
            long t = 100_000;
            var open = new List<int>();
            for (int n = 0; n < 60; n++) // the few free ports go first; with tcp_tw_reuse ruling reuse out, full failing scans follow
            {
                t += n % 3 == 0 ? 700 : 0;
                int fs = fh.Socket(0), rs = rh.Socket(0);
                Interlocked.Increment(ref _connects);
                var f = fh.Connect(fs, dst, 7000, t);
                var r = rh.Connect(rs, dst, 7000, t);
                AssertSame(f, r, $"{kernel} tw_reuse {twReuse} loopback {loopback} connect {n}");
                if (f.Port is not null) open.Add(fs);
                if (n % 4 == 3 && open.Count > 0)
                {
                    int id = open[n % open.Count];
                    open.Remove(id);
                    var kind = n % 8 == 3 ? CloseKind.TimeWaitFromFinWait2 : CloseKind.TimeWait;
                    fh.Close(id, t, kind);
                    rh.Close(id, t, kind);
                }
            }
            Assert.Equal(TableState(rh, 0), TableState(fh, 0));
        }
    }

    [Fact]
    public void Larger_ranges_filled_to_exhaustion_match_the_reference() =>
        Prop.ForAll(Arb.From(Scenarios(maxCount: 800, maxOps: 10).Select(s => s with
        {
            // fill: mostly connects to three destinations, enough to exhaust the range, then closes and more connects
            Ops = Enumerable.Range(0, s.Count * 2 + 40).Select(k => s.Ops.Length == 0 ? new Op(0, k % 3, k, 0, false, false)
                : k % 17 == 16 ? s.Ops[k % s.Ops.Length] with { Kind = 1 } : s.Ops[k % s.Ops.Length] with { Kind = 0, Dest = k % 3 }).ToArray(),
        })), s => RunScenario(s)).Check(Config.QuickThrowOnFailure.WithMaxTest(30));

    [Fact]
    public void Range_fill_to_exhaustion_matches_the_reference_in_every_era()
    {
        foreach (var kernel in Kernels)
        {
            var profile = KernelProfile.FromRelease(kernel);
            KernelHost Make(bool reference)
            {
                var h = new KernelHost(profile, new SeededDraws(42), new FixedPortOffset(0x1234_5678_9ABC_DEF0), perturb:
                    new PerturbState(profile.PerturbOrder, null, 0x0BADF00D, 0x0BADF00D)) { UseReferenceScan = reference };
                h.AddNamespace(new NamespaceConfig { Range = new PortRange(32768, 34999), Reserved = PortListSyntax.Parse("33000-33100,34001") });
                return h;
            }
            var fh = Make(false);
            var rh = Make(true);
            for (int n = 0; n < 2232 + 30; n++)
            {
                Interlocked.Increment(ref _connects);
                var f = fh.Connect(fh.Socket(0), Lo, 7000, 0);
                var r = rh.Connect(rh.Socket(0), Lo, 7000, 0);
                AssertSame(f, r, $"{kernel} connect {n}");
            }
        }
    }

    /// <summary>
    /// Ranges spanning whole 512-port blocks (the block sums of the fast scan): blocks fully live to the destination,
    /// fully BindOwned, with reserved ports, and mixed, with a few free ports left; both parities and every era.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Whole_blocks_match_the_reference(int layout)
    {
        foreach (var kernel in Kernels)
        {
            var profile = KernelProfile.FromRelease(kernel);
            KernelHost Make(bool reference)
            {
                var h = new KernelHost(profile, new SeededDraws(9), new FixedPortOffset(0x0F0F_1234_9ABC_DEF0), perturb:
                    new PerturbState(profile.PerturbOrder, null, 77, 77)) { UseReferenceScan = reference };
                var reserved = layout == 2 ? PortListSyntax.Parse("9000,9001,13000-13010") : PortBitmap.Empty;
                h.AddNamespace(new NamespaceConfig { Range = new PortRange(4096, 16383), Reserved = reserved });
                for (int p = 4096; p <= 16383; p++)
                {
                    if (p >= 12288 && p % 1999 == 0) continue; // a few free ports, all in the last block
                    bool bindOwned = layout switch { 1 => p >= 8192 && p < 12288, 3 => p % 777 == 0, _ => false };
                    if (bindOwned) h.PlaceBinding(0, p, Ipv4Address.Parse("127.0.0.9"));
                    else h.PlaceConnection(0, new FourTuple(Lo, p, Lo, layout == 3 && p % 555 == 0 ? 7001 : 7000));
                }
                return h;
            }
            var fh = Make(false);
            var rh = Make(true);
            for (int n = 0; n < 12; n++)
            {
                Interlocked.Increment(ref _connects);
                var f = fh.Connect(fh.Socket(0), Lo, 7000, 0);
                var r = rh.Connect(rh.Socket(0), Lo, 7000, 0);
                AssertSame(f, r, $"{kernel} layout {layout} connect {n}");
            }
        }
    }
}
