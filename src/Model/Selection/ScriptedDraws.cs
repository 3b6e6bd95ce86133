namespace PortSelection.Model.Selection;

/// <summary>
/// Draws given in advance (for explaining one scan with known values, e.g. <c>--rand8 5</c>, <c>--draws 4,3</c>);
/// when a script runs out, the fallback source answers.
/// </summary>
public sealed class ScriptedDraws : IRandomDraws
{
    private readonly Queue<int> _rand8;
    private readonly Queue<int> _rand16;
    private readonly Queue<uint> _below;
    private readonly IRandomDraws _fallback;

    /// <summary>Creates scripted draws.</summary>
    /// <param name="rand8">Values 0..7 for era E (reduced mod 8).</param>
    /// <param name="rand16">Values 0..15 for era D (reduced mod 16).</param>
    /// <param name="below">bind(0) draws (reduced modulo the bound asked for).</param>
    /// <param name="fallback">Source used when a script is exhausted (default: seed 0).</param>
    public ScriptedDraws(IEnumerable<int>? rand8 = null, IEnumerable<int>? rand16 = null, IEnumerable<uint>? below = null, IRandomDraws? fallback = null)
    {
        _rand8 = new Queue<int>(rand8 ?? []);
        _rand16 = new Queue<int>(rand16 ?? []);
        _below = new Queue<uint>(below ?? []);
        _fallback = fallback ?? new SeededDraws(0);
    }

    /// <inheritdoc />
    public int Rand8() => _rand8.TryDequeue(out var v) ? v & 7 : _fallback.Rand8();
    /// <inheritdoc />
    public int Rand16() => _rand16.TryDequeue(out var v) ? v & 15 : _fallback.Rand16();
    /// <inheritdoc />
    public uint Below(uint n) => n == 0 ? 0 : _below.TryDequeue(out var v) ? v % n : _fallback.Below(n);
    /// <inheritdoc />
    public uint NextU32() => _fallback.NextU32();
}
