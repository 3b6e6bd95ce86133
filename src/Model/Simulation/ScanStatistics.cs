namespace PortSelection.Model.Simulation;

/// <summary>Summary of a set of scan lengths (candidates per connect): count, mean, nearest-rank p50 and p99, max.</summary>
/// <param name="Count">Number of scans.</param>
/// <param name="Mean">Mean candidates (0 when empty).</param>
/// <param name="P50">Median (nearest rank).</param>
/// <param name="P99">99th percentile (nearest rank).</param>
/// <param name="Max">Largest scan.</param>
public readonly record struct ScanStatistics(int Count, double Mean, int P50, int P99, int Max)
{
    /// <summary>Summarises <paramref name="samples"/> (sorted in place).</summary>
    public static ScanStatistics Of(List<int> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0) return default;
        samples.Sort();
        long sum = 0;
        foreach (var s in samples) sum += s;
        return new ScanStatistics(samples.Count, (double)sum / samples.Count, Rank(samples, 0.50), Rank(samples, 0.99), samples[^1]);
    }

    private static int Rank(List<int> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
