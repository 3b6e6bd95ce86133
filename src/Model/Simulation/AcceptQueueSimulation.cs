using PortSelection.Model.Listen;
using PortSelection.Model.Queueing;

namespace PortSelection.Model.Simulation;

/// <summary>
/// A seeded discrete-event simulation of the accept queue of <see cref="AcceptQueueModel"/>: Poisson arrivals of rate
/// λ, exponential service of rate μ by one accept loop (M/M/1/(B+1)) or c workers (M/M/c/(c+B+1)), and — optionally —
/// the client retrial behaviour: a SYN finding the queue full (≥ 4.10: dropped, 5ea8ea2cb7f1) is re-offered at the next
/// instant of the client's SYN schedule, until the schedule gives up. It checks the analytic models
/// (<see cref="MMcKQueue"/>, <see cref="RetrialFixedPoint"/>, <see cref="ConnectLatencyDistribution"/>) independently.
/// </summary>
/// <remarks>
/// Pure and deterministic: all randomness comes from the injected <see cref="Random"/> (seed it). Arrivals and
/// departures are memoryless, so the next departure is drawn at rate <c>min(n, c)·μ</c> after every state change
/// (CTMC / Gillespie simulation); retrials are scheduled events. Time averages exclude the warm-up period.
/// <para>Retrials are re-offered at the exact instants of the SYN schedule (as the kernel does, up to timer-wheel rounding,
/// which groups them further), so SYNs blocked together during one full period come back together one schedule step
/// later. This burst structure makes retransmitted SYNs more likely to be blocked than fresh ones when blocking is
/// frequent; the fixed point of <see cref="RetrialFixedPoint"/> ignores it (it assumes Poisson retrials), see the
/// agreement tests.</para>
/// </remarks>
public static class AcceptQueueSimulation
{
    /// <summary>Runs the simulation.</summary>
    /// <param name="model">The accept queue (λ, μ, c, B).</param>
    /// <param name="random">Seeded random source.</param>
    /// <param name="arrivals">Fresh arrivals to measure (≥ 1), after <paramref name="warmupArrivals"/>.</param>
    /// <param name="warmupArrivals">Fresh arrivals discarded at the start (≥ 0).</param>
    /// <param name="retrySchedule">Client SYN schedule for retrials, or null for a pure loss system (blocked SYNs are lost).</param>
    /// <param name="rttSeconds">RTT added to the connect latency (retrial mode).</param>
    /// <exception cref="ArgumentException">Invalid model or counts.</exception>
    public static AcceptQueueSimulationResult Run(AcceptQueueModel model, Random random, long arrivals, long warmupArrivals = 0,
        ClientSynSchedule? retrySchedule = null, double rttSeconds = 0)
    {
        var error = model.Validate();
        if (error is not null) throw new ArgumentException(error, nameof(model));
        if (arrivals < 1) throw new ArgumentException("arrivals must be ≥ 1", nameof(arrivals));
        if (warmupArrivals < 0) throw new ArgumentException("warm-up arrivals must be ≥ 0", nameof(warmupArrivals));
        ArgumentNullException.ThrowIfNull(random);

        double lambda = model.ArrivalRate, mu = model.ServiceRate;
        int c = model.Servers, capacity = model.SystemCapacity;
        int inServiceOffset = model.Workers ?? 0;
        // retry events: (time) -> (connection start time, next attempt index)
        var retries = new PriorityQueue<(double Start, int Attempt, bool Measured), double>();
        var latencies = new List<double>();

        double t = 0, tStart = double.NaN;
        int n = 0;
        long fresh = 0, freshBlocked = 0, measured = 0, offered = 0, blocked = 0, failed = 0, departuresMeasured = 0;
        double areaSystem = 0, areaQueue = 0;
        double nextArrival = lambda > 0 ? Exp(random, lambda) : double.PositiveInfinity;
        double nextDeparture = double.PositiveInfinity;
        long total = warmupArrivals + arrivals;

        while (true)
        {
            double nextRetry = retries.TryPeek(out _, out double rt) ? rt : double.PositiveInfinity;
            bool moreFresh = fresh < total;
            double ta = moreFresh ? nextArrival : double.PositiveInfinity;
            double tNext = Math.Min(ta, Math.Min(nextDeparture, nextRetry));
            if (double.IsPositiveInfinity(tNext)) break;
            if (!moreFresh && retries.Count == 0) break;   // all fresh arrivals done and no pending retrials

            if (!double.IsNaN(tStart))
            {
                areaSystem += n * (tNext - t);
                areaQueue += Math.Max(0, n - inServiceOffset) * (tNext - t);
            }
            t = tNext;

            if (tNext == nextDeparture)
            {
                n--;
                if (!double.IsNaN(tStart)) departuresMeasured++;
                nextDeparture = n > 0 ? t + Exp(random, Math.Min(n, c) * mu) : double.PositiveInfinity;
                continue;
            }

            double start; int attempt; bool isMeasured;
            if (tNext == ta)
            {
                fresh++;
                if (fresh == warmupArrivals + 1) tStart = t;
                start = t; attempt = 0; isMeasured = fresh > warmupArrivals;
                if (isMeasured) measured++;
                nextArrival = t + Exp(random, lambda);
            }
            else
            {
                (start, attempt, isMeasured) = retries.Dequeue();
            }

            if (!double.IsNaN(tStart)) offered++;
            if (n >= capacity)
            {
                if (!double.IsNaN(tStart)) blocked++;
                if (isMeasured && attempt == 0) freshBlocked++;
                if (retrySchedule is not null && attempt + 1 < retrySchedule.Attempts)
                    retries.Enqueue((start, attempt + 1, isMeasured), start + retrySchedule.AttemptMs(attempt + 1)!.Value / 1000.0);
                else if (isMeasured && retrySchedule is not null) failed++;
                continue;
            }
            n++;
            if (isMeasured && retrySchedule is not null) latencies.Add(t - start + rttSeconds);
            // memoryless: redraw the next departure at the new total service rate
            nextDeparture = t + Exp(random, Math.Min(n, c) * mu);
        }

        double duration = double.IsNaN(tStart) ? 0 : t - tStart;
        latencies.Sort();
        return new AcceptQueueSimulationResult(
            measured, offered, blocked, offered > 0 ? (double)blocked / offered : 0,
            duration > 0 ? departuresMeasured / duration : 0,
            duration > 0 ? areaQueue / duration : 0, duration > 0 ? areaSystem / duration : 0,
            failed, latencies, freshBlocked);
    }

    private static double Exp(Random random, double rate) => -Math.Log(1 - random.NextDouble()) / rate;
}
