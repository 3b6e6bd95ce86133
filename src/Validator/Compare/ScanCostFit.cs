namespace PortSelection.Validator.Compare;

/// <summary>How a <see cref="ScanCostFit"/> was estimated.</summary>
public enum CostFitMethod
{
    /// <summary>Ordinary least squares (sensitive to preemption outliers: one 100 µs sample moves the line).</summary>
    LeastSquares,
    /// <summary>Least absolute deviations (median regression), by iteratively reweighted least squares.</summary>
    LeastAbsoluteDeviations,
}

/// <summary>
/// Linear cost model of one connect() scan: <c>scan_ns ≈ fixed_ns + ns_per_probe · probes</c>
/// (probes = bind buckets consulted, model counters), fitted by least absolute deviations by default.
/// </summary>
/// <remarks>
/// Why LAD: scan brackets are a few µs and a preempted or interrupted scan is 10–100× longer; least squares lets
/// those few samples set the line (measured: intercept 16 µs instead of 2.4 µs under load), while the median
/// regression follows the typical scan and uses every sample (none is excluded). IRLS with weights
/// <c>1 / max(|residual|, 1 ns)</c> (Schlossmacher 1973), at most 200 iterations, deterministic.
/// </remarks>
/// <param name="NsPerProbe">Slope: ns per examined candidate.</param>
/// <param name="FixedNs">Intercept in ns (the fixed part of the bracket).</param>
/// <param name="Samples">Number of samples fitted.</param>
/// <param name="Method">Estimator used.</param>
public readonly record struct ScanCostFit(double NsPerProbe, double FixedNs, int Samples, CostFitMethod Method = CostFitMethod.LeastAbsoluteDeviations)
{
    /// <summary>Fits (probes, ns) pairs by least absolute deviations; with fewer than two distinct probe counts: slope 0, median intercept.</summary>
    public static ScanCostFit Fit(IReadOnlyList<(int Probes, long Ns)> samples) => Fit(samples, CostFitMethod.LeastAbsoluteDeviations);

    /// <summary>Fits (probes, ns) pairs with <paramref name="method"/>; fewer than two distinct probe counts: slope 0 and the mean (LS) or median (LAD).</summary>
    public static ScanCostFit Fit(IReadOnlyList<(int Probes, long Ns)> samples, CostFitMethod method)
    {
        if (samples.Count == 0) return new(0, 0, 0, method);
        var x = samples.Select(s => (double)s.Probes).ToArray();
        var y = samples.Select(s => (double)s.Ns).ToArray();
        if (x.Distinct().Count() < 2)
            return new(0, method == CostFitMethod.LeastSquares ? y.Average() : Median(y), samples.Count, method);
        var w = Enumerable.Repeat(1.0, x.Length).ToArray();
        var (a, b) = Weighted(x, y, w);
        if (method == CostFitMethod.LeastSquares) return new(b, a, samples.Count, method);
        for (int it = 0; it < 200; it++)
        {
            for (int k = 0; k < x.Length; k++) w[k] = 1.0 / Math.Max(Math.Abs(y[k] - a - b * x[k]), 1.0);
            var (a2, b2) = Weighted(x, y, w);
            bool done = Math.Abs(a2 - a) <= 1e-9 * Math.Max(1, Math.Abs(a)) && Math.Abs(b2 - b) <= 1e-9 * Math.Max(1, Math.Abs(b));
            (a, b) = (a2, b2);
            if (done) break;
        }
        return new(b, a, samples.Count, method);
    }

    private static (double A, double B) Weighted(double[] x, double[] y, double[] w)
    {
        double sw = 0, sx = 0, sy = 0;
        for (int k = 0; k < x.Length; k++) { sw += w[k]; sx += w[k] * x[k]; sy += w[k] * y[k]; }
        double mx = sx / sw, my = sy / sw, sxx = 0, sxy = 0;
        for (int k = 0; k < x.Length; k++) { sxx += w[k] * (x[k] - mx) * (x[k] - mx); sxy += w[k] * (x[k] - mx) * (y[k] - my); }
        double b = sxx > 0 ? sxy / sxx : 0;
        return (my - b * mx, b);
    }

    private static double Median(double[] v)
    {
        var s = v.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>Predicted scan time in ns for <paramref name="probes"/> candidates.</summary>
    public double Predict(int probes) => FixedNs + NsPerProbe * probes;
}
