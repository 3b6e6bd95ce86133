using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PortSelection.Model.Tables;

/// <summary>
/// A set of ports (a 65536-bit bitmap, 64 ports a word) with a non-negative cost per member — the number of hash
/// chain nodes a lookup of that port walks — and the cost summed per word and parity, so that a scan can add up
/// the cost of a whole skipped word in O(1) (even ports and odd ports kept apart for the step-2 scans).
/// </summary>
/// <remarks>
/// Maintained by <see cref="BindTable"/> and <see cref="EstablishedTable"/> on every insertion and removal; read by
/// <see cref="Selection.FastConnectScan"/>. Costs are chain positions (1-based, newest first) as counted by the
/// tables' <c>Find(…, out nodesWalked)</c>. Layout: the member bits in one dense array of words (a range of 8,192
/// ports is 1 KB); the cost a word needs — the binary digits of its ports' costs as four bit planes (costs below 16; a
/// larger cost sets the port's bit in a fifth plane and is kept exactly in a side array), the two parity sums — in
/// one 64-byte record, and the four sums of a 512-port block in one 16-byte record (the same four over a 4096-port
/// superblock too), so that an update, a cost read or a skipped word touches one record per level instead of one line
/// per array; the cost of any subset of a word is five popcounts (<see cref="CostOf(int, ulong)"/>). Until a member
/// has a cost other than 0 (<see cref="HasCosts"/>: a simulation that keeps no chain positions never gives one) the
/// records stay clear and nothing reads or writes them: the map is its bit words and member counts.
/// </remarks>
public sealed class PortCostMap
{
    /// <summary>Number of 64-bit words (65536 ports).</summary>
    public const int Words = 1024;

    /// <summary>Number of blocks of 8 words (512 ports).</summary>
    public const int Blocks = 128;

    /// <summary>log2 of the ports per block.</summary>
    public const int BlockShift = 9;

    /// <summary>log2 of the ports per superblock (8 blocks, 64 words, 4096 ports).</summary>
    internal const int SuperShift = 12;

    /// <summary>The first cost not held in the bit planes (kept in the side array instead).</summary>
    private const int BigCost = 16;

    private readonly ulong[] _bits = new ulong[Words];        // the members, 64 ports a word (8 bytes a word: a range's words share few lines)
    private readonly WordData[] _words = new WordData[Words];
    private bool _costs;                                       // a member has had a cost other than 0 (until then every record is clear)
    private readonly BlockData[] _blocks = new BlockData[Blocks];
    private readonly BlockData[] _supers = new BlockData[65536 >> SuperShift]; // the block record summed over 8 blocks
    private const int BigChunkShift = 10;                                    // costs ≥ 16 in chunks of 1024 ports,
    private readonly int[]?[] _big = new int[]?[65536 >> BigChunkShift];      // allocated when a port of the chunk needs one

    /// <summary>
    /// One word: members; the binary digits of each port's cost (0 for non-members) in planes <c>P0</c>–<c>P3</c> when it
    /// is below 16, else the port's bit in <c>Big</c> (planes clear); the cost sums of even and odd ports.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct WordData
    {
        public ulong P0;
        public ulong P1;
        public ulong P2;
        public ulong P3;
        public ulong Big;
        public int Cost0;
        public int Cost1;
        private readonly long _pad0, _pad1; // 64 bytes

        /// <summary>The cost sum of parity <paramref name="q"/> (0 even, 1 odd).</summary>
        public readonly int CostOfParity(int q) => q == 0 ? Cost0 : Cost1;

        /// <summary>Ports whose cost is at least 2 (a digit above the lowest, or a large cost).</summary>
        public readonly ulong High => P1 | P2 | P3 | Big;
    }

    /// <summary>One block: members and cost sums of even and odd ports.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BlockData
    {
        public int Count0;
        public int Count1;
        public int Cost0;
        public int Cost1;
    }

    /// <summary>Members of block <paramref name="k"/> (512 ports, 8 words) of parity <paramref name="q"/> (0 even, 1 odd).</summary>
    public int BlockCount(int k, int q) => q == 0 ? _blocks[k].Count0 : _blocks[k].Count1;

    /// <summary>Cost summed over block <paramref name="k"/> and parity <paramref name="q"/>.</summary>
    public int BlockCost(int k, int q) => q == 0 ? _blocks[k].Cost0 : _blocks[k].Cost1;

    /// <summary>The members of word <paramref name="w"/> (bit <c>p &amp; 63</c> of word <c>p &gt;&gt; 6</c>).</summary>
    public ulong BitsOf(int w) => _bits[w];

    /// <summary>
    /// True once a member has had a cost other than 0. Until then every cost, word sum and block cost sum is 0 and the
    /// word records are clear: updates and reads leave them alone (a map of members only touches its bit words and
    /// member counts).
    /// </summary>
    internal bool HasCosts => _costs;

    /// <summary>Ports of word <paramref name="w"/> whose cost is not 1 (members or not; a non-member's cost is 0).</summary>
    public ulong ExtraOf(int w)
    {
        ref var d = ref _words[w];
        return ~(d.P0 & ~d.High);
    }

    /// <summary>Cost summed over word <paramref name="w"/> and parity <paramref name="q"/> (0 even, 1 odd).</summary>
    public int WordCost(int w, int q) => _words[w].CostOfParity(q);

    /// <summary>Cost summed over the members <paramref name="members"/> of word <paramref name="w"/> (all must be members).</summary>
    public int CostOf(int w, ulong members) => _costs ? CostOf(ref _words[w], w, members) : 0;

    /// <summary>
    /// <see cref="CostOf(int, ulong)"/> with the word record at hand: the ports' cost digits counted plane by plane, plus
    /// the large costs (looked up one by one, rare). Non-members count 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int CostOf(ref WordData d, int w, ulong members)
    {
        int s = BitOperations.PopCount(members & d.P0);
        if ((members & d.High) == 0) return s;
        s += (BitOperations.PopCount(members & d.P1) << 1) + (BitOperations.PopCount(members & d.P2) << 2)
             + (BitOperations.PopCount(members & d.P3) << 3);
        ulong x = members & d.Big;
        return x == 0 ? s : s + BigCosts(w, x);
    }

    /// <summary>Σ cost over the ports <paramref name="x"/> of word <paramref name="w"/>, all with large costs.</summary>
    private int BigCosts(int w, ulong x)
    {
        int s = 0;
        while (x != 0)
        {
            int port = (w << 6) | BitOperations.TrailingZeroCount(x);
            s += BigSlot(port);
            x &= x - 1;
        }
        return s;
    }

    /// <summary>The word's (even, odd) cost sums packed in one value (even in the low half).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong WordSums(ref WordData d) => Unsafe.As<int, ulong>(ref d.Cost0);

    /// <summary>The block's (even, odd) member counts packed in one value (even in the low half).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong BlockCounts(ref BlockData d) => Unsafe.As<int, ulong>(ref d.Count0);

    /// <summary>The block's (even, odd) cost sums packed in one value (even in the low half).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong BlockSums(ref BlockData d) => Unsafe.As<int, ulong>(ref d.Cost0);

    /// <summary>The cost of <paramref name="port"/> (0 for non-members).</summary>
    public int CostAt(int port) => _costs ? CostIn(ref _words[port >> 6], port) : 0;

    /// <summary>The cost of <paramref name="port"/>, whose word record is <paramref name="w"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CostIn(ref WordData w, int port)
    {
        int b = port & 63;
        if (((w.Big >> b) & 1) != 0) return BigSlot(port);
        return (int)(((w.P0 >> b) & 1) | (((w.P1 >> b) & 1) << 1) | (((w.P2 >> b) & 1) << 2) | (((w.P3 >> b) & 1) << 3));
    }

    /// <summary>Writes <paramref name="cost"/> (≥ 0) as the cost of <paramref name="port"/> in its word record <paramref name="w"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteCost(ref WordData w, int port, int cost)
    {
        int b = port & 63;
        ulong bit = 1UL << b;
        if (cost < BigCost && (w.Big & bit) == 0)
        {
            ulong keep = ~bit;
            w.P0 = (w.P0 & keep) | ((ulong)(cost & 1) << b);
            w.P1 = (w.P1 & keep) | ((ulong)((cost >> 1) & 1) << b);
            w.P2 = (w.P2 & keep) | ((ulong)((cost >> 2) & 1) << b);
            w.P3 = (w.P3 & keep) | ((ulong)((cost >> 3) & 1) << b);
            return;
        }
        WriteCostSlow(ref w, port, cost);
    }

    private void WriteCostSlow(ref WordData w, int port, int cost)
    {
        ulong bit = 1UL << (port & 63);
        w.P0 &= ~bit;
        w.P1 &= ~bit;
        w.P2 &= ~bit;
        w.P3 &= ~bit;
        if (cost < BigCost)
        {
            w.Big &= ~bit;
            WriteCost(ref w, port, cost);
            return;
        }
        w.Big |= bit;
        _big[port >> BigChunkShift] ??= new int[1 << BigChunkShift];
        BigSlot(port) = cost;
    }

    /// <summary>The exact cost of <paramref name="port"/> when it is 16 or more (its chunk allocated).</summary>
    private ref int BigSlot(int port) => ref _big[port >> BigChunkShift]![port & ((1 << BigChunkShift) - 1)];

    internal WordData[] WordsArray => _words;
    internal ulong[] BitsArray => _bits;
    internal BlockData[] BlocksArray => _blocks;
    internal BlockData[] SupersArray => _supers;

    /// <summary>Number of members.</summary>
    public int Count { get; private set; }

    // Members and cost sums per parity within one tracked range of ports (none: low > high).
    private int _trackLow = 1, _trackHigh;
    private BlockData _tracked; // members and cost sums per parity within the tracked range

    /// <summary>
    /// Keeps the member count and the cost sum per parity within <paramref name="low"/> .. <paramref name="high"/>
    /// current from now on (one range; it replaces any earlier one), so that a scan pass over the whole range is summed
    /// in O(1) (<see cref="TrackedCount"/>, <see cref="TrackedCost"/>).
    /// </summary>
    internal void TrackRange(int low, int high)
    {
        _trackLow = low;
        _trackHigh = high;
        _tracked = default;
        for (int p = Math.Max(0, low); p <= high && p <= 65535; p++)
        {
            if (!Contains(p)) continue;
            ParityCount(ref _tracked, p & 1)++;
            ParityCost(ref _tracked, p & 1) += CostAt(p);
        }
    }

    /// <summary>True when <see cref="TrackRange"/> was called with exactly <paramref name="low"/> .. <paramref name="high"/>.</summary>
    internal bool Tracks(int low, int high) => _trackLow == low && _trackHigh == high;

    /// <summary>Members of parity <paramref name="q"/> within the tracked range.</summary>
    internal int TrackedCount(int q) => q == 0 ? _tracked.Count0 : _tracked.Count1;

    /// <summary>Cost summed over the members of parity <paramref name="q"/> within the tracked range.</summary>
    internal int TrackedCost(int q) => q == 0 ? _tracked.Cost0 : _tracked.Cost1;

    private bool InTrackedRange(int port) => port >= _trackLow && port <= _trackHigh;

    // The per-parity fields of the records by parity q (0 even, 1 odd): an indexed update instead of a branch on the
    // parity of a port, which is as good as random from one update to the next (fields in declaration order).
    private static ref int ParityCount(ref BlockData b, int q) => ref Unsafe.Add(ref b.Count0, q);

    private static ref int ParityCost(ref BlockData b, int q) => ref Unsafe.Add(ref b.Cost0, q);

    private static ref int ParityCost(ref WordData w, int q) => ref Unsafe.Add(ref w.Cost0, q);

    private BlockData _total; // members and cost sums of the whole map, per parity (only the counts are kept)

    /// <summary>The (even, odd) member counts of the whole map packed in one value (even in the low half).</summary>
    internal ulong ParityCounts
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.As<int, ulong>(ref _total.Count0);
    }

    /// <summary>A hint: <paramref name="port"/>'s member word (and word record, once there are costs) is needed soon (fetched into the cache).</summary>
    internal unsafe void Prefetch(int port)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        int w = (port >> 6) & (Words - 1);
        System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref _bits[w]));
        if (_costs) System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref _words[w]));
    }

    /// <summary>True when <paramref name="port"/> is a member.</summary>
    public bool Contains(int port) => (_bits[port >> 6] & (1UL << (port & 63))) != 0;

    /// <summary>Adds or removes <paramref name="port"/>; a removed port's cost drops to 0.</summary>
    public void Set(int port, bool member)
    {
        ulong bit = 1UL << (port & 63);
        ref ulong bits = ref _bits[port >> 6];
        bool had = (bits & bit) != 0;
        if (had == member) return;
        ref var b = ref _blocks[port >> BlockShift];
        ref var sb = ref _supers[port >> SuperShift];
        int d = member ? 1 : -1;
        if (member) bits |= bit;
        else bits &= ~bit;
        Count += d;
        int q = port & 1;
        ParityCount(ref b, q) += d;
        ParityCount(ref sb, q) += d;
        if (InTrackedRange(port)) ParityCount(ref _tracked, q) += d;
        ParityCount(ref _total, q) += d;
        if (!member) SetCost(port, 0);
    }

    /// <summary>Adds <paramref name="port"/> with cost <paramref name="cost"/> (≥ 0): <see cref="Set"/> and <see cref="SetCost"/> in one pass.</summary>
    public void Add(int port, int cost)
    {
        ulong bit = 1UL << (port & 63);
        ref ulong bits = ref _bits[port >> 6];
        if ((bits & bit) != 0)
        {
            SetCost(port, cost);
            return;
        }
        int q = port & 1;
        if (cost != 0 || _costs) // else every record stays clear
        {
            _costs |= cost != 0;
            ref var w = ref _words[port >> 6];
            WriteCost(ref w, port, cost); // 0 before: a non-member's cost
            ParityCost(ref w, q) += cost;
        }
        bits |= bit;
        Count++;
        ref var b = ref _blocks[port >> BlockShift];
        ref var sb = ref _supers[port >> SuperShift];
        ParityCount(ref b, q)++;
        ParityCost(ref b, q) += cost;
        ParityCount(ref sb, q)++;
        ParityCost(ref sb, q) += cost;
        ParityCount(ref _total, q)++;
        if (InTrackedRange(port))
        {
            ParityCount(ref _tracked, q)++;
            ParityCost(ref _tracked, q) += cost;
        }
    }

    /// <summary>Removes <paramref name="port"/> (its cost drops to 0): <see cref="Set"/> with false, in one pass.</summary>
    public void Remove(int port)
    {
        ulong bit = 1UL << (port & 63);
        ref ulong bits = ref _bits[port >> 6];
        if ((bits & bit) == 0) return;
        int q = port & 1;
        int cost = 0;
        if (_costs)
        {
            ref var w = ref _words[port >> 6];
            cost = CostIn(ref w, port);
            WriteCost(ref w, port, 0);
            ParityCost(ref w, q) -= cost;
        }
        bits &= ~bit;
        Count--;
        ref var b = ref _blocks[port >> BlockShift];
        ref var sb = ref _supers[port >> SuperShift];
        ParityCount(ref b, q)--;
        ParityCost(ref b, q) -= cost;
        ParityCount(ref sb, q)--;
        ParityCost(ref sb, q) -= cost;
        ParityCount(ref _total, q)--;
        if (InTrackedRange(port))
        {
            ParityCount(ref _tracked, q)--;
            ParityCost(ref _tracked, q) -= cost;
        }
    }

    /// <summary>Sets the cost of <paramref name="port"/> (keeps the word and block sums current).</summary>
    public void SetCost(int port, int cost)
    {
        if (!_costs && cost == 0) return; // every cost is 0 already
        ref var w = ref _words[port >> 6];
        int d = cost - CostIn(ref w, port);
        if (d != 0) ChangeCost(ref w, port, cost, d);
    }

    /// <summary>Changes the cost of <paramref name="port"/> by <paramref name="by"/> (the result must be ≥ 0): a chain position moving up or down.</summary>
    public void AddCost(int port, int by)
    {
        ref var w = ref _words[port >> 6];
        if (by != 0) ChangeCost(ref w, port, CostIn(ref w, port) + by, by);
    }

    private void ChangeCost(ref WordData w, int port, int cost, int d)
    {
        _costs = true;
        WriteCost(ref w, port, cost);
        ref var b = ref _blocks[port >> BlockShift];
        ref var sb = ref _supers[port >> SuperShift];
        int q = port & 1;
        ParityCost(ref w, q) += d;
        ParityCost(ref b, q) += d;
        ParityCost(ref sb, q) += d;
        if (InTrackedRange(port)) ParityCost(ref _tracked, q) += d;
    }
}
