namespace PortSelection.Model.Queueing;

/// <summary>
/// The M/M/1/K queue in closed form: the accept queue drained by one accept() loop, <c>K = B + 1</c>
/// (listen-queues.md §10.1).
/// </summary>
/// <remarks>
/// <para>Valid parameters: λ ≥ 0, μ &gt; 0, K ≥ 1.</para>
/// <para>Formula (Gross et al., <i>Fundamentals of Queueing Theory</i>, §2.4; Kleinrock, <i>Queueing Systems</i> vol. 1, §3.6):
/// <c>ρ = λ/μ</c>, <c>p_n = (1 − ρ)ρⁿ / (1 − ρ^(K+1))</c> (ρ ≠ 1), <c>1/(K+1)</c> (ρ = 1);
/// <c>P_block = p_K</c>; <c>L = ρ/(1 − ρ) − (K+1)ρ^(K+1)/(1 − ρ^(K+1))</c> (ρ ≠ 1), <c>K/2</c> (ρ = 1);
/// W = L / (λ(1 − P_block)). Near ρ = 1 and for very large K the log-space M/M/c/N core is used instead.</para>
/// </remarks>
public static class MM1KQueue
{
    /// <summary>Blocking probability <c>P_block = p_K</c>.</summary>
    /// <param name="arrivalRate">λ ≥ 0.</param>
    /// <param name="serviceRate">μ &gt; 0.</param>
    /// <param name="capacity">K ≥ 1 (= B + 1 for an accept queue).</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its valid range.</exception>
    public static double BlockingProbability(double arrivalRate, double serviceRate, int capacity)
    {
        Validate(arrivalRate, serviceRate, capacity);
        return BlockingUnchecked(arrivalRate / serviceRate, capacity);
    }

    /// <summary>Mean number in the system L (for an accept queue: the mean Recv-Q).</summary>
    /// <param name="arrivalRate">λ ≥ 0.</param>
    /// <param name="serviceRate">μ &gt; 0.</param>
    /// <param name="capacity">K ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its valid range.</exception>
    public static double MeanInSystem(double arrivalRate, double serviceRate, int capacity)
    {
        Validate(arrivalRate, serviceRate, capacity);
        double rho = arrivalRate / serviceRate;
        if (Math.Abs(rho - 1) < 1e-6 || capacity > 10_000) return new MMcKQueue(arrivalRate, serviceRate, 1, capacity).MeanInSystem;
        double rk1 = Math.Pow(rho, capacity + 1);
        return rho / (1 - rho) - (capacity + 1) * rk1 / (1 - rk1);
    }

    /// <summary>Accepted rate λ(1 − P_block).</summary>
    /// <param name="arrivalRate">λ ≥ 0.</param>
    /// <param name="serviceRate">μ &gt; 0.</param>
    /// <param name="capacity">K ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its valid range.</exception>
    public static double Throughput(double arrivalRate, double serviceRate, int capacity) =>
        arrivalRate * (1 - BlockingProbability(arrivalRate, serviceRate, capacity));

    internal static double BlockingUnchecked(double rho, int k)
    {
        if (rho == 0) return 0;
        if (Math.Abs(rho - 1) < 1e-9) return 1.0 / (k + 1);
        if (rho > 1)
        {
            // divide by ρ^K: p_K = (1 − 1/ρ) / (1 − (1/ρ)^(K+1))
            double inv = 1 / rho;
            return (1 - inv) / (1 - Math.Pow(inv, k + 1));
        }
        double rk = Math.Pow(rho, k);
        return (1 - rho) * rk / (1 - rk * rho);
    }

    private static void Validate(double lambda, double mu, int k)
    {
        if (!(lambda >= 0) || double.IsInfinity(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "arrival rate must be a finite number ≥ 0");
        if (!(mu > 0) || double.IsInfinity(mu)) throw new ArgumentOutOfRangeException(nameof(mu), mu, "service rate must be a finite number > 0");
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "capacity K must be ≥ 1");
    }
}
