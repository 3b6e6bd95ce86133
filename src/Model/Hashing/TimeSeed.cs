namespace PortSelection.Model.Hashing;

/// <summary>
/// The <c>timeseed</c> word of the 5.18+ <c>port_offset</c>: <c>jiffies / EPHEMERAL_PORT_SHUFFLE_PERIOD</c> with
/// <c>EPHEMERAL_PORT_SHUFFLE_PERIOD = 10 * HZ</c>, so the offset of every destination is re-keyed every 10 s.
/// </summary>
/// <remarks>
/// net/core/secure_seq.c, 4dfa9b438ee3 (the 10 s re-key of the 5.18 Willy Tarreau series, also in the 2022 stable
/// backports; shared/kernel/port-selection.md §1, §4.1). Read in linux-netdev/testing net/core/secure_seq.c:
/// <c>.timeseed = jiffies / EPHEMERAL_PORT_SHUFFLE_PERIOD</c> (IPv6, <c>unsigned int</c>) and the same expression
/// passed as the u32 <c>d</c> of <c>siphash_4u32</c> (IPv4). Both truncate the unsigned long quotient to 32 bits.
/// Jiffies start at <c>INITIAL_JIFFIES</c> (include/linux/jiffies.h), so period boundaries are not aligned with boot.
/// </remarks>
public static class TimeSeed
{
    /// <summary><c>EPHEMERAL_PORT_SHUFFLE_PERIOD</c> in seconds (10).</summary>
    public const int ShufflePeriodSeconds = 10;

    /// <summary>The timeseed at <paramref name="jiffies"/>: <c>(u32)(jiffies / (10 * HZ))</c>.</summary>
    /// <param name="jiffies">The kernel's 64-bit <c>jiffies</c> (including <see cref="InitialJiffies"/>).</param>
    /// <param name="hz">The kernel's <c>HZ</c> (100, 250, 300 or 1000), positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hz"/> is not positive.</exception>
    public static uint FromJiffies(ulong jiffies, int hz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hz);
        return unchecked((uint)(jiffies / (ulong)(ShufflePeriodSeconds * (long)hz)));
    }

    /// <summary>
    /// <c>INITIAL_JIFFIES</c> on a 64-bit kernel: <c>((unsigned long)(unsigned int)(-300 * HZ))</c> = 2^32 − 300·HZ,
    /// i.e. jiffies start five minutes before the 32-bit wrap (zero-extended, not sign-extended, to 64 bits).
    /// </summary>
    /// <remarks>include/linux/jiffies.h: <c>#define INITIAL_JIFFIES ((unsigned long)(unsigned int) (-300*HZ))</c>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hz"/> is not positive.</exception>
    public static ulong InitialJiffies(int hz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hz);
        return unchecked((ulong)(uint)(-300 * hz));
    }

    /// <summary>Jiffies after <paramref name="ticksSinceBoot"/> ticks of uptime: <c>INITIAL_JIFFIES + ticks</c> (64-bit).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hz"/> is not positive.</exception>
    public static ulong JiffiesAfterBoot(ulong ticksSinceBoot, int hz) => unchecked(InitialJiffies(hz) + ticksSinceBoot);
}
