namespace PortSelection.Model.Tables;

/// <summary>
/// A set of ports (a 65536-bit bitmap, 64 ports a word) with a non-negative cost per member — the number of hash
/// chain nodes a lookup of that port walks — and the cost summed per word and parity, so that a scan can add up
/// the cost of a whole skipped word in O(1) (even ports and odd ports kept apart for the step-2 scans).
/// </summary>
/// <remarks>
/// Maintained by <see cref="BindTable"/> and <see cref="EstablishedTable"/> on every insertion and removal; read by
/// <see cref="Selection.FastConnectScan"/>. Costs are chain positions (1-based, newest first) as counted by the
/// tables' <c>Find(…, out nodesWalked)</c>.
/// </remarks>
public sealed class PortCostMap
{
    /// <summary>Number of 64-bit words (65536 ports).</summary>
    public const int Words = 1024;

    private readonly ulong[] _bits = new ulong[Words];
    private readonly ulong[] _extra = CreateAllSet(); // ports whose cost is not 1 (all at first: cost 0)
    private readonly int[] _cost = new int[65536];
    private readonly int[] _wordCost = new int[Words * 2];
    private readonly int[] _blockCount = new int[Blocks * 2];
    private readonly int[] _blockCost = new int[Blocks * 2];

    /// <summary>Number of blocks of 8 words (512 ports).</summary>
    public const int Blocks = 128;

    /// <summary>log2 of the ports per block.</summary>
    public const int BlockShift = 9;

    /// <summary>Members per block <c>k</c> (512 ports, 8 words) and parity <c>q</c> at index <c>2k + q</c>.</summary>
    public ReadOnlySpan<int> BlockCount => _blockCount;

    /// <summary>Cost summed per block <c>k</c> and parity <c>q</c> at index <c>2k + q</c>.</summary>
    public ReadOnlySpan<int> BlockCost => _blockCost;

    /// <summary>The member bitmap (bit <c>p &amp; 63</c> of word <c>p &gt;&gt; 6</c>).</summary>
    public ReadOnlySpan<ulong> Bits => _bits;

    /// <summary>
    /// Ports whose cost is not 1 (members or not). Costs of members are chain positions, nearly always 1, so the cost of
    /// a set of members is its size plus <c>cost − 1</c> over the few of them in this bitmap (<see cref="CostOf"/>).
    /// </summary>
    public ReadOnlySpan<ulong> Extra => _extra;

    /// <summary>Cost summed over the members <paramref name="members"/> of word <paramref name="w"/> (all must be members).</summary>
    public int CostOf(int w, ulong members)
    {
        int s = System.Numerics.BitOperations.PopCount(members);
        ulong x = members & _extra[w];
        while (x != 0)
        {
            s += _cost[(w << 6) | System.Numerics.BitOperations.TrailingZeroCount(x)] - 1;
            x &= x - 1;
        }
        return s;
    }

    /// <summary>Cost per port (0 for non-members).</summary>
    public ReadOnlySpan<int> Cost => _cost;

    /// <summary>Cost summed over word <c>w</c> and parity <c>q</c> at index <c>2w + q</c>.</summary>
    public ReadOnlySpan<int> WordCost => _wordCost;

    internal ulong[] BitsArray => _bits;
    internal int[] WordCostArray => _wordCost;
    internal int[] BlockCountArray => _blockCount;
    internal int[] BlockCostArray => _blockCost;

    /// <summary>Number of members.</summary>
    public int Count { get; private set; }

    /// <summary>True when <paramref name="port"/> is a member.</summary>
    public bool Contains(int port) => (_bits[port >> 6] & (1UL << (port & 63))) != 0;

    /// <summary>Adds or removes <paramref name="port"/>; a removed port's cost drops to 0.</summary>
    public void Set(int port, bool member)
    {
        ulong bit = 1UL << (port & 63);
        ref ulong w = ref _bits[port >> 6];
        bool had = (w & bit) != 0;
        if (had == member) return;
        if (member) { w |= bit; Count++; _blockCount[((port >> BlockShift) << 1) | (port & 1)]++; }
        else { w &= ~bit; Count--; _blockCount[((port >> BlockShift) << 1) | (port & 1)]--; SetCost(port, 0); }
    }

    /// <summary>Sets the cost of <paramref name="port"/> (keeps the word sums current).</summary>
    public void SetCost(int port, int cost)
    {
        int d = cost - _cost[port];
        if (d == 0) return;
        _cost[port] = cost;
        ulong bit = 1UL << (port & 63);
        if (cost != 1) _extra[port >> 6] |= bit;
        else _extra[port >> 6] &= ~bit;
        _wordCost[((port >> 6) << 1) | (port & 1)] += d;
        _blockCost[((port >> BlockShift) << 1) | (port & 1)] += d;
    }

    private static ulong[] CreateAllSet()
    {
        var a = new ulong[Words];
        Array.Fill(a, ~0UL);
        return a;
    }
}
