namespace PortSelection.Model.Simulation;

/// <summary>Measured figures of one <see cref="AcceptQueueSimulation"/> run (after warm-up).</summary>
/// <param name="Arrivals">Fresh connections measured.</param>
/// <param name="SynsOffered">SYNs offered (fresh plus retransmitted).</param>
/// <param name="SynsBlocked">SYNs that found the accept queue full.</param>
/// <param name="BlockingProbability">SynsBlocked / SynsOffered.</param>
/// <param name="Throughput">Accepted connections per second.</param>
/// <param name="MeanAcceptQueue">Time-average accept-queue length.</param>
/// <param name="MeanInSystem">Time-average number in the system.</param>
/// <param name="FailedConnections">Connections that exhausted the SYN schedule (retrial mode).</param>
/// <param name="LatenciesSeconds">connect() latencies of the successful measured connections (sorted; retrial mode only, else empty).</param>
/// <param name="FreshBlocked">First SYNs (not retransmissions) that were blocked, out of <see cref="Arrivals"/>.</param>
public sealed record AcceptQueueSimulationResult(
    long Arrivals, long SynsOffered, long SynsBlocked, double BlockingProbability, double Throughput,
    double MeanAcceptQueue, double MeanInSystem, long FailedConnections, IReadOnlyList<double> LatenciesSeconds, long FreshBlocked)
{
    /// <summary>Blocking probability of first SYNs.</summary>
    public double FreshBlockingProbability => Arrivals > 0 ? (double)FreshBlocked / Arrivals : 0;

    /// <summary>Blocking probability of retransmitted SYNs (NaN when none was offered).</summary>
    public double RetryBlockingProbability =>
        SynsOffered - Arrivals > 0 ? (double)(SynsBlocked - FreshBlocked) / (SynsOffered - Arrivals) : double.NaN;

    /// <summary>Empirical latency quantile (nearest rank) over successes and failures (failures count as +∞).</summary>
    /// <param name="q">Level in (0, 1).</param>
    public double LatencyQuantile(double q)
    {
        long total = LatenciesSeconds.Count + FailedConnections;
        if (total == 0) return double.NaN;
        long rank = (long)Math.Ceiling(q * total) - 1;
        return rank < LatenciesSeconds.Count ? LatenciesSeconds[(int)Math.Max(0, rank)] : double.PositiveInfinity;
    }
}
