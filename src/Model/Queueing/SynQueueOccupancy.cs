using MathNet.Numerics.Distributions;

namespace PortSelection.Model.Queueing;

/// <summary>
/// SYN-queue (request) occupancy by Little's law, <c>L = λ_syn·W_syn</c>, with Poisson headroom
/// (listen-queues.md §10.2): the number of concurrent requests is approximately Poisson with mean λW (M/G/∞).
/// </summary>
/// <remarks>
/// Valid parameters: λ ≥ 0 SYN/s, W ≥ 0 s, 0 &lt; ε &lt; 1. Little's law (Little 1961); M/G/∞ occupancy is Poisson with
/// mean λ·E[W] for any holding-time distribution (Takács; Gross et al. §6.1). Quantiles from MathNet's Poisson CDF.
/// </remarks>
public static class SynQueueOccupancy
{
    /// <summary>Mean occupancy λ·W.</summary>
    /// <param name="synRate">λ_syn, SYN/s.</param>
    /// <param name="holdSeconds">W: time a request stays (≈ RTT for healthy clients; 63 s for flood sources, 7 s with pruning).</param>
    /// <exception cref="ArgumentOutOfRangeException">Negative or non-finite input.</exception>
    public static double Mean(double synRate, double holdSeconds)
    {
        if (!(synRate >= 0) || double.IsInfinity(synRate)) throw new ArgumentOutOfRangeException(nameof(synRate), synRate, "SYN rate must be a finite number ≥ 0");
        if (!(holdSeconds >= 0) || double.IsInfinity(holdSeconds)) throw new ArgumentOutOfRangeException(nameof(holdSeconds), holdSeconds, "hold time must be a finite number ≥ 0");
        return synRate * holdSeconds;
    }

    /// <summary>Smallest n with <c>P(Poisson(λW) ≤ n) ≥ 1 − ε</c>: the request capacity that overflows with probability ≤ ε.</summary>
    /// <param name="synRate">λ_syn, SYN/s.</param>
    /// <param name="holdSeconds">W, s.</param>
    /// <param name="epsilon">Tolerated overflow probability ε in (0, 1), e.g. 1e-6.</param>
    /// <exception cref="ArgumentOutOfRangeException">Input out of range.</exception>
    public static long RequiredCapacity(double synRate, double holdSeconds, double epsilon)
    {
        double mean = Mean(synRate, holdSeconds);
        if (!(epsilon > 0 && epsilon < 1)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be in (0, 1)");
        if (mean == 0) return 0;
        long n = (long)Math.Floor(mean);
        long step = Math.Max(1, (long)Math.Sqrt(mean));
        // expand upward in sqrt(mean) steps, then bisect
        long lo = -1, hi = n;
        while (Poisson.CDF(mean, hi) < 1 - epsilon) { lo = hi; hi += step; step *= 2; }
        while (hi - lo > 1)
        {
            long mid = lo + (hi - lo) / 2;
            if (mid >= 0 && Poisson.CDF(mean, mid) >= 1 - epsilon) hi = mid; else lo = mid;
        }
        return hi;
    }

    /// <summary>The rule of thumb <c>⌈mean + k·√mean⌉</c> (§10.2 suggests k = 4).</summary>
    /// <param name="synRate">λ_syn, SYN/s.</param>
    /// <param name="holdSeconds">W, s.</param>
    /// <param name="sigmas">k ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">Input out of range.</exception>
    public static long MeanPlusSigmas(double synRate, double holdSeconds, double sigmas = 4)
    {
        double mean = Mean(synRate, holdSeconds);
        if (!(sigmas >= 0)) throw new ArgumentOutOfRangeException(nameof(sigmas), sigmas, "sigmas must be ≥ 0");
        return (long)Math.Ceiling(mean + sigmas * Math.Sqrt(mean));
    }

    /// <summary>
    /// Smallest <c>tcp_max_syn_backlog</c> M whose 3/4 rule admits <paramref name="requests"/> requests with cookies off:
    /// <c>M − ⌊M/4⌋ + 1 ≥ n</c> (e.g. n = 1000 ⇒ M = 1331: 1331 − 332 + 1 = 1000; listen-queues.md §10.2 rounds it to ≈ 1332).
    /// </summary>
    /// <param name="requests">n ≥ 0.</param>
    /// <remarks>The 3/4 rule, every era (v2.6.32 … 6.18 <c>tcp_conn_request</c> l.7494).</remarks>
    public static long RequiredMaxSynBacklog(long requests)
    {
        if (requests <= 1) return 1;
        long m = Math.Max(1, (requests - 1) * 4 / 3 - 2);
        while (m - (m >> 2) + 1 < requests) m++;
        return m;
    }
}
