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
    /// <summary>Summarises <paramref name="samples"/> (possibly reordered in place).</summary>
    public static ScanStatistics Of(List<int> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return Of(CollectionsMarshal.AsSpan(samples));
    }

    /// <summary>
    /// Summarises <paramref name="samples"/>, possibly reordering them in place. The two ranks come from a histogram of
    /// 1,024 value buckets (each rank's bucket then searched by selection among its own values; with a spread under
    /// 1,024 a bucket is one value) — about three linear passes — or, for fewer than <see cref="HistogramFrom"/> samples,
    /// by selection in place (expected linear time); never a full sort.
    /// </summary>
    public static ScanStatistics Of(Span<int> samples)
    {
        if (samples.Length == 0) return default;
        long sum = 0;
        int max = int.MinValue, min = int.MaxValue;
        foreach (var s in samples)
        {
            sum += s;
            if (s > max) max = s;
            if (s < min) min = s;
        }
        int k50 = RankIndex(samples.Length, 0.50), k99 = RankIndex(samples.Length, 0.99);
        int p50, p99;
        if (samples.Length >= HistogramFrom) (p50, p99) = ByHistogram(samples, min, max, k50, k99);
        else
        {
            p99 = Select(samples, k99);
            // After selecting k99 every element left of it is ≤ it: the median is selected among those.
            p50 = k50 == k99 ? p99 : Select(samples[..k99], k50);
        }
        return new ScanStatistics(samples.Length, (double)sum / samples.Length, p50, p99, max);
    }

    /// <summary>Sample count from which <see cref="Of(Span{int})"/> uses the histogram.</summary>
    internal const int HistogramFrom = 256;

    private const int Buckets = 1024;

    /// <summary>The elements of ranks <paramref name="k50"/> ≤ <paramref name="k99"/> (0-based) of <paramref name="a"/>, whose values lie in <paramref name="min"/> .. <paramref name="max"/>.</summary>
    private static (int P50, int P99) ByHistogram(ReadOnlySpan<int> a, int min, int max, int k50, int k99)
    {
        long spread = (long)max - min;
        int shift = 0;
        while ((spread >> shift) >= Buckets) shift++;
        int used = (int)(spread >> shift) + 1; // the buckets the values fall in (a narrow spread clears and reads only those)
        Span<int> counts = stackalloc int[Buckets];
        counts = counts[..used];
        counts.Clear();
        foreach (var v in a) counts[(int)(((long)v - min) >> shift)]++;
        int b50 = -1, b99 = -1, before50 = 0, before99 = 0, acc = 0;
        for (int b = 0; b < used; b++)
        {
            int c = counts[b];
            if (b50 < 0 && acc + c > k50) { b50 = b; before50 = acc; }
            if (acc + c > k99) { b99 = b; before99 = acc; break; }
            acc += c;
        }
        if (shift == 0) return (min + b50, min + b99); // one value per bucket
        var pool = System.Buffers.ArrayPool<int>.Shared;
        int[] in50 = pool.Rent(counts[b50]), in99 = b99 == b50 ? in50 : pool.Rent(counts[b99]);
        int n50 = 0, n99 = 0;
        foreach (var v in a)
        {
            int b = (int)(((long)v - min) >> shift);
            if (b == b50) in50[n50++] = v;
            else if (b == b99) in99[n99++] = v;
        }
        if (b99 == b50) n99 = n50;
        int p50 = Select(in50.AsSpan(0, n50), k50 - before50);
        int p99 = Select(in99.AsSpan(0, n99), k99 - before99);
        pool.Return(in50);
        if (b99 != b50) pool.Return(in99);
        return (p50, p99);
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
