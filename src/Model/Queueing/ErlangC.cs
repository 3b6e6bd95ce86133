namespace PortSelection.Model.Queueing;

/// <summary>Erlang C: probability that an arrival has to wait in M/M/c with an unlimited queue (listen-queues.md §10.1).</summary>
/// <remarks>
/// <para>Valid parameters: c ≥ 1, 0 ≤ a &lt; c (stable system). For a ≥ c every arrival waits: the value is 1.</para>
/// <para>Formula: <c>C(c, a) = c·B(c, a) / (c − a·(1 − B(c, a)))</c> with B Erlang B; mean wait <c>W_q = C/(cμ − λ)</c>
/// (Kleinrock, <i>Queueing Systems</i> vol. 1, §3.5; Gross et al. §2.3).</para>
/// </remarks>
public static class ErlangC
{
    /// <summary>Probability of waiting C(c, a).</summary>
    /// <param name="servers">c ≥ 1.</param>
    /// <param name="offeredLoad">a = λ/μ ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its valid range.</exception>
    public static double WaitProbability(int servers, double offeredLoad)
    {
        if (servers < 1) throw new ArgumentOutOfRangeException(nameof(servers), servers, "servers must be ≥ 1");
        if (!(offeredLoad >= 0) || double.IsInfinity(offeredLoad)) throw new ArgumentOutOfRangeException(nameof(offeredLoad), offeredLoad, "offered load must be a finite number ≥ 0");
        if (offeredLoad >= servers) return 1;
        double b = ErlangB.BlockingUnchecked(servers, offeredLoad);
        return servers * b / (servers - offeredLoad * (1 - b));
    }

    /// <summary>Mean waiting time in seconds <c>W_q = C(c, a) / (cμ − λ)</c>; +∞ when λ ≥ cμ.</summary>
    /// <param name="servers">c ≥ 1.</param>
    /// <param name="arrivalRate">λ ≥ 0.</param>
    /// <param name="serviceRate">μ &gt; 0 per server.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its valid range.</exception>
    public static double MeanWait(int servers, double arrivalRate, double serviceRate)
    {
        if (!(serviceRate > 0)) throw new ArgumentOutOfRangeException(nameof(serviceRate), serviceRate, "service rate must be > 0");
        double c = WaitProbability(servers, arrivalRate / serviceRate);
        double spare = servers * serviceRate - arrivalRate;
        return spare > 0 ? c / spare : double.PositiveInfinity;
    }
}
