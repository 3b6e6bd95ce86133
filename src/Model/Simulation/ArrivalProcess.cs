namespace PortSelection.Model.Simulation;

/// <summary>New connect() calls over time: Poisson or fixed-rate arrivals of <paramref name="RatePerSecond"/>.</summary>
/// <param name="Kind">Poisson or fixed.</param>
/// <param name="RatePerSecond">Connections per second, &gt; 0.</param>
public readonly record struct ArrivalProcess(ArrivalKind Kind, double RatePerSecond)
{
    /// <summary>Null when valid, else a one-line reason.</summary>
    public string? Validate() =>
        !(RatePerSecond > 0) || double.IsInfinity(RatePerSecond) || RatePerSecond > 1e7
            ? $"arrival rate {RatePerSecond} outside (0, 1e7] connections/s" : null;

    /// <summary>The gap to the next arrival in milliseconds.</summary>
    public double NextGapMs(WorkloadRandom random) =>
        Kind == ArrivalKind.Fixed ? 1000.0 / RatePerSecond : random.Exponential(1000.0 / RatePerSecond);
}
