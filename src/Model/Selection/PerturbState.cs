namespace PortSelection.Model.Selection;

/// <summary>
/// The global scan state of <c>__inet_hash_connect()</c>: the <c>static u32 hint</c> of eras A–C, or the
/// <c>table_perturb[]</c> array of eras D–E. Global to the kernel: shared by all destinations and all netns.
/// </summary>
/// <remarks>
/// Era D (190cc82489f4): <c>u32 table_perturb[256]</c>. Era E (4c2c8f03a5ab, e9261476184b): 2^16 entries, allocated
/// at boot (<c>CONFIG_INET_TABLE_PERTURB_ORDER</c>, aeac4ec8f46d, default 16), filled with random bytes once.
/// shared/kernel/port-selection.md §2.1, §3.4–3.5.
/// </remarks>
public sealed class PerturbState
{
    private readonly uint[] _table;

    /// <summary>Creates state for a table of 2^<paramref name="order"/> entries (0 = no table: hint only).</summary>
    /// <param name="order">log2 of the table size (0 for eras A–C).</param>
    /// <param name="fill">Source of the initial random fill; null fills every slot with <paramref name="fillValue"/>.</param>
    /// <param name="fillValue">Value of every slot when <paramref name="fill"/> is null.</param>
    /// <param name="hint">Initial <c>hint</c> (eras A–C).</param>
    public PerturbState(int order, IRandomDraws? fill = null, uint fillValue = 0, uint hint = 0)
    {
        if (order is < 0 or > 24) throw new ArgumentOutOfRangeException(nameof(order), order, "perturb order is 0..24");
        Order = order;
        Hint = hint;
        _table = new uint[order == 0 ? 0 : 1 << order];
        for (int i = 0; i < _table.Length; i++) _table[i] = fill?.NextU32() ?? fillValue;
    }

    /// <summary>log2 of the table size (0 when there is no table).</summary>
    public int Order { get; }

    /// <summary>Number of table slots.</summary>
    public int Size => _table.Length;

    /// <summary>The <c>static u32 hint</c> of eras A–C.</summary>
    public uint Hint { get; set; }

    /// <summary>A table slot.</summary>
    public uint this[int index]
    {
        get => _table[index];
        set => _table[index] = value;
    }

    /// <summary>A deep copy (for what-if runs from the same start state).</summary>
    public PerturbState Clone()
    {
        var c = new PerturbState(Order, null, 0, Hint);
        _table.CopyTo(c._table, 0);
        return c;
    }
}
