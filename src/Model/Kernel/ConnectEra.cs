namespace PortSelection.Model.Kernel;

/// <summary>
/// The eras of the connect() autobind scan in <c>__inet_hash_connect()</c> (net/ipv4/inet_hashtables.c).
/// </summary>
/// <remarks>Era boundaries: shared/kernel/port-selection.md §1 and §3.</remarks>
public enum ConnectEra
{
    /// <summary>3.x–4.1: global <c>static u32 hint</c>, loop <c>i = 1..remaining</c>, <c>hint += i</c>; no parity.</summary>
    A,
    /// <summary>4.2–4.5 (07f4c90062f8): even start offset, single pass, <c>hint += (i + 2) &amp; ~1</c>.</summary>
    B,
    /// <summary>4.6–5.11 (1580ab63fc9a): parity two-pass scan with step 2, <c>hint += i + 2</c>.</summary>
    C,
    /// <summary>5.12–5.17 mainline (190cc82489f4, c579bd1b4021): <c>table_perturb[256]</c> indexed by <c>hash_32(port_offset, 8)</c>, 1/16 extra +2.</summary>
    D,
    /// <summary>5.18+ and the 2022 stable backports (Tarreau series, merge ef5624898187): 64-bit port_offset, 2^16 table, <c>i = max(i, rand8*step)</c>, 10 s re-key.</summary>
    E,
}
