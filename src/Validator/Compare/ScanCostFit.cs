namespace PortSelection.Validator.Compare;

/// <summary>
/// Linear cost model of one connect() scan, fitted by least squares:
/// <c>scan_ns ≈ fixed_ns + ns_per_probe · probes</c> (probes = bind buckets consulted, model counters).
/// </summary>
/// <param name="NsPerProbe">Slope: ns per examined candidate.</param>
/// <param name="FixedNs">Intercept in ns (the fixed part of the bracket).</param>
/// <param name="Samples">Number of samples fitted.</param>
public readonly record struct ScanCostFit(double NsPerProbe, double FixedNs, int Samples)
{
    /// <summary>Fits (probes, ns) pairs; needs at least two distinct probe counts, else slope 0 and mean intercept.</summary>
    public static ScanCostFit Fit(IReadOnlyList<(int Probes, long Ns)> samples)
    {
        if (samples.Count == 0) return new(0, 0, 0);
        var x = samples.Select(s => (double)s.Probes).ToArray();
        var y = samples.Select(s => (double)s.Ns).ToArray();
        if (x.Distinct().Count() < 2) return new(0, y.Average(), samples.Count);
        var (a, b) = MathNet.Numerics.Fit.Line(x, y);
        return new(b, a, samples.Count);
    }

    /// <summary>Predicted scan time in ns for <paramref name="probes"/> candidates.</summary>
    public double Predict(int probes) => FixedNs + NsPerProbe * probes;
}
