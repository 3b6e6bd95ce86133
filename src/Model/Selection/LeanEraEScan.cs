using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using PortSelection.Model.Kernel;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Selection;

/// <summary>
/// <see cref="FastConnectScan"/>'s lean lane for the one shape a workload simulation scans most — era E (the 2^16-slot
/// perturb table, 4c2c8f03a5ab / e9261476184b), two parity passes with step 2 over an even range of at least two
/// ports, no per-socket range — on a live map of members only (no chain positions: <see cref="PortCostMap.HasCosts"/>
/// false) with unit buckets, written out without the general walker: the same port, perturb update, random draw and
/// <see cref="ScanCounters"/>. Differential tests hold it to <see cref="FastConnectScan"/> and the reference.
/// </summary>
/// <remarks>
/// In the lean lane (no reserved port in the range, no BindOwned bucket in the namespace, no TIME_WAIT 4-tuple to the
/// destination) a candidate is skipped exactly when its 4-tuple to the destination is live, so a pass takes the first
/// port of its parity from the start offset (wrapping once, <c>port -= remaining</c>) that is not in the live map; its
/// <c>i</c> is the distance in ports from the pass's first port. Every candidate skipped before it counts one probe, one
/// 4-tuple check, one bhash node (its bucket alone on its chain), a <c>cond_resched()</c> (since 4.6, 1580ab63fc9a), and
/// before 6.15 a bhash and an ehash lock (since 6.15 the RCU pre-check takes none, 86c2bc293b81); its ehash nodes are
/// the chain positions, 0 here. The chosen candidate is evaluated as <see cref="ConnectScan"/> does: a free port creates
/// its bucket; a port other destinations' connections hold has a bucket, an ehash lookup that finds nothing (with the
/// pre-check: a lockless one and the locked one) and is taken. Success updates the perturb slot with
/// <c>max(i, rand8·2) + 2</c> (<see cref="PerturbSlot.Update"/>). Both passes all live: no port, no draw.
/// </remarks>
internal static class LeanEraEScan
{
    private const ulong EvenMask = 0x5555_5555_5555_5555UL;

    /// <summary>
    /// True when a connect of <paramref name="profile"/> over <paramref name="low"/> .. <paramref name="high"/> without a
    /// per-socket range has this shape (era E, an even number of ports, at least two). The lean-lane conditions of the
    /// tables are the caller's.
    /// </summary>
    public static bool Fits(KernelProfile profile, int low, int high) =>
        profile.Era == ConnectEra.E && profile.PerturbOrder > 0 && high > low && ((high - low + 1) & 1) == 0;

    /// <summary>
    /// The scan over <paramref name="low"/> .. <paramref name="high"/> (<see cref="Fits"/>) of a destination whose live
    /// map is <paramref name="live"/> (members only, tracking exactly that range), with port offset
    /// <paramref name="portOffset"/>: the chosen port (0 when none) and the work counters.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Scan<T>(ref T tables, PortCostMap live, int low, int high, bool rcu, PerturbState st, IRandomDraws draws,
        ulong portOffset, out ScanCounters counters) where T : struct, IScanTables
    {
        int hiX = high + 1;
        uint remaining = (uint)(hiX - low);
        int half = (int)(remaining >> 1);
        uint offset = PerturbSlot.Start(ConnectEra.E, st, portOffset, remaining, out int index, out uint before) & ~1u;
        int skipped = 0, port = 0;
        for (int pass = 0; pass < 2; pass++, offset++)
        {
            int start = low + (int)offset;
            int q = start & 1;
            if (live.TrackedCount(q) == half)
            {
                skipped += half; // the whole pass is live to the destination
                continue;
            }
            int p = FirstFree(live, start, hiX, q);
            int i;
            if (p >= 0) i = p - start;
            else
            {
                p = FirstFree(live, low + ((low ^ q) & 1), start, q); // wrapped: from the range's first port of parity q
                i = p - start + (int)remaining;
            }
            if (p < 0)
            {
                skipped += half; // (not reached: the tracked count says a port of the parity is free)
                continue;
            }
            skipped += i >> 1;
            port = p;
            PerturbSlot.Update(ConnectEra.E, st, index, before, i, 2, draws, out _);
            break;
        }
        counters = default;
        counters.Candidates = skipped;
        counters.Probes = skipped;
        counters.TupleChecks = skipped;
        counters.BhashNodes = skipped;
        counters.Rescheds = skipped;
        if (!rcu)
        {
            counters.Locks = skipped;
            counters.EhashLocks = skipped;
        }
        if (port != 0) Evaluate(ref tables, port, rcu, ref counters);
        return port;
    }

    /// <summary>The chosen candidate, counted as <see cref="ConnectScan"/> counts it (no BindOwned bucket, no TIME_WAIT entry: it is taken).</summary>
    private static void Evaluate<T>(ref T tables, int port, bool rcu, ref ScanCounters n) where T : struct, IScanTables
    {
        n.Candidates++;
        n.Probes++;
        var bucket = tables.Bucket(port, out int bn);
        n.BhashNodes += bn;
        n.Locks++;
        if (rcu)
        {
            n.BhashNodes += bn; // the locked re-walk of the same chain
            if (bucket == ScanBucket.None) return;
            n.TupleChecks++;
            tables.Entry(port, out int pre); // the lockless lookup: nothing
            n.EhashNodes += pre;
        }
        else
        {
            if (bucket == ScanBucket.None) return;
            n.TupleChecks++;
        }
        n.EhashLocks++;
        tables.Entry(port, out int en);
        n.EhashNodes += en;
    }

    /// <summary>
    /// The first port of parity <paramref name="q"/> in <paramref name="from"/> .. <paramref name="to"/> − 1 (from of that
    /// parity) not in <paramref name="live"/>, or −1: the member words 64 ports at a time, and from a word boundary whole
    /// 512-port blocks and 4096-port superblocks whose member counts of the parity say they are full.
    /// </summary>
    private static int FirstFree(PortCostMap live, int from, int to, int q)
    {
        if (from >= to) return -1;
        ulong parity = EvenMask << q;
        ref ulong bits = ref MemoryMarshal.GetArrayDataReference(live.BitsArray);
        ref var blocks = ref MemoryMarshal.GetArrayDataReference(live.BlocksArray);
        ref var supers = ref MemoryMarshal.GetArrayDataReference(live.SupersArray);
        int w = from >> 6, wLast = (to - 1) >> 6, wEnd = to >> 6; // whole words before wEnd lie in the range
        ulong m = parity & (~0UL << (from & 63));
        while (true)
        {
            if (w == wLast) m &= ~0UL >> (63 - ((to - 1) & 63));
            ulong free = m & ~Unsafe.Add(ref bits, w);
            if (free != 0) return (w << 6) | BitOperations.TrailingZeroCount(free);
            if (w >= wLast) return -1;
            w++;
            m = parity;
            while ((w & 7) == 0)
            {
                if ((w & 63) == 0 && w + 64 <= wEnd && Count(ref Unsafe.Add(ref supers, w >> 6), q) == 2048) w += 64;
                else if (w + 8 <= wEnd && Count(ref Unsafe.Add(ref blocks, w >> 3), q) == 256) w += 8;
                else break;
            }
            if (w > wLast) return -1;
        }

        static int Count(ref PortCostMap.BlockData b, int q) => q == 0 ? b.Count0 : b.Count1;
    }
}
