using PortSelection.Model.Listen;

namespace PortSelection.Model.Queueing;

/// <summary>
/// The planner's question (issue #3): the smallest backlog B whose connect-latency quantile meets a target, given the
/// arrival and accept rates, the workers and the era's SYN schedule. Per B: accept queue → retrial fixed point →
/// per-SYN drop probability P_b → latency distribution on the SYN schedule (listen-queues.md §10.1, §10.3).
/// </summary>
/// <remarks>P_b is non-increasing in B (a larger buffer never blocks more in M/M/c/N), so the quantile is non-increasing and bisection over B applies.</remarks>
public static class BacklogPlanner
{
    /// <summary>The largest backlog searched (the historical 16-bit limit of <c>sk_max_ack_backlog</c>).</summary>
    public const int MaxBacklog = 65535;

    /// <summary>Evaluates one backlog: drop probability and latency quantiles.</summary>
    /// <param name="model">The accept queue (its Backlog is the one evaluated).</param>
    /// <param name="schedule">Client SYN schedule.</param>
    /// <param name="rttSeconds">RTT, s.</param>
    /// <exception cref="ArgumentException">Invalid model.</exception>
    public static PlanPoint Evaluate(AcceptQueueModel model, ClientSynSchedule schedule, double rttSeconds)
    {
        var fp = RetrialFixedPoint.Solve(model, schedule.RetransmitMs.Count);
        var dist = new ConnectLatencyDistribution(schedule, fp.BlockingProbability, rttSeconds);
        return new PlanPoint(model.Backlog, fp, dist.Quantile(0.5), dist.Quantile(0.99), dist.Quantile(0.999));
    }

    /// <summary>Smallest B in [0, <see cref="MaxBacklog"/>] whose latency quantile <paramref name="quantile"/> is ≤ <paramref name="targetSeconds"/>; null when none is.</summary>
    /// <param name="model">The accept queue (its Backlog is ignored).</param>
    /// <param name="schedule">Client SYN schedule.</param>
    /// <param name="rttSeconds">RTT, s.</param>
    /// <param name="targetSeconds">Target latency, s.</param>
    /// <param name="quantile">Quantile level, default 0.99.</param>
    /// <exception cref="ArgumentException">Invalid model.</exception>
    public static PlanPoint? Recommend(AcceptQueueModel model, ClientSynSchedule schedule, double rttSeconds, double targetSeconds, double quantile = 0.99)
    {
        bool Meets(int b)
        {
            var fp = RetrialFixedPoint.Solve(model.WithBacklog(b), schedule.RetransmitMs.Count);
            var q = new ConnectLatencyDistribution(schedule, fp.BlockingProbability, rttSeconds).Quantile(quantile);
            return !q.TimedOut && q.Seconds <= targetSeconds + 1e-12;
        }
        if (!Meets(MaxBacklog)) return null;
        int lo = -1, hi = MaxBacklog;
        // find a small upper bound by doubling first (cheap for realistic backlogs)
        for (int b = 0; b < MaxBacklog; b = b == 0 ? 1 : b * 2)
        {
            if (Meets(b)) { hi = b; break; }
            lo = b;
        }
        while (hi - lo > 1)
        {
            int mid = lo + (hi - lo) / 2;
            if (Meets(mid)) hi = mid; else lo = mid;
        }
        return Evaluate(model.WithBacklog(hi), schedule, rttSeconds);
    }
}

/// <summary>The figures of one backlog.</summary>
/// <param name="Backlog">B.</param>
/// <param name="Retrial">Fixed point (λ_eff, P_b, failure probability, queue figures).</param>
/// <param name="P50">Median connect latency.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P999">99.9th percentile.</param>
public readonly record struct PlanPoint(int Backlog, RetrialResult Retrial, LatencyQuantile P50, LatencyQuantile P99, LatencyQuantile P999);
