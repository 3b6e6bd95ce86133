using System.Numerics;

namespace PortSelection.Model.Hashing;

/// <summary>Validation shared by the table-index functions: kernel hash tables have power-of-two sizes.</summary>
/// <remarks>
/// <c>alloc_large_system_hash</c> (mm/mm_init.c, formerly mm/page_alloc.c) rounds every table to a power of two and
/// indexes with <c>hash &amp; (size - 1)</c>; shared/kernel/port-selection.md §4.5.
/// </remarks>
internal static class TableSize
{
    /// <summary>Throws unless <paramref name="size"/> is a non-zero power of two.</summary>
    public static void RequirePowerOfTwo(uint size, string name)
    {
        if (!BitOperations.IsPow2(size))
            throw new ArgumentOutOfRangeException(name, size, "A kernel hash table size is a power of two.");
    }
}
