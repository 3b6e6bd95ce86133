namespace PortSelection.Model.Queueing;

/// <summary>
/// The M/M/c/N queue (Poisson arrivals λ, c exponential servers of rate μ each, at most N customers in the system,
/// arrivals finding N customers are blocked) in steady state.
/// </summary>
/// <remarks>
/// <para>Valid parameters: λ ≥ 0, μ &gt; 0, 1 ≤ c ≤ N, N ≤ 2^24. Any load (ρ = λ/(cμ) may exceed 1: the buffer is finite).</para>
/// <para>Formula (Gross, Shortle, Thompson &amp; Harris, <i>Fundamentals of Queueing Theory</i>, 4th ed., §2.5):
/// <c>p_n ∝ aⁿ/n!</c> for n ≤ c and <c>aⁿ/(c!·c^(n−c))</c> for c &lt; n ≤ N, with <c>a = λ/μ</c>;
/// <c>P_block = p_N</c> (PASTA), throughput <c>λ(1 − p_N)</c>, <c>L = Σ n·p_n</c>, <c>L_q = Σ (n − c)⁺ p_n</c>,
/// W = L / throughput (Little). The probabilities are computed in log space, so large N and a do not overflow.</para>
/// <para>listen-queues.md §10.1: c threads that each accept() then process ⇒ <c>N = c + B + 1</c>; a pure accept loop
/// ⇒ M/M/1/K with <c>K = B + 1</c> (<see cref="MM1KQueue"/>).</para>
/// </remarks>
public sealed class MMcKQueue
{
    private readonly double[] _p;

    /// <summary>Creates the queue; throws for parameters outside the documented ranges.</summary>
    /// <param name="arrivalRate">λ (per second), ≥ 0.</param>
    /// <param name="serviceRate">μ per server (per second), &gt; 0.</param>
    /// <param name="servers">c ≥ 1.</param>
    /// <param name="capacity">N ≥ c: maximum number in the system (in service + waiting).</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its valid range.</exception>
    public MMcKQueue(double arrivalRate, double serviceRate, int servers, int capacity)
    {
        if (!(arrivalRate >= 0) || double.IsInfinity(arrivalRate)) throw new ArgumentOutOfRangeException(nameof(arrivalRate), arrivalRate, "arrival rate must be a finite number ≥ 0");
        if (!(serviceRate > 0) || double.IsInfinity(serviceRate)) throw new ArgumentOutOfRangeException(nameof(serviceRate), serviceRate, "service rate must be a finite number > 0");
        if (servers < 1) throw new ArgumentOutOfRangeException(nameof(servers), servers, "servers must be ≥ 1");
        if (capacity < servers || capacity > (1 << 24)) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must satisfy servers ≤ N ≤ 2^24");
        ArrivalRate = arrivalRate;
        ServiceRate = serviceRate;
        Servers = servers;
        Capacity = capacity;
        _p = StateProbabilitiesUnchecked(arrivalRate / serviceRate, servers, capacity);
    }

    /// <summary>λ.</summary>
    public double ArrivalRate { get; }
    /// <summary>μ per server.</summary>
    public double ServiceRate { get; }
    /// <summary>c.</summary>
    public int Servers { get; }
    /// <summary>N.</summary>
    public int Capacity { get; }

    /// <summary>Offered load a = λ/μ (Erlangs).</summary>
    public double OfferedLoad => ArrivalRate / ServiceRate;

    /// <summary>p_n, n = 0..N.</summary>
    public IReadOnlyList<double> StateProbabilities => _p;

    /// <summary>Probability that an arrival is blocked, p_N.</summary>
    public double BlockingProbability => _p[Capacity];

    /// <summary>Accepted rate λ(1 − p_N).</summary>
    public double Throughput => ArrivalRate * (1 - BlockingProbability);

    /// <summary>Mean number in the system L = Σ n p_n.</summary>
    public double MeanInSystem
    {
        get { double s = 0; for (int n = 0; n < _p.Length; n++) s += n * _p[n]; return s; }
    }

    /// <summary>Mean number waiting (not in service) L_q = Σ (n − c)⁺ p_n.</summary>
    public double MeanWaiting
    {
        get { double s = 0; for (int n = Servers + 1; n < _p.Length; n++) s += (n - Servers) * _p[n]; return s; }
    }

    /// <summary>Mean time in the system of an accepted customer, W = L / throughput (0 when nothing is accepted).</summary>
    public double MeanSojourn => Throughput > 0 ? MeanInSystem / Throughput : 0;

    /// <summary>Mean waiting time before service of an accepted customer, W_q = L_q / throughput.</summary>
    public double MeanWait => Throughput > 0 ? MeanWaiting / Throughput : 0;

    /// <summary>Unchecked core: normalised p_n for offered load <paramref name="a"/>, computed in log space.</summary>
    internal static double[] StateProbabilitiesUnchecked(double a, int c, int n)
    {
        var log = new double[n + 1];
        if (a == 0)
        {
            var p0 = new double[n + 1];
            p0[0] = 1;
            return p0;
        }
        double la = Math.Log(a), max = 0;
        for (int i = 1; i <= n; i++)
        {
            log[i] = log[i - 1] + la - Math.Log(Math.Min(i, c));
            if (log[i] > max) max = log[i];
        }
        var p = new double[n + 1];
        double sum = 0;
        for (int i = 0; i <= n; i++) { p[i] = Math.Exp(log[i] - max); sum += p[i]; }
        for (int i = 0; i <= n; i++) p[i] /= sum;
        return p;
    }
}
