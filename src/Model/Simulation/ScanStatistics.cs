using System.Runtime.InteropServices;

namespace PortSelection.Model.Simulation;

/// <summary>Summary of a set of scan lengths (candidates per connect): count, mean, nearest-rank p50 and p99, max.</summary>
/// <param name="Count">Number of scans.</param>
/// <param name="Mean">Mean candidates (0 when empty).</param>
/// <param name="P50">Median (nearest rank).</param>
/// <param name="P99">99th percentile (nearest rank).</param>
/// <param name="Max">Largest scan.</param>
public readonly record struct ScanStatistics(int Count, double Mean, int P50, int P99, int Max)
{
    /// <summary>Summarises <paramref name="samples"/> (reordered in place).</summary>
    public static ScanStatistics Of(List<int> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return Of(CollectionsMarshal.AsSpan(samples));
    }

    /// <summary>
    /// Summarises <paramref name="samples"/>, reordering them in place: the two ranks are found by selection
    /// (expected linear time) instead of a full sort.
    /// </summary>
    public static ScanStatistics Of(Span<int> samples)
    {
        if (samples.Length == 0) return default;
        long sum = 0;
        int max = int.MinValue;
        foreach (var s in samples)
        {
            sum += s;
            if (s > max) max = s;
        }
        int k50 = RankIndex(samples.Length, 0.50), k99 = RankIndex(samples.Length, 0.99);
        int p99 = Select(samples, k99);
        // After selecting k99 every element left of it is ≤ it: the median is selected among those.
        int p50 = k50 == k99 ? p99 : Select(samples[..k99], k50);
        return new ScanStatistics(samples.Length, (double)sum / samples.Length, p50, p99, max);
    }

    private static int RankIndex(int n, double q) => Math.Clamp((int)Math.Ceiling(q * n) - 1, 0, n - 1);

    /// <summary>
    /// The <paramref name="k"/>-th smallest element (0-based) of <paramref name="a"/>; on return the elements before
    /// index <paramref name="k"/> are ≤ it and those after are ≥ it (Hoare selection, median-of-three pivot).
    /// </summary>
    private static int Select(Span<int> a, int k)
    {
        int lo = 0, hi = a.Length - 1;
        while (hi > lo)
        {
            if (hi - lo < 16)
            {
                a[lo..(hi + 1)].Sort();
                return a[k];
            }
            int mid = lo + ((hi - lo) >> 1);
            if (a[mid] < a[lo]) (a[mid], a[lo]) = (a[lo], a[mid]);
            if (a[hi] < a[lo]) (a[hi], a[lo]) = (a[lo], a[hi]);
            if (a[hi] < a[mid]) (a[hi], a[mid]) = (a[mid], a[hi]);
            int pivot = a[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }
            // lo..j ≤ pivot, i..hi ≥ pivot, j < i (elements between are equal to the pivot).
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return a[k];
        }
        return a[k];
    }
}
