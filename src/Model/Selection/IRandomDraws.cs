namespace PortSelection.Model.Selection;

/// <summary>
/// The random draws the kernel makes while choosing a port, injected so that the model stays deterministic.
/// </summary>
public interface IRandomDraws
{
    /// <summary>Era E: a uniform draw in 0..7 (<c>prandom_u32() &amp; 7</c>, <c>get_random_u32_below(8)</c>).</summary>
    int Rand8();

    /// <summary>Era D: <c>prandom_u32() % 16</c>, drawn only when the first candidate wins (c579bd1b4021).</summary>
    int Rand16();

    /// <summary>bind(0): a uniform draw below <paramref name="n"/> (<c>get_random_u32_below(n)</c>, <c>prandom_u32() % n</c>).</summary>
    uint Below(uint n);

    /// <summary>A uniform u32 (table fill, secrets).</summary>
    uint NextU32();
}
