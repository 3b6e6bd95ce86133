namespace PortSelection.Model.Queueing;

/// <summary>
/// SO_REUSEPORT: n listeners, each with its own backlog and queues; the kernel hashes each 4-tuple to one of them, so
/// the arrival stream is split (listen-queues.md §10.1). Each share is solved as an independent <see cref="AcceptQueueModel"/>.
/// </summary>
/// <remarks>
/// Splitting a Poisson stream by independent random selection gives independent Poisson streams (Poisson thinning,
/// Ross, <i>Introduction to Probability Models</i>, §5.3). Hash imbalance is modelled by unequal weights.
/// </remarks>
public static class ReusePortSplit
{
    /// <summary>Solves n listeners receiving shares <paramref name="weights"/> (normalised) of <paramref name="total"/>'s λ.</summary>
    /// <param name="total">The aggregate system: λ, μ and c per listener, B per listener.</param>
    /// <param name="weights">Relative share of each listener (≥ 0, not all zero); e.g. [1, 1, 1, 1] for four balanced sockets.</param>
    /// <returns>Per-listener results and the aggregate blocking probability <c>Σ λᵢ pᵢ / λ</c> and throughput.</returns>
    /// <exception cref="ArgumentException">The weights are empty, negative or all zero, or <paramref name="total"/> is invalid.</exception>
    public static (IReadOnlyList<AcceptQueueResult> PerListener, double BlockingProbability, double Throughput) Solve(
        AcceptQueueModel total, IReadOnlyList<double> weights)
    {
        if (weights.Count == 0 || weights.Any(w => !(w >= 0) || double.IsInfinity(w)) || weights.Sum() <= 0)
            throw new ArgumentException("weights must be finite, ≥ 0 and not all zero", nameof(weights));
        double sum = weights.Sum();
        var results = new List<AcceptQueueResult>(weights.Count);
        double blocked = 0, thr = 0;
        foreach (var w in weights)
        {
            double li = total.ArrivalRate * w / sum;
            var r = total.WithArrivalRate(li).Solve();
            results.Add(r);
            blocked += li * r.BlockingProbability;
            thr += r.Throughput;
        }
        return (results, total.ArrivalRate > 0 ? blocked / total.ArrivalRate : 0, thr);
    }

    /// <summary>n equally loaded listeners.</summary>
    /// <param name="total">The aggregate system.</param>
    /// <param name="listeners">n ≥ 1.</param>
    /// <exception cref="ArgumentException"><paramref name="listeners"/> &lt; 1.</exception>
    public static (IReadOnlyList<AcceptQueueResult> PerListener, double BlockingProbability, double Throughput) Balanced(
        AcceptQueueModel total, int listeners)
    {
        if (listeners < 1) throw new ArgumentException("listeners must be ≥ 1", nameof(listeners));
        return Solve(total, Enumerable.Repeat(1.0, listeners).ToArray());
    }
}
