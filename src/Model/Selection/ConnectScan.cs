using PortSelection.Model.Hashing;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Selection;

/// <summary>
/// The reference (step-by-step) connect() autobind scan of <c>__inet_hash_connect()</c>
/// (net/ipv4/inet_hashtables.c) for every era, candidate by candidate. It reads the tables, updates only the
/// hint / perturb table (on success), and leaves bucket creation and ehash insertion to the caller.
/// </summary>
/// <remarks>
/// Era A (3.x–4.1): <c>for i = 1..remaining: port = low + (i + offset) % remaining</c>, <c>hint += i</c>.
/// Era B (4.2–4.5, 07f4c90062f8): even offset, <c>i = 0..remaining−1</c>, <c>hint += (i + 2) &amp; ~1</c>.
/// Eras C–E (1580ab63fc9a): <c>remaining</c> rounded down to even, start <c>low + (offset &amp; ~1)</c>, step 2
/// with a single wrap subtraction, a second pass on the other parity; C: <c>hint += i + 2</c>;
/// D (190cc82489f4, c579bd1b4021): <c>table_perturb[hash_32(off, 8)] += i + 2</c> with a 1/16 chance of <c>i = 2</c>
/// when <c>i == 0</c>; E (Tarreau series, 5.18): index = low bits of the 64-bit offset, start from the high 32 bits,
/// <c>i = max(i, rand8·step)</c>, <c>T += i + step</c>; 6.8 (207184853dbd) step 1, one pass with a per-socket range;
/// 6.15 (86c2bc293b81) lockless pre-check (changes only the work counters). Failure changes no state.
/// shared/kernel/port-selection.md §3.
/// </remarks>
public static class ConnectScan
{
    /// <summary>Runs one scan.</summary>
    /// <param name="req">Inputs.</param>
    /// <param name="bind">The bind hash.</param>
    /// <param name="ehash">The established hash.</param>
    /// <param name="perturb">Global hint / perturb table; updated on success.</param>
    /// <param name="draws">Random draws (used only on success).</param>
    public static ConnectResult Run(ConnectScanRequest req, BindTable bind, EstablishedTable ehash, PerturbState perturb, IRandomDraws draws)
    {
        var p = req.Profile;
        var (range, localPorts) = p.PerSocketRangeClamp ? req.SocketRange.Clamp(req.Config.Range) : (req.Config.Range, false);
        var ctx = new Context(req, bind, ehash, range);
        return p.Era switch
        {
            ConnectEra.A => ScanEraA(ctx, perturb),
            ConnectEra.B => ScanEraB(ctx, perturb),
            _ => ScanModern(ctx, perturb, draws, localPorts && p.PerSocketRangeStepOne),
        };
    }

    private static ConnectResult ScanEraA(Context c, PerturbState st)
    {
        uint remaining = (uint)c.Range.Count;
        uint before = st.Hint;
        uint offset = unchecked(st.Hint + (uint)c.Req.PortOffset);
        for (int i = 1; i <= remaining; i++)
        {
            int port = c.Range.Low + (int)(unchecked((uint)i + offset) % remaining);
            if (c.Evaluate(1, i, port))
            {
                st.Hint = unchecked(st.Hint + (uint)i);
                return c.Success(port, 1, i, 1, remaining, offset, null, before, st.Hint, null);
            }
        }
        return c.Failure(1, remaining, offset, null, before);
    }

    private static ConnectResult ScanEraB(Context c, PerturbState st)
    {
        uint remaining = (uint)c.Range.Count;
        uint before = st.Hint;
        uint offset = unchecked(st.Hint + (uint)c.Req.PortOffset) & ~1u;
        for (int i = 0; i < remaining; i++)
        {
            int port = c.Range.Low + (int)(unchecked((uint)i + offset) % remaining);
            if (c.Evaluate(1, i, port))
            {
                st.Hint = unchecked(st.Hint + (uint)((i + 2) & ~1));
                return c.Success(port, 1, i, 1, remaining, offset, null, before, st.Hint, null);
            }
        }
        return c.Failure(1, remaining, offset, null, before);
    }

    private static ConnectResult ScanModern(Context c, PerturbState st, IRandomDraws draws, bool localPorts)
    {
        var era = c.Req.Profile.Era;
        int step = localPorts ? 1 : 2;
        int low = c.Range.Low;
        int hiX = c.Range.High + 1;
        uint remaining = (uint)(hiX - low);
        if (!localPorts && remaining > 1) remaining &= ~1u;

        uint offset = PerturbSlot.Start(era, st, c.Req.PortOffset, remaining, out int ix, out uint before);
        int? index = ix >= 0 ? ix : null;
        if (!localPorts) offset &= ~1u;
        uint start = offset;

        for (int pass = 1; ; pass++)
        {
            int port = low + (int)offset;
            for (int i = 0; i < remaining; i += step, port += step)
            {
                if (port >= hiX) port -= (int)remaining;
                if (!c.Evaluate(pass, i, port)) continue;

                uint after = PerturbSlot.Update(era, st, ix, before, i, step, draws, out int d);
                return c.Success(port, pass, i, step, remaining, start, index, before, after, d >= 0 ? d : null);
            }
            if (localPorts) break;
            offset++;
            if ((offset & 1) == 0 || remaining <= 1) break;
        }
        return c.Failure(step, remaining, start, index, before);
    }


    /// <summary>Per-scan evaluation of candidates against the tables, with the counters of the era.</summary>
    private sealed class Context(ConnectScanRequest req, BindTable bind, EstablishedTable ehash, PortRange range)
    {
        public readonly ConnectScanRequest Req = req;
        public readonly PortRange Range = range;
        private ScanCounters _n;
        private readonly List<ScanCandidate>? _log = req.Record ? [] : null;
        private EstablishedEntry? _reusedTw;
        private bool _created;

        /// <summary>Examines one candidate; true when it is chosen.</summary>
        public bool Evaluate(int pass, int i, int port)
        {
            var p = Req.Profile;
            _n.Candidates++;
            if (Req.Config.Reserved.Contains(port))
            {
                _n.Reserved++;
                Log(pass, i, port, ScanVerdict.Reserved, "reserved");
                return false;
            }
            _n.Probes++;
            bool resched = p.Era >= ConnectEra.C; // cond_resched() per failed probe since 4.6 (1580ab63fc9a)
            var tuple = Req.Destination.WithLocalPort(port);
            var tb = bind.Find(Req.Netns, Req.NetHashMix, port, out int bn);
            _n.BhashNodes += bn;

            if (p.RcuPreCheck)
            {
                // 6.15+ (86c2bc293b81): lockless bhash walk, then a lockless ehash walk; only the final or a
                // TIME_WAIT candidate falls through to the locked path.
                if (tb is not null && tb.IsBindOwned)
                {
                    _n.BindOwned++;
                    _n.Rescheds++;
                    Log(pass, i, port, ScanVerdict.BindOwned, "bind-owned");
                    return false;
                }
                if (tb is not null)
                {
                    _n.TupleChecks++;
                    var pre = ehash.Find(Req.Netns, tuple, out int en);
                    _n.EhashNodes += en;
                    if (pre is not null && !pre.TimeWait)
                    {
                        _n.Rescheds++;
                        Log(pass, i, port, ScanVerdict.Busy, "established");
                        return false;
                    }
                }
                _n.Locks++;
                bind.Find(Req.Netns, Req.NetHashMix, port, out bn); // locked re-walk
                _n.BhashNodes += bn;
                if (tb is null) return Chosen(pass, i, port, "free", created: true);
                return LockedCheck(pass, i, port, tuple, resched: true);
            }

            _n.Locks++;
            if (tb is null) return Chosen(pass, i, port, "free", created: true);
            if (tb.IsBindOwned)
            {
                _n.BindOwned++;
                if (resched) _n.Rescheds++;
                Log(pass, i, port, ScanVerdict.BindOwned, "bind-owned");
                return false;
            }
            _n.TupleChecks++;
            return LockedCheck(pass, i, port, tuple, resched);
        }

        private bool LockedCheck(int pass, int i, int port, FourTuple tuple, bool resched)
        {
            _n.EhashLocks++;
            var e = ehash.Find(Req.Netns, tuple, out int en);
            _n.EhashNodes += en;
            if (e is null) return Chosen(pass, i, port, "shared with other destinations", created: false);
            if (e.TimeWait)
            {
                _n.TimeWaitMatches++;
                if (TimeWaitReuse.IsUnique(Req.Profile, Req.Config, e, Req.NowMs, portPreassigned: false))
                {
                    _reusedTw = e;
                    return Chosen(pass, i, port, "time-wait reused", created: false);
                }
                if (resched) _n.Rescheds++;
                Log(pass, i, port, ScanVerdict.Busy, "time-wait not reusable");
                return false;
            }
            if (resched) _n.Rescheds++;
            Log(pass, i, port, ScanVerdict.Busy, "established");
            return false;
        }

        private bool Chosen(int pass, int i, int port, string detail, bool created)
        {
            _created = created;
            Log(pass, i, port, ScanVerdict.Chosen, detail);
            return true;
        }

        private void Log(int pass, int i, int port, ScanVerdict v, string detail) =>
            _log?.Add(new ScanCandidate(pass, i, port, v, detail));

        public ConnectResult Success(int port, int pass, int i, int step, uint remaining, uint start, int? index, uint before, uint after, int? draw) => new()
        {
            Port = port, Error = PortError.None, PortOffset = Req.PortOffset, Index = index, StartOffset = start,
            ScanRange = Range, Step = step, Remaining = remaining, I = i, Pass = pass, StateBefore = before, StateAfter = after,
            Draw = draw, ReusedTimeWait = _reusedTw, Candidates = (IReadOnlyList<ScanCandidate>?)_log ?? [], Counters = _n,
            CreatedBucket = _created,
        };

        public ConnectResult Failure(int step, uint remaining, uint start, int? index, uint before) => new()
        {
            Port = null, Error = PortError.EADDRNOTAVAIL, PortOffset = Req.PortOffset, Index = index, StartOffset = start,
            ScanRange = Range, Step = step, Remaining = remaining, StateBefore = before, StateAfter = before,
            Candidates = (IReadOnlyList<ScanCandidate>?)_log ?? [], Counters = _n,
        };
    }
}
