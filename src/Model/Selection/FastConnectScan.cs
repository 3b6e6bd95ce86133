using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using PortSelection.Model.Hashing;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Selection;

/// <summary>
/// An exact, fast implementation of the connect() autobind scan: the same port, <c>i</c>, pass, state update, random
/// draws and <see cref="ScanCounters"/> as <see cref="ConnectScan"/> (the reference), for every era, without looking
/// at skipped candidates one by one.
/// </summary>
/// <remarks>
/// <para>The scan order of every era (§3.1–§3.8 of shared/kernel/port-selection.md: era A <c>low + (i + offset) % remaining</c>
/// from i = 1, 3.x; era B from i = 0, 07f4c90062f8; eras C–E two parity passes with one wrap subtraction, 1580ab63fc9a;
/// 6.8 step 1 with a per-socket range, 207184853dbd) is cut into ascending runs of ports. Each run is read 64 ports a
/// word from the bitmaps reserved (R, the netns sysctl), BindOwned (B, <see cref="NetnsBindIndex"/>), bucket present
/// (T) and live 4-tuple to this destination (L, <see cref="DestinationTables.Live"/>). A candidate in
/// R ∪ B ∪ (L ∩ T) is always skipped with a fixed set of counters; every other candidate (free, shared with other
/// destinations, or a TIME_WAIT match, whose reuse depends on time) is evaluated exactly like the reference.</para>
/// <para>Counters of skipped words are popcounts; chain nodes (bhash and ehash) are the chain positions kept per port
/// by the tables, summed per word and parity (<see cref="PortCostMap.WordCost"/>) for whole words and bit by bit for
/// partial words. Locks, ehash locks and rescheds follow the era rules of the reference (cond_resched per failed
/// probe since 4.6; no lock for skipped candidates with the 6.15 RCU pre-check, 86c2bc293b81).</para>
/// <para>Lean lane (no reserved port in the scan range, no BindOwned bucket in the namespace, no TIME_WAIT 4-tuple to
/// the destination — the workload simulation's usual state): a candidate is skipped exactly when it is in L ∩ T, so a
/// run reads only T and L, skips whole words, 512-port blocks and 4096-port superblocks from their (even, odd) member
/// counts and cost sums, and adds the skipped candidates' counters once per scan; a whole pass (eras A and B: the whole
/// range) that is all live is skipped at once from the sums that tile it. Every other candidate is still evaluated
/// one by one like the reference.</para>
/// <para>Allocates nothing (<see cref="Scan"/>): spans over the indexes, a ref struct walker.</para>
/// </remarks>
public static class FastConnectScan
{
    private const ulong EvenMask = 0x5555_5555_5555_5555UL;
    private const ulong OddMask = 0xAAAA_AAAA_AAAA_AAAAUL;

    /// <summary>Runs one scan and returns a <see cref="ConnectResult"/> (without a candidate log).</summary>
    public static ConnectResult Run(ConnectScanRequest req, BindTable bind, EstablishedTable ehash, PerturbState perturb, IRandomDraws draws) =>
        Scan(req, bind, ehash, perturb, draws).ToResult();

    /// <summary>Runs one scan without allocating. Same arguments and state update as <see cref="ConnectScan.Run"/>.</summary>
    public static FastScanOutcome Scan(ConnectScanRequest req, BindTable bind, EstablishedTable ehash, PerturbState perturb, IRandomDraws draws) =>
        ScanFrom(ScanInputs.From(req), bind, ehash, perturb, draws);

    /// <summary>Runs one scan from inputs given as a value (no request object).</summary>
    internal static FastScanOutcome ScanFrom(in ScanInputs req, BindTable bind, EstablishedTable ehash, PerturbState perturb, IRandomDraws draws)
    {
        var dest = ehash.DestinationOf(new DestinationKey(req.Netns, req.Destination));
        HostTables tables = default;
        tables.Init(in req, bind, ehash, dest);
        return ScanWith(req, req.Config.Reserved, bind.IndexOf(req.Netns), dest?.Live ?? ehash.EmptyLive, dest?.TimeWait ?? ehash.EmptyTimeWait,
            ref tables, perturb, draws, dest);
    }

    /// <summary>
    /// Runs one scan over the port indexes of one namespace and destination, with <paramref name="tables"/> for the
    /// candidates that need a lookup (the bhash bucket and the ehash entry of a candidate the bitmaps cannot decide).
    /// The outcome's <see cref="FastScanOutcome.TimeWaitReused"/> says whether the chosen port's TIME_WAIT 4-tuple is
    /// taken over (<see cref="FastScanOutcome.ReusedTimeWait"/> is left to the caller).
    /// </summary>
    internal static FastScanOutcome ScanWith<T>(in ScanInputs req, PortBitmap reserved, NetnsBindIndex bix, PortCostMap live, TimeWaitPortMap timeWait,
        T tables, PerturbState perturb, IRandomDraws draws) where T : struct, IScanTables =>
        ScanWith(req, reserved, bix, live, timeWait, ref tables, perturb, draws, destination: null);

    /// <summary>
    /// <see cref="ScanWith{T}(in ScanInputs, PortBitmap, NetnsBindIndex, PortCostMap, TimeWaitPortMap, T, PerturbState, IRandomDraws)"/>
    /// with the lookups passed by reference (no copy of the struct per scan); with the host's tables of the destination
    /// (<paramref name="destination"/>) it also fills <see cref="FastScanOutcome.Destination"/> and
    /// <see cref="FastScanOutcome.ReusedTimeWait"/> (the outcome is built once, in place: no copy to amend).
    /// </summary>
    internal static FastScanOutcome ScanWith<T>(in ScanInputs req, PortBitmap reserved, NetnsBindIndex bix, PortCostMap live, TimeWaitPortMap timeWait,
        ref T tables, PerturbState perturb, IRandomDraws draws, DestinationTables? destination) where T : struct, IScanTables
    {
        Walker<T> w = default;
        var range = Walk(ref w, in req, reserved, bix, live, timeWait, ref tables, perturb, draws);
        // Built field by field from the walker (a block copy of fields just written one by one stalls store forwarding).
        bool found = w.Port != 0;
        ref var n = ref w.N;
        return new FastScanOutcome
        {
            Port = found ? w.Port : null, PortOffset = req.PortOffset, Index = w.HasIndex ? w.Index : null, StartOffset = w.StartOffset,
            ScanRange = range, Step = w.Step, Remaining = w.Remaining, I = found ? w.I : -1, Pass = w.Pass,
            StateBefore = w.StateBefore, StateAfter = w.StateAfter, Draw = w.HasDraw ? w.Draw : null,
            Counters = FieldByField(in n),
            TimeWaitReused = found && w.ReusedTw, CreatedBucket = found && w.Created,
            ReusedTimeWait = found && w.ReusedTw ? destination?.EntryAt(w.Port) : null, Destination = destination,
        };
    }

    /// <summary>
    /// <see cref="ScanWith{T}(in ScanInputs, PortBitmap, NetnsBindIndex, PortCostMap, TimeWaitPortMap, T, PerturbState, IRandomDraws)"/>
    /// for a caller that needs only the chosen port (0 when none), the work counters and whether the port's TIME_WAIT
    /// 4-tuple is taken over: the same scan and state change, no outcome record built.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // a large body: inlined into a caller's loop it takes the inlining budget of the loop's small calls
    internal static int ScanPort<T>(in ScanInputs req, PortBitmap reserved, NetnsBindIndex bix, PortCostMap live, TimeWaitPortMap timeWait,
        ref T tables, PerturbState perturb, IRandomDraws draws, out ScanCounters counters, out bool timeWaitReused) where T : struct, IScanTables
    {
        Walker<T> w = default;
        Walk(ref w, in req, reserved, bix, live, timeWait, ref tables, perturb, draws);
        counters = FieldByField(in w.N);
        timeWaitReused = w.Port != 0 && w.ReusedTw;
        return w.Port;
    }

    /// <summary>A copy of counters just written one by one, made field by field (a block copy stalls store forwarding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ScanCounters FieldByField(in ScanCounters n) => new()
    {
        Candidates = n.Candidates, Reserved = n.Reserved, Probes = n.Probes, BindOwned = n.BindOwned, TupleChecks = n.TupleChecks,
        BhashNodes = n.BhashNodes, EhashNodes = n.EhashNodes, Locks = n.Locks, EhashLocks = n.EhashLocks,
        TimeWaitMatches = n.TimeWaitMatches, Rescheds = n.Rescheds,
    };

    /// <summary>Runs the scan of <paramref name="req"/>'s era into <paramref name="w"/> (a default walker); returns the range scanned.</summary>
    private static PortRange Walk<T>(ref Walker<T> w, in ScanInputs req, PortBitmap reserved, NetnsBindIndex bix, PortCostMap live, TimeWaitPortMap timeWait,
        ref T tables, PerturbState perturb, IRandomDraws draws) where T : struct, IScanTables
    {
        var p = req.Profile;
        var (range, localPorts) = p.PerSocketRangeClamp ? req.SocketRange.Clamp(req.Config.Range) : (req.Config.Range, false);
        w.Init(in req, reserved, bix, live, timeWait, range);
        switch (p.Era)
        {
            case ConnectEra.A: ScanEraAB(ref w, ref tables, in req, range, perturb, eraA: true); break;
            case ConnectEra.B: ScanEraAB(ref w, ref tables, in req, range, perturb, eraA: false); break;
            default: ScanModern(ref w, ref tables, in req, range, perturb, draws, localPorts && p.PerSocketRangeStepOne); break;
        }
        w.AddLeanCounters();
        return range;
    }

    private static void ScanEraAB<T>(ref Walker<T> w, ref T tables, in ScanInputs req, PortRange range, PerturbState st, bool eraA) where T : struct, IScanTables
    {
        uint remaining = (uint)range.Count;
        uint before = st.Hint;
        uint offset = unchecked(st.Hint + (uint)req.PortOffset);
        if (!eraA) offset &= ~1u;
        w.Step = 1; w.Remaining = remaining; w.StartOffset = offset; w.StateBefore = before; w.StateAfter = before;
        long i = eraA ? 1 : 0;
        long end = eraA ? remaining : (long)remaining - 1; // inclusive
        // Without a u32 wrap of i + offset the scan visits every port of the range once: when all are live, none is chosen.
        if (w.Lean && offset + (ulong)end < (1UL << 32) && w.AllLive<BothParities>(range.Low, range.Low + (int)remaining)) return;
        while (i <= end)
        {
            uint v = unchecked((uint)i + offset);
            uint r = v % remaining;
            long len = Math.Min(Math.Min(remaining - r, (1L << 32) - v), end - i + 1);
            if (w.Run(ref tables, range.Low + (int)r, 1, (int)len, (int)i, out int port, out int fi))
            {
                st.Hint = unchecked(st.Hint + (uint)(eraA ? fi : (fi + 2) & ~1));
                w.Port = port; w.I = fi; w.Pass = 1; w.StateAfter = st.Hint;
                return;
            }
            i += len;
        }
    }

    private static void ScanModern<T>(ref Walker<T> w, ref T tables, in ScanInputs req, PortRange range, PerturbState st, IRandomDraws draws, bool localPorts) where T : struct, IScanTables
    {
        var era = req.Profile.Era;
        int step = localPorts ? 1 : 2;
        int low = range.Low;
        int hiX = range.High + 1;
        uint remaining = (uint)(hiX - low);
        if (!localPorts && remaining > 1) remaining &= ~1u;

        uint offset = PerturbSlot.Start(era, st, req.PortOffset, remaining, out int index, out uint before);
        if (!localPorts) offset &= ~1u;
        w.Step = step; w.Remaining = remaining; w.StartOffset = offset; w.StateBefore = before; w.StateAfter = before;
        if (index >= 0)
        {
            w.HasIndex = true;
            w.Index = index;
        }

        // A pass visits every port of its parity (every port with step 1) in low .. low + remaining − 1 when the range
        // holds exactly `remaining` ports (not when an odd count was rounded down: one port of the low parity is then
        // never visited, which one depending on the offset).
        bool wholePasses = w.Lean && (uint)(hiX - low) == remaining && remaining > 1;
        for (int pass = 1; ; pass++)
        {
            int port = low + (int)offset;
            int i = 0;
            // A whole pass live to the destination is skipped at once: from the range totals the tables keep (O(1)), else
            // from the sums that tile the range.
            if (wholePasses && ((step == 2 && w.SkipPass(low, hiX - 1, port & 1)) ||
                (step == 1 ? w.AllLive<BothParities>(low, hiX) : (port & 1) == 0 ? w.AllLive<EvenPorts>(low, hiX) : w.AllLive<OddPorts>(low, hiX))))
                i = (int)remaining; // the whole pass is live to the destination: skipped, nothing chosen
            while (i < remaining)
            {
                if (port >= hiX) port -= (int)remaining;
                int left = (int)((remaining - (uint)i + (uint)step - 1) >> (step - 1)); // step is 1 or 2
                int toEnd = (hiX - port + step - 1) >> (step - 1);
                int len = Math.Min(left, toEnd);
                if (w.Run(ref tables, port, step, len, i, out int chosen, out int fi))
                {
                    w.StateAfter = PerturbSlot.Update(era, st, index, before, fi, step, draws, out int draw);
                    w.Port = chosen; w.I = fi; w.Pass = pass;
                    if (draw >= 0)
                    {
                        w.HasDraw = true;
                        w.Draw = draw;
                    }
                    return;
                }
                i += len * step;
                port += len * step;
            }
            if (localPorts) break;
            offset++;
            if ((offset & 1) == 0 || remaining <= 1) break;
        }
    }

    /// <summary>Bitmaps and counters of one scan; evaluates stop candidates exactly like the reference.</summary>
    private ref struct Walker<T> where T : struct, IScanTables
    {
        // the general walk's bitmaps and records (null in the lean lane): reserved, BindOwned, TIME_WAIT attributes;
        // words and blocks of bucket present (bhash cost), live and TIME_WAIT (ehash cost)
        private ulong[] _r, _b, _wNoTs, _wFw2;
        private PortCostMap.WordData[] _t, _l, _w;
        private ulong[] _tB, _lB, _wB; // the member words of T, L and TIME_WAIT
        private PortCostMap.BlockData[] _tBlocks, _lBlocks, _wBlocks;
        private int[] _bBlockCount;
        private PortCostMap _twCost;
        private PortCostMap _bnCost, _enCost;
        private PortBitmap _reserved;
        private bool _rcu, _resched, _twNever, _fw2Never, _lean;
        public ScanCounters N;
        private int _leanN, _leanBn, _leanEn; // candidates skipped by the lean lane and their bhash and ehash nodes
        public bool ReusedTw;
        public bool Created;
        // the scan's shape and result (Port 0: none; ports are 1..65535)
        public int Step, Index, Port, I, Pass, Draw;
        public uint Remaining, StartOffset, StateBefore, StateAfter;
        public bool HasIndex, HasDraw;

        /// <summary>
        /// Sets a default walker up for one scan, in place (a local initialised by a constructor is built in a temporary
        /// and copied: a store-forwarding stall on every scan).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Init(in ScanInputs req, PortBitmap reserved, NetnsBindIndex bix, PortCostMap live, TimeWaitPortMap timeWait, PortRange range)
        {
            _reserved = reserved;
            _bnCost = bix.Present;
            _enCost = live;
            // tcp_twsk_unique() with twp != NULL: no TIME_WAIT 4-tuple of this scan can be reused when tcp_tw_reuse is 0,
            // or 2 and neither end is loopback (the ends are the destination's, the same for every candidate).
            int reuse = req.Config.TcpTwReuse;
            _twNever = reuse == 0 || (reuse == 2 && !req.Destination.IsLoopback);
            _fw2Never = req.Profile.TimeWaitFinWait2NeverReused;
            _rcu = req.Profile.RcuPreCheck;
            _resched = _rcu || req.Profile.Era >= ConnectEra.C; // cond_resched() per failed probe since 4.6 (1580ab63fc9a)
            // The lean lane (RunLean) skips exactly the candidates live to the destination (L ∩ T) and evaluates every other
            // one like the reference. Exact when no port of the scan range is reserved (a reserved port with a live 4-tuple
            // would be skipped as a probe); no BindOwned bucket in the namespace and no TIME_WAIT 4-tuple to the
            // destination are conditions for speed only: the general walk skips those in bulk.
            _lean = bix.BindOwnedCount == 0 && timeWait.Ports.Count == 0 && (reserved.Count == 0 || !reserved.AnyInRange(range.Low, range.High));
            if (_lean)
            {
                // The lean lane reads the word and block records of T and L from the maps; with unit buckets L ⊆ T, so L ∩ T
                // is L: L stands for T there, and the bhash nodes are counted as one per skipped candidate (AddLeanCounters).
                if (T.UnitBuckets) _bnCost = live;
                return;
            }
            _r = reserved.BitsArray;
            _tBlocks = bix.Present.BlocksArray;
            _bBlockCount = bix.BindOwnedBlockCountArray;
            _lBlocks = live.BlocksArray;
            _b = bix.BindOwnedArray;
            _t = bix.Present.WordsArray;
            _l = live.WordsArray;
            _w = timeWait.Ports.WordsArray;
            _tB = bix.Present.BitsArray;
            _lB = live.BitsArray;
            _wB = timeWait.Ports.BitsArray;
            _wNoTs = timeWait.NoTimestampsArray;
            _wFw2 = timeWait.FinWait2Array;
            _twCost = timeWait.Ports;
            _wBlocks = timeWait.Ports.BlocksArray;
        }

        /// <summary>
        /// In the lean lane, a whole pass over the ports of parity <paramref name="q"/> in <paramref name="low"/> ..
        /// <paramref name="high"/> (every one of them a candidate) from the range sums of the port indexes, when every
        /// candidate holds a live 4-tuple to the destination: all are skipped as the lean lane skips them. False (nothing
        /// added) otherwise, or when the indexes do not track this range (<see cref="PortCostMap.TrackRange"/>).
        /// </summary>
        public bool SkipPass(int low, int high, int q)
        {
            if (!_lean || !_enCost.Tracks(low, high) || !_bnCost.Tracks(low, high)) return false;
            int n = ((high - q) >> 1) - ((low - 1 - q) >> 1); // ports of parity q in low..high
            if (_enCost.TrackedCount(q) != n) return false;
            _leanN += n;
            _leanBn += _bnCost.TrackedCost(q);
            _leanEn += _enCost.TrackedCost(q);
            return true;
        }

        /// <summary>True when the scan runs in the lean lane (see <see cref="Init"/>).</summary>
        public readonly bool Lean => _lean;

        /// <summary>
        /// Lean lane: when every port of parity <typeparamref name="TP"/> in <paramref name="lo"/> .. <paramref name="hi"/> − 1
        /// is live to the destination (L ∩ T), adds them all as skipped candidates and returns true (a whole pass skipped
        /// at once: the sums of partial words, words, blocks and superblocks that tile the range, the same tiling on every
        /// scan of the range); false (nothing added) at the first port that is not. For one parity, hi − lo must be even.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool AllLive<TP>(int lo, int hi) where TP : struct, IParity
        {
            // Not all live when either map has fewer members of the parity than the range has ports (one load each).
            long ports = TP.PerWord == 64 ? hi - lo : (hi - lo) >> 1;
            return TP.Of(_enCost.ParityCounts) >= ports && TP.Of(_bnCost.ParityCounts) >= ports && AllLiveTiled<TP>(lo, hi, ports);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool AllLiveTiled<TP>(int lo, int hi, long ports) where TP : struct, IParity
        {
            var t = _bnCost;
            var l = _enCost;
            var s = new LeanWords(t, l);
            long bn = 0, en = 0;
            int wa = lo >> 6, wb = (hi - 1) >> 6;
            ulong head = TP.Full & (~0UL << (lo & 63));
            ulong tail = TP.Full & (~0UL >> (63 - ((hi - 1) & 63)));
            if (wa == wb) head &= tail;
            if (head != TP.Full || wa == wb)
            {
                if (!PartLive(in s, t, l, wa, head, ref bn, ref en)) return false;
                wa++;
            }
            if (wa <= wb)
            {
                if (tail != TP.Full)
                {
                    if (!PartLive(in s, t, l, wb, tail, ref bn, ref en)) return false;
                }
                else wb++;
            }
            // whole words wa .. wb − 1: words up to a block boundary, blocks up to a superblock boundary, superblocks, blocks, words
            var sums = new LeanSums(t, l);
            int w = wa;
            for (; w < wb && (w & 7) != 0; w++)
                if (!WordLive<TP>(in s, w, ref bn, ref en)) return false;
            for (; w + 8 <= wb && (w & 63) != 0; w += 8)
                if (!GroupLive<TP>(ref sums.TBlocks[w >> 3], ref sums.LBlocks[w >> 3], TP.PerWord << 3, ref bn, ref en)) return false;
            for (; w + 64 <= wb; w += 64)
                if (!GroupLive<TP>(ref sums.TSupers[w >> 6], ref sums.LSupers[w >> 6], TP.PerWord << 6, ref bn, ref en)) return false;
            for (; w + 8 <= wb; w += 8)
                if (!GroupLive<TP>(ref sums.TBlocks[w >> 3], ref sums.LBlocks[w >> 3], TP.PerWord << 3, ref bn, ref en)) return false;
            for (; w < wb; w++)
                if (!WordLive<TP>(in s, w, ref bn, ref en)) return false;
            _leanN += (int)ports;
            _leanBn += (int)bn;
            _leanEn += (int)en;
            return true;

            static bool PartLive(in LeanWords s, PortCostMap t, PortCostMap l, int w, ulong mask, ref long bn, ref long en)
            {
                if ((mask & ~s.Live(w)) != 0) return false;
                if (!T.UnitBuckets && s.TCosts) bn += t.CostOf(ref s.TWord(w), w, mask);
                if (s.LCosts) en += l.CostOf(ref s.LWord(w), w, mask);
                return true;
            }

            static bool WordLive<TQ>(in LeanWords s, int w, ref long bn, ref long en) where TQ : struct, IParity
            {
                if ((TQ.Full & ~s.Live(w)) != 0) return false;
                if (!T.UnitBuckets && s.TCosts) bn += TQ.Of(PortCostMap.WordSums(ref s.TWord(w)));
                if (s.LCosts) en += TQ.Of(PortCostMap.WordSums(ref s.LWord(w)));
                return true;
            }

            static bool GroupLive<TQ>(ref PortCostMap.BlockData tb, ref PortCostMap.BlockData lb, long members, ref long bn, ref long en) where TQ : struct, IParity
            {
                if (TQ.Of(PortCostMap.BlockCounts(ref lb)) != members || (!T.UnitBuckets && TQ.Of(PortCostMap.BlockCounts(ref tb)) != members)) return false;
                if (!T.UnitBuckets) bn += TQ.Of(PortCostMap.BlockSums(ref tb));
                en += TQ.Of(PortCostMap.BlockSums(ref lb));
                return true;
            }
        }

        /// <summary>Adds the lean lane's skipped candidates to <see cref="N"/> (once, at the end of the scan).</summary>
        public void AddLeanCounters()
        {
            if (_leanN == 0) return;
            int n = _leanN;
            N.Candidates += n;
            N.Probes += n;
            N.TupleChecks += n;
            if (_resched) N.Rescheds += n;
            if (!_rcu)
            {
                N.Locks += n;
                N.EhashLocks += n;
            }
            N.BhashNodes += T.UnitBuckets ? n : _leanBn;
            N.EhashNodes += _leanEn;
        }

        /// <summary>Scans <paramref name="count"/> ports from <paramref name="port0"/> by <paramref name="step"/> (i from <paramref name="i0"/>, same step); true with the chosen port.</summary>
        public bool Run(ref T tables, int port0, int step, int count, int i0, out int chosen, out int chosenI) =>
            _lean ? RunLean(ref tables, port0, step, count, i0, out chosen, out chosenI)
            : RunGeneral(ref tables, port0, step, count, i0, out chosen, out chosenI);

        /// <summary><see cref="Run"/> outside the lean lane: reserved, BindOwned and unreusable TIME_WAIT candidates skipped in bulk too.</summary>
        private bool RunGeneral(ref T tables, int port0, int step, int count, int i0, out int chosen, out int chosenI)
        {
            int last = port0 + (count - 1) * step;
            int p = port0;
            while (p <= last)
            {
                int w = p >> 6;
                ulong m = ~0UL << (p & 63);
                if (w == last >> 6) m &= ~0UL >> (63 - (last & 63));
                ulong full = ~0UL;
                if (step == 2)
                {
                    full = (p & 1) == 0 ? EvenMask : OddMask;
                    m &= full;
                }
                ulong stop = m & ~(_r[w] | _b[w] | ((_lB[w] | TwBusy(w)) & _tB[w]));
                if (stop == 0)
                {
                    Skip(w, m, full);
                    int next = w + 1;
                    int lastW = last >> 6;
                    if (next < lastW) next = SkipWholeWords(next, lastW, full);
                    p = (next << 6) | (p & (step - 1));
                    continue;
                }
                int bit = BitOperations.TrailingZeroCount(stop);
                Skip(w, m & ((1UL << bit) - 1), full);
                int sp = (w << 6) | bit;
                if ((_wB[w] & _tB[w] & (1UL << bit)) != 0 && !tables.TimeWaitUnique(sp))
                {
                    Skip(w, 1UL << bit, full); // a TIME_WAIT 4-tuple too young: busy, like the reference
                    p = sp + step;
                    continue;
                }
                if (Evaluate(ref tables, sp))
                {
                    chosen = sp;
                    chosenI = i0 + (sp - port0); // i advances by the step with the port
                    return true;
                }
                p = sp + step;
            }
            chosen = 0;
            chosenI = -1;
            return false;
        }

        /// <summary>
        /// <see cref="Run"/> in the lean lane (<see cref="_lean"/>: no reserved port in the scan range, no BindOwned bucket
        /// in the namespace, no TIME_WAIT 4-tuple to the destination): a candidate is skipped exactly when it is live to
        /// the destination (in L ∩ T), with one
        /// probe, one 4-tuple check, its bhash and ehash chain nodes, and a lock, an ehash lock and a cond_resched per era
        /// (added up once in <see cref="AddLeanCounters"/>); whole words, 512-port blocks and 4096-port superblocks are added
        /// from their sums (<see cref="SkipLive{TP}"/>), every other candidate is evaluated like the reference.
        /// </summary>
        private bool RunLean(ref T tables, int port0, int step, int count, int i0, out int chosen, out int chosenI) =>
            step == 1 ? RunLean<BothParities>(ref tables, port0, 1, count, i0, out chosen, out chosenI)
            : (port0 & 1) == 0 ? RunLean<EvenPorts>(ref tables, port0, 2, count, i0, out chosen, out chosenI)
            : RunLean<OddPorts>(ref tables, port0, 2, count, i0, out chosen, out chosenI);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool RunLean<TP>(ref T tables, int port0, int step, int count, int i0, out int chosen, out int chosenI) where TP : struct, IParity
        {
            int last = port0 + (count - 1) * step;
            int lastW = last >> 6;
            ulong lastMask = ~0UL >> (63 - (last & 63));
            // whole words end before lastW, or after it when its mask leaves none of the parity's candidates out
            int wEnd = (TP.Full & ~lastMask) == 0 ? lastW + 1 : lastW;
            var t = _bnCost;
            var l = _enCost;
            var s = new LeanWords(t, l);
            var sums = new LeanSums(t, l);
            long n = 0, bn = 0, en = 0;
            int w = port0 >> 6;
            ulong m = TP.Full & (~0UL << (port0 & 63));
            while (true)
            {
                if (m == TP.Full)
                {
                    // from a word boundary: whole words, blocks and superblocks while they are all live
                    w = SkipLive<TP>(in s, in sums, w, wEnd, ref n, ref bn, ref en);
                    if (w > lastW) break;
                }
                if (w == lastW) m &= lastMask;
                ulong stop = m & ~s.Live(w); // with unit buckets L ⊆ T
                ulong skipped = stop == 0 ? m : m & ((stop & (0UL - stop)) - 1); // the candidates before the first stop
                if (skipped == TP.Full)
                {
                    n += TP.PerWord;
                    if (!T.UnitBuckets && s.TCosts) bn += TP.Of(PortCostMap.WordSums(ref s.TWord(w)));
                    if (s.LCosts) en += TP.Of(PortCostMap.WordSums(ref s.LWord(w)));
                }
                else if (skipped != 0)
                {
                    n += BitOperations.PopCount(skipped);
                    if (!T.UnitBuckets && s.TCosts) bn += t.CostOf(ref s.TWord(w), w, skipped);
                    if (s.LCosts) en += l.CostOf(ref s.LWord(w), w, skipped);
                }
                if (stop != 0)
                {
                    int sp = (w << 6) | BitOperations.TrailingZeroCount(stop);
                    if (Evaluate(ref tables, sp))
                    {
                        _leanN += (int)n; _leanBn += (int)bn; _leanEn += (int)en;
                        chosen = sp;
                        chosenI = i0 + (sp - port0); // i advances by the step with the port
                        return true;
                    }
                    m &= ~(skipped | (stop & (0UL - stop))); // the candidates after sp in this word
                    continue;
                }
                if (w >= lastW) break;
                w++;
                m = TP.Full;
            }
            _leanN += (int)n; _leanBn += (int)bn; _leanEn += (int)en;
            chosen = 0;
            chosenI = -1;
            return false;
        }

        /// <summary>
        /// Skips the whole words <paramref name="w"/> .. <paramref name="wEnd"/> − 1 while all their candidates (parity
        /// <typeparamref name="TP"/>) are live to the destination (L ∩ T) — whole 4096-port superblocks and 512-port blocks
        /// at a time where their member counts say so — adding the candidates and their bhash (T) and ehash (L) chain nodes;
        /// returns the first word not skipped (<paramref name="wEnd"/> when all were).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int SkipLive<TP>(in LeanWords s, in LeanSums sums,
            int w, int wEnd, ref long n, ref long bn, ref long en) where TP : struct, IParity
        {
            ref var tb0 = ref MemoryMarshal.GetArrayDataReference(sums.TBlocks);
            ref var lb0 = ref MemoryMarshal.GetArrayDataReference(sums.LBlocks);
            long nn = 0, b = 0, e = 0;
            while (w < wEnd)
            {
                if ((w & 7) == 0 && w + 8 <= wEnd)
                {
                    if ((w & 63) == 0 && w + 64 <= wEnd)
                    {
                        ref var ls = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(sums.LSupers), w >> 6);
                        ref var ts = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(sums.TSupers), w >> 6);
                        if (TP.Of(PortCostMap.BlockCounts(ref ls)) == TP.PerWord << 6 && (T.UnitBuckets || TP.Of(PortCostMap.BlockCounts(ref ts)) == TP.PerWord << 6))
                        {
                            nn += TP.PerWord << 6;
                            if (!T.UnitBuckets) b += TP.Of(PortCostMap.BlockSums(ref ts));
                            e += TP.Of(PortCostMap.BlockSums(ref ls));
                            w += 64;
                            continue;
                        }
                    }
                    ref var lb = ref Unsafe.Add(ref lb0, w >> 3);
                    ref var tb = ref Unsafe.Add(ref tb0, w >> 3);
                    if (TP.Of(PortCostMap.BlockCounts(ref lb)) == TP.PerWord << 3 && (T.UnitBuckets || TP.Of(PortCostMap.BlockCounts(ref tb)) == TP.PerWord << 3))
                    {
                        nn += TP.PerWord << 3;
                        if (!T.UnitBuckets) b += TP.Of(PortCostMap.BlockSums(ref tb));
                        e += TP.Of(PortCostMap.BlockSums(ref lb));
                        w += 8;
                        continue;
                    }
                }
                if ((TP.Full & ~s.Live(w)) != 0) break;
                nn += TP.PerWord;
                if (!T.UnitBuckets && s.TCosts) b += TP.Of(PortCostMap.WordSums(ref s.TWord(w)));
                if (s.LCosts) e += TP.Of(PortCostMap.WordSums(ref s.LWord(w)));
                w++;
            }
            n += nn;
            bn += b;
            en += e;
            return w;
        }

        /// <summary>
        /// The member words and word records of T and L (the arrays cover every port: indexes need no check); a map's
        /// records are read only when it has costs (else every cost is 0).
        /// </summary>
        private readonly ref struct LeanWords(PortCostMap t, PortCostMap l)
        {
            private readonly ref ulong _tBits = ref MemoryMarshal.GetArrayDataReference(t.BitsArray);
            private readonly ref ulong _lBits = ref MemoryMarshal.GetArrayDataReference(l.BitsArray);
            private readonly ref PortCostMap.WordData _t0 = ref MemoryMarshal.GetArrayDataReference(t.WordsArray);
            private readonly ref PortCostMap.WordData _l0 = ref MemoryMarshal.GetArrayDataReference(l.WordsArray);
            public readonly bool TCosts = t.HasCosts, LCosts = l.HasCosts;

            /// <summary>The ports of word <paramref name="w"/> live to the destination (L ∩ T; with unit buckets L ⊆ T).</summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public ulong Live(int w) => T.UnitBuckets ? Unsafe.Add(ref _lBits, w) : Unsafe.Add(ref _tBits, w) & Unsafe.Add(ref _lBits, w);

            public ref PortCostMap.WordData TWord(int w) => ref Unsafe.Add(ref _t0, w);

            public ref PortCostMap.WordData LWord(int w) => ref Unsafe.Add(ref _l0, w);
        }

        /// <summary>The block and superblock records of T and L (the arrays cover every port: indexes need no check).</summary>
        private readonly ref struct LeanSums(PortCostMap t, PortCostMap l)
        {
            public readonly PortCostMap.BlockData[] TBlocks = t.BlocksArray, LBlocks = l.BlocksArray;
            public readonly PortCostMap.BlockData[] TSupers = t.SupersArray, LSupers = l.SupersArray;
        }

        /// <summary>
        /// Skips the whole words <paramref name="w0"/> .. <paramref name="w1"/> − 1 (mask <paramref name="full"/>) while no
        /// candidate of a word needs evaluating, with the counters of <see cref="Skip"/> summed in locals; returns the
        /// first word not skipped (<paramref name="w1"/> when all were).
        /// </summary>
        private int SkipWholeWords(int w0, int w1, ulong full)
        {
            ref ulong r0 = ref MemoryMarshal.GetArrayDataReference(_r);
            ref ulong b0 = ref MemoryMarshal.GetArrayDataReference(_b);
            ref var t0 = ref MemoryMarshal.GetArrayDataReference(_t);
            ref var l0 = ref MemoryMarshal.GetArrayDataReference(_l);
            ref var tw0 = ref MemoryMarshal.GetArrayDataReference(_w);
            ref ulong tB0 = ref MemoryMarshal.GetArrayDataReference(_tB);
            ref ulong lB0 = ref MemoryMarshal.GetArrayDataReference(_lB);
            ref ulong wB0 = ref MemoryMarshal.GetArrayDataReference(_wB);
            // full: even ports (parity 0), odd ports (parity 1) or all (both word sums).
            int q = full == EvenMask ? 0 : full == OddMask ? 1 : -1;
            long reserved = 0, bound = 0, live = 0, tw = 0, bnodes = 0, enodes = 0, twNodes = 0, twBnodes = 0;
            int w = w0;
            for (; w < w1; w++)
            {
                if ((w & 7) == 0 && w + 8 <= w1 && SkipBlock(w >> 3, q, ref bound, ref live, ref tw, ref bnodes, ref enodes, ref twNodes))
                {
                    w += 7;
                    continue;
                }
                ref var tWord = ref Unsafe.Add(ref t0, w);
                ref var lWord = ref Unsafe.Add(ref l0, w);
                ref var wWord = ref Unsafe.Add(ref tw0, w);
                ulong r = Unsafe.Add(ref r0, w) & full, b = Unsafe.Add(ref b0, w), t = Unsafe.Add(ref tB0, w), lv = Unsafe.Add(ref lB0, w);
                ulong wv = Unsafe.Add(ref wB0, w) & full;
                ulong twb = wv == 0 ? 0 : TwBusy(w);
                if ((full & ~(r | b | ((lv | twb) & t))) != 0) break;
                ulong nr = full & ~r;
                ulong bb = b & nr;
                int nb = BitOperations.PopCount(bb);
                int nc = BitOperations.PopCount(nr) - nb; // live or TIME_WAIT 4-tuples
                ulong tws = wv & nr & ~bb;                // the TIME_WAIT ones (all busy in a skipped word)
                int nt = tws == 0 ? 0 : BitOperations.PopCount(tws);
                int nl = nc - nt;
                bound += nb;
                live += nl;
                tw += nt;
                if (r != 0)
                {
                    reserved += BitOperations.PopCount(r);
                    if (nb + nc == 0) continue;
                }
                int bs = q >= 0 ? tWord.CostOfParity(q) : tWord.Cost0 + tWord.Cost1;
                if ((r & t) != 0) bs -= _bnCost.CostOf(w, r & t);
                bnodes += bs;
                if (nl != 0)
                {
                    int es = q >= 0 ? lWord.CostOfParity(q) : lWord.Cost0 + lWord.Cost1;
                    ulong notLive = full & lv & (r | bb);
                    if (notLive != 0) es -= _enCost.CostOf(w, notLive);
                    enodes += es;
                }
                if (nt != 0)
                {
                    int ts = q >= 0 ? wWord.CostOfParity(q) : wWord.Cost0 + wWord.Cost1;
                    ulong notTw = wv & (r | bb);
                    if (notTw != 0) ts -= _twCost.CostOf(w, notTw);
                    twNodes += ts;
                    if (_rcu) twBnodes += _bnCost.CostOf(w, tws);
                }
            }
            int words = w - w0;
            if (words == 0) return w;
            int failed = (int)(bound + live + tw);
            N.Candidates += words * BitOperations.PopCount(full);
            N.Reserved += (int)reserved;
            N.Probes += failed;
            N.BindOwned += (int)bound;
            N.TupleChecks += (int)(live + tw);
            N.TimeWaitMatches += (int)tw;
            if (_resched) N.Rescheds += failed;
            if (!_rcu)
            {
                N.Locks += failed;
                N.EhashLocks += (int)(live + tw);
            }
            else
            {
                // 6.15+: a TIME_WAIT match of the lockless walk falls through to the locked path (bhash re-walk, ehash lookup).
                N.Locks += (int)tw;
                N.EhashLocks += (int)tw;
                bnodes += twBnodes;
                twNodes *= 2;
            }
            N.BhashNodes += (int)bnodes;
            N.EhashNodes += (int)(enodes + twNodes);
            return w;
        }

        /// <summary>
        /// A whole block <paramref name="k"/> (8 words, 512 ports) of parity <paramref name="q"/> (−1: both) from the block sums:
        /// when no port of it is reserved, every port has a bucket, and either all are live or busy TIME_WAIT 4-tuples to
        /// this destination without BindOwned buckets (TIME_WAIT ones only when no TIME_WAIT 4-tuple of the scan can be
        /// reused, and not with the 6.15 pre-check, whose locked re-walk needs per-port bhash costs) or all are BindOwned,
        /// every candidate is skipped and the counters are the block's member counts and cost sums. False (nothing added) otherwise.
        /// </summary>
        private bool SkipBlock(int k, int q, ref long bound, ref long live, ref long tw, ref long bnodes, ref long enodes, ref long twNodes)
        {
            if (_reserved.AnyInBlock(k)) return false;
            int per = q >= 0 ? 256 : 512;
            ref var tb = ref _tBlocks[k];
            if (Count(tb, q) != per) return false;
            ref var lb = ref _lBlocks[k];
            ref var wb = ref _wBlocks[k];
            int b = q >= 0 ? _bBlockCount[(k << 1) | q] : _bBlockCount[k << 1] + _bBlockCount[(k << 1) | 1];
            int l = Count(lb, q), t = Count(wb, q);
            if (b == 0 && l + t == per && (t == 0 || (_twNever && !_rcu)))
            {
                live += l;
                tw += t;
                bnodes += Cost(tb, q);
                enodes += Cost(lb, q);
                if (t != 0) twNodes += Cost(wb, q);
                return true;
            }
            if (l == 0 && b == per)
            {
                bound += per;
                bnodes += Cost(tb, q);
                return true;
            }
            return false;

            static int Count(in PortCostMap.BlockData d, int q) => q == 0 ? d.Count0 : q == 1 ? d.Count1 : d.Count0 + d.Count1;
            static int Cost(in PortCostMap.BlockData d, int q) => q == 0 ? d.Cost0 : q == 1 ? d.Cost1 : d.Cost0 + d.Cost1;
        }

        /// <summary>
        /// The TIME_WAIT ports of word <paramref name="w"/> that no candidate of this scan can reuse whatever their age:
        /// all of them when <c>tcp_tw_reuse</c> rules reuse out, else those without peer timestamps or (5.10+) in FIN_WAIT2.
        /// </summary>
        private readonly ulong TwBusy(int w)
        {
            ulong tw = _wB[w];
            if (tw == 0 || _twNever) return tw;
            return tw & (_wNoTs[w] | (_fw2Never ? _wFw2[w] : 0));
        }

        /// <summary>
        /// Adds the counters of skipped candidates <paramref name="m"/> of word <paramref name="w"/>: all reserved, BindOwned,
        /// or with a bucket and a live or unreusable TIME_WAIT 4-tuple to this destination.
        /// </summary>
        private void Skip(int w, ulong m, ulong full)
        {
            if (m == 0) return;
            ulong r = _r[w] & m;
            ulong nr = m & ~r;                 // not reserved: all have a bucket
            ulong b = _b[w] & nr;              // BindOwned
            ulong c = nr & ~b;                 // ConnectOwned with a live or TIME_WAIT 4-tuple
            ulong tw = c & _wB[w];             // TIME_WAIT
            ulong l = c & ~tw;                 // live
            int nb = BitOperations.PopCount(b), nl = BitOperations.PopCount(l), nt = tw == 0 ? 0 : BitOperations.PopCount(tw);
            int failed = nb + nl + nt;
            N.Candidates += BitOperations.PopCount(m);
            N.Reserved += BitOperations.PopCount(r);
            N.Probes += failed;
            N.BindOwned += nb;
            N.TupleChecks += nl + nt;
            N.TimeWaitMatches += nt;
            if (_resched) N.Rescheds += failed;
            if (!_rcu)
            {
                N.Locks += failed;
                N.EhashLocks += nl + nt;
            }
            else if (nt != 0)
            {
                // 6.15+: a TIME_WAIT match of the lockless walk falls through to the locked path (bhash re-walk, ehash lookup).
                N.Locks += nt;
                N.EhashLocks += nt;
                N.BhashNodes += _bnCost.CostOf(w, tw);
                N.EhashNodes += _twCost.CostOf(w, tw);
            }
            if (failed == 0) return;
            if (m == full)
            {
                N.BhashNodes += WordSum(_t[w], full) - _bnCost.CostOf(w, r & _tB[w]);
                if (nl != 0) N.EhashNodes += WordSum(_l[w], full) - _enCost.CostOf(w, m & _lB[w] & ~l);
                if (nt != 0) N.EhashNodes += WordSum(_w[w], full) - _twCost.CostOf(w, m & _wB[w] & ~tw);
            }
            else
            {
                N.BhashNodes += _bnCost.CostOf(w, nr);
                N.EhashNodes += _enCost.CostOf(w, l) + _twCost.CostOf(w, tw);
            }
        }

        private static int WordSum(in PortCostMap.WordData d, ulong full) =>
            full == EvenMask ? d.Cost0 : full == OddMask ? d.Cost1 : d.Cost0 + d.Cost1;


        /// <summary>One candidate exactly as <see cref="ConnectScan"/> evaluates it; true when chosen.</summary>
        private bool Evaluate(ref T tables, int port)
        {
            N.Candidates++;
            if (!_lean && _reserved.Contains(port)) // the lean lane has no reserved port in the scan range
            {
                N.Reserved++;
                return false;
            }
            N.Probes++;
            var tb = tables.Bucket(port, out int bn);
            N.BhashNodes += bn;
            if (_rcu)
            {
                if (tb == ScanBucket.BindOwned)
                {
                    N.BindOwned++;
                    N.Rescheds++;
                    return false;
                }
                if (tb != ScanBucket.None)
                {
                    N.TupleChecks++;
                    var pre = tables.Entry(port, out int en);
                    N.EhashNodes += en;
                    if (pre == ScanEntry.Live)
                    {
                        N.Rescheds++;
                        return false;
                    }
                }
                N.Locks++;
                N.BhashNodes += bn; // the locked re-walk of the same chain (nothing changed in between)
                if (tb == ScanBucket.None) { Created = true; return true; }
                return LockedCheck(ref tables, port);
            }
            N.Locks++;
            if (tb == ScanBucket.None) { Created = true; return true; }
            if (tb == ScanBucket.BindOwned)
            {
                N.BindOwned++;
                if (_resched) N.Rescheds++;
                return false;
            }
            N.TupleChecks++;
            return LockedCheck(ref tables, port);
        }

        private bool LockedCheck(ref T tables, int port)
        {
            N.EhashLocks++;
            var e = tables.Entry(port, out int en);
            N.EhashNodes += en;
            if (e == ScanEntry.None) { Created = false; return true; }
            if (e == ScanEntry.TimeWait)
            {
                N.TimeWaitMatches++;
                if (tables.TimeWaitUnique(port))
                {
                    ReusedTw = true;
                    Created = false;
                    return true;
                }
            }
            if (_resched) N.Rescheds++;
            return false;
        }
    }

    /// <summary>
    /// The candidates of a lean-lane run within a word: the even ports, the odd ports (step 2) or all (step 1), with the
    /// matching half of the packed (even, odd) counts and sums of <see cref="PortCostMap"/>.
    /// </summary>
    private interface IParity
    {
        /// <summary>The candidates' bits in a word.</summary>
        static abstract ulong Full { get; }

        /// <summary>Candidates per whole word.</summary>
        static abstract long PerWord { get; }

        /// <summary>The candidates' share of a packed (even, odd) pair of non-negative 32-bit values.</summary>
        static abstract long Of(ulong pair);
    }

    private struct EvenPorts : IParity
    {
        public static ulong Full => EvenMask;
        public static long PerWord => 32;
        public static long Of(ulong pair) => (long)(uint)pair;
    }

    private struct OddPorts : IParity
    {
        public static ulong Full => OddMask;
        public static long PerWord => 32;
        public static long Of(ulong pair) => (long)(pair >> 32);
    }

    private struct BothParities : IParity
    {
        public static ulong Full => ~0UL;
        public static long PerWord => 64;
        public static long Of(ulong pair) => (long)(uint)pair + (long)(pair >> 32);
    }

    /// <summary>The lookups of <see cref="KernelHost"/>'s tables for one scan (one namespace and destination).</summary>
    private struct HostTables : IScanTables
    {
        public static bool UnitBuckets => false; // namespaces share bhash chains
        private BindTable _bind;
        private EstablishedTable _ehash;
        private DestinationTables? _dest;
        // the inputs the lookups read, field by field (a copy of the whole ScanInputs is a block copy of fields just written)
        private int _netns;
        private uint _mix;
        private Destination _destination;
        private KernelProfile _profile;
        private NamespaceConfig _config;
        private long _nowMs;

        /// <summary>Sets default lookups up in place (a constructed struct is built in a temporary and copied).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Init(in ScanInputs req, BindTable bind, EstablishedTable ehash, DestinationTables? dest)
        {
            _bind = bind;
            _ehash = ehash;
            _dest = dest;
            _netns = req.Netns;
            _mix = req.NetHashMix;
            _destination = req.Destination;
            _profile = req.Profile;
            _config = req.Config;
            _nowMs = req.NowMs;
        }

        public readonly ScanBucket Bucket(int port, out int nodes)
        {
            var tb = _bind.Find(_netns, _mix, port, out nodes);
            return tb is null ? ScanBucket.None : tb.IsBindOwned ? ScanBucket.BindOwned : ScanBucket.ConnectOwned;
        }

        public readonly ScanEntry Entry(int port, out int nodes)
        {
            var e = _ehash.Find(_netns, _destination.WithLocalPort(port), _dest, out nodes);
            return e is null ? ScanEntry.None : e.TimeWait ? ScanEntry.TimeWait : ScanEntry.Live;
        }

        public readonly bool TimeWaitUnique(int port)
        {
            var e = _dest?.EntryAt(port);
            return e is null || !e.TimeWait || TimeWaitReuse.IsUnique(_profile, _config, e, _nowMs, portPreassigned: false);
        }
    }
}
