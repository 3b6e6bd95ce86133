namespace PortSelection.Model.Queueing;

/// <summary>
/// Dropped SYNs are not lost: the client retries on its SYN schedule, so the listener sees the fresh rate λ plus the
/// retrials (an "orbit"). Because retry gaps (≥ 1 s) are long compared with accept service times, each retrial sees
/// an almost independent state, and the effective rate solves the fixed point
/// <c>λ_eff = λ·Σ_{k=0..K} P_b^k</c>, <c>P_b = P_block(λ_eff)</c> (listen-queues.md §10.1).
/// </summary>
/// <remarks>
/// Valid parameters: a valid <see cref="AcceptQueueModel"/>, K ≥ 0 retransmissions. The map is increasing in λ_eff
/// and bounded by λ(K+1), so iteration from λ converges monotonically to the least fixed point (Tarski); the final
/// bracket is polished with MathNet's Brent root finder. Connection failure probability ≈ <c>P_b^(K+1)</c>.
/// Independence approximation as in retrial-queue literature (Falin &amp; Templeton, <i>Retrial Queues</i>, 1997, §1.7).
/// </remarks>
public static class RetrialFixedPoint
{
    /// <summary>Solves the fixed point.</summary>
    /// <param name="model">The accept queue with the fresh arrival rate λ.</param>
    /// <param name="retransmissions">K: SYN retransmissions before the client gives up (e.g. 6 ≤ 6.4, 10 on 6.5+).</param>
    /// <exception cref="ArgumentException">The model is invalid or K &lt; 0.</exception>
    public static RetrialResult Solve(AcceptQueueModel model, int retransmissions)
    {
        var error = model.Validate();
        if (error is not null) throw new ArgumentException(error, nameof(model));
        if (retransmissions < 0) throw new ArgumentException("retransmissions must be ≥ 0", nameof(retransmissions));
        double lambda = model.ArrivalRate;
        if (lambda == 0) return new RetrialResult(0, 0, 0, model.Solve());
        double x = lambda, pb = 0;
        for (int i = 0; i < 10_000; i++)
        {
            pb = model.WithArrivalRate(x).Solve().BlockingProbability;
            double next = lambda * GeometricSum(pb, retransmissions);
            if (Math.Abs(next - x) <= 1e-12 * Math.Max(1, x)) { x = next; break; }
            if (i == 9_999)
            {
                double lo = x, hi = lambda * (retransmissions + 1);
                double F(double y) => y - lambda * GeometricSum(model.WithArrivalRate(y).Solve().BlockingProbability, retransmissions);
                if (F(lo) < 0 && F(hi) > 0) x = MathNet.Numerics.RootFinding.Brent.FindRoot(F, lo, hi, 1e-10 * hi, 200);
                break;
            }
            x = next;
        }
        var solved = model.WithArrivalRate(x).Solve();
        pb = solved.BlockingProbability;
        return new RetrialResult(x, pb, Math.Pow(pb, retransmissions + 1), solved);
    }

    /// <summary><c>Σ_{k=0..K} pᵏ</c>.</summary>
    internal static double GeometricSum(double p, int k)
    {
        double s = 0, term = 1;
        for (int i = 0; i <= k; i++) { s += term; term *= p; }
        return s;
    }
}

/// <summary>Result of <see cref="RetrialFixedPoint.Solve"/>.</summary>
/// <param name="EffectiveArrivalRate">λ_eff: fresh SYNs plus retransmitted SYNs per second.</param>
/// <param name="BlockingProbability">P_b: per-SYN drop probability at λ_eff.</param>
/// <param name="FailureProbability">P_b^(K+1): connect() fails with ETIMEDOUT.</param>
/// <param name="Queue">The accept queue solved at λ_eff.</param>
public readonly record struct RetrialResult(double EffectiveArrivalRate, double BlockingProbability, double FailureProbability, AcceptQueueResult Queue);
