namespace PortSelection.Model.Listen;

/// <summary>
/// Tolerance for comparing modelled timer instants with a live capture (listen-queues.md §6.4): the timer wheel at
/// CONFIG_HZ=250 rounds expiries up (≈ 32 ms granularity for 0.25–2 s, ≈ 256 ms for 2–16 s).
/// </summary>
public static class TimingTolerance
{
    /// <summary><c>max(40 ms, 8 % of the interval)</c>, in ms.</summary>
    /// <param name="intervalMs">The modelled interval (or time since the first packet) in ms.</param>
    /// <remarks>Measured on 6.18.44 (HZ=250): 1.015–1.024 s for 1 s, 2.016 s for 2 s, 4.03–4.13 s for 4 s (§6.4).</remarks>
    public static double ToleranceMs(double intervalMs) => Math.Max(40, 0.08 * Math.Abs(intervalMs));

    /// <summary>True when <paramref name="measuredMs"/> lies within the tolerance of <paramref name="modelMs"/>.</summary>
    /// <param name="measuredMs">Captured instant, ms.</param>
    /// <param name="modelMs">Modelled instant, ms.</param>
    public static bool Agrees(double measuredMs, double modelMs) => Math.Abs(measuredMs - modelMs) <= ToleranceMs(modelMs);
}
