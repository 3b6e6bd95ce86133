namespace PortSelection.Model.Hashing;

/// <summary>The kernel's multiplicative hash <c>hash_32(val, bits)</c>: <c>(val * GOLDEN_RATIO_32) &gt;&gt; (32 - bits)</c>.</summary>
/// <remarks>
/// include/linux/hash.h (<c>GOLDEN_RATIO_32 = 0x61C88647</c>, i.e. 2^32 − 0x9E3779B9, the 32-bit golden ratio; the value
/// of every kernel that has era D). Era D (5.12–5.17, 190cc82489f4) indexes
/// <c>table_perturb</c> with <c>hash_32(port_offset, 8)</c>; shared/kernel/port-selection.md §4.2.
/// </remarks>
public static class Hash32
{
    /// <summary><c>GOLDEN_RATIO_32</c> of include/linux/hash.h.</summary>
    public const uint GoldenRatio32 = 0x61C88647;

    /// <summary>Kernel <c>hash_32(val, bits)</c>: the top <paramref name="bits"/> bits of <c>val * GOLDEN_RATIO_32</c> (mod 2^32).</summary>
    /// <param name="val">The value to hash.</param>
    /// <param name="bits">Number of result bits, 1..32.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 1..32.</exception>
    public static uint Of(uint val, int bits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, 32);
        return unchecked(val * GoldenRatio32) >> (32 - bits);
    }
}
