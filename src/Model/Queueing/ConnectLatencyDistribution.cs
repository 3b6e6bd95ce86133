using PortSelection.Model.Listen;

namespace PortSelection.Model.Queueing;

/// <summary>
/// Distribution of connect() latency when every SYN is dropped independently with probability p
/// (listen-queues.md §6.5, §10.3): success on attempt k with probability <c>pᵏ(1 − p)</c> at <c>t_k + RTT</c>,
/// ETIMEDOUT with probability <c>p^(K+1)</c> at the give-up instant.
/// </summary>
/// <remarks>
/// Valid parameters: 0 ≤ p ≤ 1, RTT ≥ 0, any <see cref="ClientSynSchedule"/>. Quantiles are of the discrete
/// distribution: the smallest latency whose CDF reaches q; a quantile inside the ETIMEDOUT mass returns the give-up
/// instant with <see cref="LatencyQuantile.TimedOut"/> set.
/// </remarks>
public sealed class ConnectLatencyDistribution
{
    private readonly double[] _prob;
    private readonly double[] _valueS;

    /// <summary>Builds the distribution.</summary>
    /// <param name="schedule">The client SYN schedule (instants t_k and give-up).</param>
    /// <param name="dropProbability">p: per-SYN drop probability, 0..1.</param>
    /// <param name="rttSeconds">RTT in seconds, ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">p or RTT out of range.</exception>
    public ConnectLatencyDistribution(ClientSynSchedule schedule, double dropProbability, double rttSeconds)
    {
        if (!(dropProbability >= 0 && dropProbability <= 1)) throw new ArgumentOutOfRangeException(nameof(dropProbability), dropProbability, "drop probability must be in [0, 1]");
        if (!(rttSeconds >= 0) || double.IsInfinity(rttSeconds)) throw new ArgumentOutOfRangeException(nameof(rttSeconds), rttSeconds, "RTT must be a finite number ≥ 0");
        Schedule = schedule;
        DropProbability = dropProbability;
        RttSeconds = rttSeconds;
        int attempts = schedule.Attempts;
        _prob = new double[attempts];
        _valueS = new double[attempts];
        double reach = 1;
        for (int k = 0; k < attempts; k++)
        {
            _prob[k] = reach * (1 - dropProbability);
            _valueS[k] = schedule.AttemptMs(k)!.Value / 1000.0 + rttSeconds;
            reach *= dropProbability;
        }
        TimeoutProbability = reach;
    }

    /// <summary>The SYN schedule used.</summary>
    public ClientSynSchedule Schedule { get; }
    /// <summary>p.</summary>
    public double DropProbability { get; }
    /// <summary>RTT, s.</summary>
    public double RttSeconds { get; }
    /// <summary>P(ETIMEDOUT) = p^(K+1).</summary>
    public double TimeoutProbability { get; }

    /// <summary>Give-up instant, s.</summary>
    public double GiveUpSeconds => Schedule.GiveUpMs / 1000.0;

    /// <summary>P(success on attempt k), k = 0..K.</summary>
    public IReadOnlyList<double> AttemptProbabilities => _prob;

    /// <summary>E[latency | success] in seconds (RTT when p = 0; NaN when p = 1).</summary>
    public double MeanGivenSuccess
    {
        get
        {
            double s = 0, w = 0;
            for (int k = 0; k < _prob.Length; k++) { s += _prob[k] * _valueS[k]; w += _prob[k]; }
            return w > 0 ? s / w : double.NaN;
        }
    }

    /// <summary>The q-quantile of the latency (timeouts counted at the give-up instant).</summary>
    /// <param name="q">Quantile level in (0, 1), e.g. 0.99.</param>
    /// <exception cref="ArgumentOutOfRangeException">q outside (0, 1).</exception>
    public LatencyQuantile Quantile(double q)
    {
        if (!(q > 0 && q < 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "quantile level must be in (0, 1)");
        double cdf = 0;
        for (int k = 0; k < _prob.Length; k++)
        {
            cdf += _prob[k];
            if (cdf >= q - 1e-15) return new LatencyQuantile(_valueS[k], false, k);
        }
        return new LatencyQuantile(GiveUpSeconds, true, _prob.Length);
    }
}

/// <summary>A latency quantile.</summary>
/// <param name="Seconds">Latency in seconds (the give-up instant when timed out).</param>
/// <param name="TimedOut">The quantile falls in the ETIMEDOUT mass.</param>
/// <param name="DroppedSyns">SYNs dropped before the answered one (K + 1 when timed out).</param>
public readonly record struct LatencyQuantile(double Seconds, bool TimedOut, int DroppedSyns);
