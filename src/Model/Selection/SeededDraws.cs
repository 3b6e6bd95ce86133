using System.Runtime.CompilerServices;

namespace PortSelection.Model.Selection;

/// <summary>
/// Deterministic draws from a 64-bit seed (SplitMix64 stream; Steele, Lea &amp; Flood, "Fast splittable
/// pseudorandom number generators", OOPSLA 2014). Same seed ⇒ same sequence on every platform.
/// </summary>
public sealed class SeededDraws : IRandomDraws
{
    private ulong _state;

    /// <summary>Creates a stream from <paramref name="seed"/>.</summary>
    public SeededDraws(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextU64()
    {
        unchecked
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <inheritdoc />
    public uint NextU32() => (uint)(NextU64() >> 32);

    /// <inheritdoc />
    public int Rand8() => (int)(NextU32() & 7);

    /// <inheritdoc />
    public int Rand16() => (int)(NextU32() % 16);

    /// <inheritdoc />
    public uint Below(uint n) => n == 0 ? 0 : (uint)((NextU32() * (ulong)n) >> 32);
}
