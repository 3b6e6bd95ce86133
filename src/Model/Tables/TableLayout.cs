namespace PortSelection.Model.Tables;

/// <summary>
/// Sizes and secrets of the global hash tables (chosen at boot by <c>tcp_init</c>, net/ipv4/tcp.c). They decide
/// which chain a lookup walks — the work of a lookup — never which port is chosen.
/// </summary>
/// <remarks>
/// ehash entries = roundup_pow2(lowmem / 128 KiB) capped at 524288 (262144 on the 24 GiB reference VM);
/// bhash entries = min(ehash, 65536). shared/kernel/port-selection.md §4.5.
/// </remarks>
public sealed record TableLayout
{
    /// <summary>Number of bhash buckets (power of two; 65536 on machines with ≥ 8 GiB).</summary>
    public int BhashSize { get; init; } = 65536;

    /// <summary>Number of ehash buckets (power of two; 262144 on the 24 GiB reference VM).</summary>
    public int EhashSize { get; init; } = 262144;

    /// <summary><c>inet_ehash_secret</c> (random u32 per boot).</summary>
    public uint EhashSecret { get; init; }

    /// <summary>The layout of the reference machine (6.18 VM, 24 GiB): bhash 65536, ehash 262144, secret 0.</summary>
    public static TableLayout Default { get; } = new();

    /// <summary>Checks the sizes; returns an error message or null.</summary>
    public string? Validate() =>
        BhashSize <= 0 || (BhashSize & (BhashSize - 1)) != 0 ? $"bhash size {BhashSize} is not a power of two" :
        EhashSize <= 0 || (EhashSize & (EhashSize - 1)) != 0 ? $"ehash size {EhashSize} is not a power of two" :
        null;
}
