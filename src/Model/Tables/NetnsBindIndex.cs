namespace PortSelection.Model.Tables;

/// <summary>
/// The bind-hash index of one namespace: ports that have a bind bucket (with the bhash chain position of the
/// bucket as cost) and ports whose bucket is BindOwned (<c>fastreuse ≥ 0 || fastreuseport ≥ 0</c>, skipped by
/// connect() in every era — shared/kernel/port-selection.md §2.2).
/// </summary>
public sealed class NetnsBindIndex
{
    private readonly ulong[] _bindOwned = new ulong[PortCostMap.Words];
    private readonly int[] _bindOwnedBlockCount = new int[PortCostMap.Blocks * 2];

    /// <summary>Ports with a bucket; cost = nodes a bhash lookup of the port walks (its chain position).</summary>
    public PortCostMap Present { get; } = new();

    /// <summary>Ports whose bucket is BindOwned (bit <c>p &amp; 63</c> of word <c>p &gt;&gt; 6</c>), read in place by the fast scan.</summary>
    internal ulong[] BindOwnedArray => _bindOwned;

    /// <summary>BindOwned ports per block <c>k</c> (512 ports) and parity <c>q</c> at index <c>2k + q</c>.</summary>
    internal int[] BindOwnedBlockCountArray => _bindOwnedBlockCount;

    /// <summary>Number of BindOwned ports (0: the fast scan's lean lane may ignore <see cref="BindOwnedArray"/>).</summary>
    internal int BindOwnedCount { get; private set; }

    /// <summary>True when <paramref name="port"/>'s bucket is BindOwned.</summary>
    public bool IsBindOwned(int port) => (_bindOwned[port >> 6] & (1UL << (port & 63))) != 0;

    /// <summary>Marks <paramref name="port"/> BindOwned or not.</summary>
    public void SetBindOwned(int port, bool on)
    {
        ulong bit = 1UL << (port & 63);
        ref ulong w = ref _bindOwned[port >> 6];
        if (((w & bit) != 0) == on) return;
        w ^= bit;
        BindOwnedCount += on ? 1 : -1;
        _bindOwnedBlockCount[((port >> PortCostMap.BlockShift) << 1) | (port & 1)] += on ? 1 : -1;
    }
}
