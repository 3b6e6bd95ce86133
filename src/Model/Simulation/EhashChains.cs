using System.Runtime.CompilerServices;

namespace PortSelection.Model.Simulation;

/// <summary>
/// The ehash chains of a <see cref="CompactHost"/>: per bucket, the entries on it as 32-bit member ids (never 0), newest
/// first — the order a lookup walks them, so a member's 1-based position is the number of nodes a lookup of it walks.
/// The first seven members of a chain and the number of the others sit inline in one 32-byte record per bucket (one
/// record read per insertion, removal or length; a chain rarely holds more), the others in a list per bucket kept aside.
/// </summary>
/// <remarks>
/// Kernel rule (shared/kernel/port-selection.md §2): <c>__inet_hash_nolisten</c> / <c>inet_ehash_insert</c> add a new
/// socket at the head of its chain (<c>__sk_nulls_add_node_rcu</c>, every era 3.x → 7.x), and removal
/// (<c>sk_nulls_del_node_init_rcu</c>) keeps the order of the others; so an insertion moves every member already on the
/// chain one node down, and a removal moves the members behind the removed one one node up.
/// </remarks>
internal sealed class EhashChains
{
    private const int Inline = 7;

    /// <summary>The first seven members of a chain, newest first (0 = none: the chain ends there), and the number of the others.</summary>
    [InlineArray(Inline + 1)]
    private struct Chain
    {
        private uint _m0; // M[0..6]: members; M[7]: members kept aside
    }

    /// <summary>What a change of one chain does to the positions of the other members.</summary>
    public interface IMoves
    {
        /// <summary><paramref name="member"/> moved <paramref name="by"/> nodes down the chain (−1: up).</summary>
        void Moved(uint member, int by);
    }

    private readonly Chain[] _chains;
    private readonly Dictionary<uint, List<uint>> _rest = []; // bucket → members after the seventh, OLDEST first

    /// <summary>Empty chains for <paramref name="buckets"/> buckets (0 … buckets − 1).</summary>
    public EhashChains(int buckets) => _chains = new Chain[buckets];

    /// <summary>The number of members on chain <paramref name="bucket"/> (the nodes a lookup that finds none walks).</summary>
    public int Length(uint bucket)
    {
        ref var c = ref _chains[bucket];
        int n = 0;
        while (n < Inline && c[n] != 0) n++;
        return n + (int)c[Inline];
    }

    /// <summary>
    /// Adds <paramref name="member"/> at the head of chain <paramref name="bucket"/>; every member already on it moves one
    /// node down (told to <paramref name="moves"/>, newest first).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push<TMoves>(uint bucket, uint member, ref TMoves moves) where TMoves : struct, IMoves
    {
        ref var c = ref _chains[bucket];
        if (c[0] == 0)
        {
            c[0] = member;
            return;
        }
        PushLong(ref c, bucket, member, ref moves);
    }

    private void PushLong<TMoves>(ref Chain c, uint bucket, uint member, ref TMoves moves) where TMoves : struct, IMoves
    {
        int n = 0;
        while (n < Inline && c[n] != 0) moves.Moved(c[n++], 1);
        if (n == Inline)
        {
            // The oldest inline member joins the rest (as its newest); the rest moves down too.
            if (!_rest.TryGetValue(bucket, out var rest)) _rest[bucket] = rest = [];
            for (int i = rest.Count - 1; i >= 0; i--) moves.Moved(rest[i], 1);
            rest.Add(c[Inline - 1]);
            c[Inline] = (uint)rest.Count;
            n = Inline - 1;
        }
        for (int i = n; i > 0; i--) c[i] = c[i - 1];
        c[0] = member;
    }

    /// <summary>
    /// Removes <paramref name="member"/> (which must be on chain <paramref name="bucket"/>); the members behind it move one
    /// node up (told to <paramref name="moves"/>, newest first).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Remove<TMoves>(uint bucket, uint member, ref TMoves moves) where TMoves : struct, IMoves
    {
        ref var c = ref _chains[bucket];
        if (c[0] == member && c[1] == 0)
        {
            c[0] = 0;
            return;
        }
        RemoveLong(ref c, bucket, member, ref moves);
    }

    private void RemoveLong<TMoves>(ref Chain c, uint bucket, uint member, ref TMoves moves) where TMoves : struct, IMoves
    {
        int at = 0;
        while (at < Inline && c[at] != member && c[at] != 0) at++;
        List<uint>? rest = c[Inline] != 0 ? _rest[bucket] : null;
        if (at == Inline || c[at] != member)
        {
            // In the rest (oldest first): the members behind it are those before it in the list.
            int i = rest?.LastIndexOf(member) ?? -1;
            if (i < 0) throw new InvalidOperationException($"member {member:X} is not on ehash chain {bucket}");
            for (int j = i - 1; j >= 0; j--) moves.Moved(rest![j], -1);
            rest!.RemoveAt(i);
            Shrunk(ref c, bucket, rest);
            return;
        }
        // Shift the inline members behind it up one slot; the newest of the rest (if any) fills the last slot.
        int k = at + 1;
        for (; k < Inline && c[k] != 0; k++)
        {
            moves.Moved(c[k], -1);
            c[k - 1] = c[k];
        }
        if (rest is null)
        {
            c[k - 1] = 0;
            return;
        }
        for (int j = rest.Count - 1; j >= 0; j--) moves.Moved(rest[j], -1);
        c[Inline - 1] = rest[^1];
        rest.RemoveAt(rest.Count - 1);
        Shrunk(ref c, bucket, rest);
    }

    private void Shrunk(ref Chain c, uint bucket, List<uint> rest)
    {
        c[Inline] = (uint)rest.Count;
        if (rest.Count == 0) _rest.Remove(bucket);
    }

    /// <summary>A hint: chain <paramref name="bucket"/> is needed soon (its record is fetched into the cache).</summary>
    public unsafe void Prefetch(uint bucket)
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported && bucket < (uint)_chains.Length)
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref _chains[bucket]));
    }

    /// <summary>The members of chain <paramref name="bucket"/>, newest first (for tests and diagnostics).</summary>
    public List<uint> Members(uint bucket)
    {
        ref var c = ref _chains[bucket];
        var list = new List<uint>();
        for (int i = 0; i < Inline && c[i] != 0; i++) list.Add(c[i]);
        if (_rest.TryGetValue(bucket, out var rest))
            for (int i = rest.Count - 1; i >= 0; i--) list.Add(rest[i]);
        return list;
    }
}
