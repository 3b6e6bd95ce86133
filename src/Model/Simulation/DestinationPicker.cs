using System.Runtime.CompilerServices;

namespace PortSelection.Model.Simulation;

/// <summary>
/// The weighted destination pick of a workload simulation: the first destination whose cumulative weight exceeds the
/// pick (the last one when none does), found from a guide table — the answer for the start of each of 4·k equal cells of
/// the total weight — and a short forward walk, instead of a binary search of mispredicted branches per arrival.
/// </summary>
internal sealed class DestinationPicker
{
    private readonly double[] _cumulative;
    private readonly int[] _guide;          // cell c → the answer for the start of cell c − 1 (a lower bound for any pick in cell c)
    private readonly double _cellsPerWeight;
    private readonly int _last;

    /// <summary>A picker over the non-decreasing cumulative weights <paramref name="cumulative"/> (at least one, the last &gt; 0).</summary>
    public DestinationPicker(double[] cumulative)
    {
        _cumulative = cumulative;
        _last = cumulative.Length - 1;
        int cells = 4 * cumulative.Length;
        double total = cumulative[_last];
        _cellsPerWeight = total > 0 && double.IsFinite(total) ? cells / total : 0;
        _guide = new int[cells];
        // One cell back: a pick rounded into cell c is at least the start of cell c − 1, so no destination before the
        // guide's can be the answer (the cells are far wider than a rounding error).
        for (int c = 1; c < cells; c++) _guide[c] = Search(cumulative, (c - 1) / _cellsPerWeight);
    }

    /// <summary>
    /// The first destination whose cumulative weight exceeds <paramref name="pick"/> (the last one when none does):
    /// a binary search over the non-decreasing <paramref name="cumulative"/> weights.
    /// </summary>
    internal static int Search(double[] cumulative, double pick)
    {
        int lo = 0, hi = cumulative.Length - 1; // the answer is in lo..hi
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (pick >= cumulative[mid]) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>The destination for <paramref name="pick"/> (0 ≤ pick ≤ total weight): the first whose cumulative weight exceeds it, else the last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Pick(double pick)
    {
        if (_last == 0) return 0;
        int c = (int)(pick * _cellsPerWeight);
        int i = _guide[(uint)c < (uint)_guide.Length ? c : c < 0 ? 0 : _guide.Length - 1];
        var cumulative = _cumulative;
        while (i < _last && pick >= cumulative[i]) i++;
        return i;
    }
}
