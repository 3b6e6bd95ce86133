using System.Collections.Immutable;

namespace PortSelection.Model.Simulation;

/// <summary>How long a connection stays open (connect() success to close()), in milliseconds.</summary>
public sealed record LifetimeDistribution
{
    private LifetimeDistribution(LifetimeKind kind, double meanMs, ImmutableArray<double> samples)
    {
        Kind = kind;
        MeanMs = meanMs;
        SamplesMs = samples;
    }

    /// <summary>Shape.</summary>
    public LifetimeKind Kind { get; }

    /// <summary>Mean lifetime (ms).</summary>
    public double MeanMs { get; }

    /// <summary>The samples of an empirical distribution (empty otherwise).</summary>
    public ImmutableArray<double> SamplesMs { get; }

    /// <summary>Every connection lives <paramref name="ms"/> ≥ 0 milliseconds.</summary>
    public static LifetimeDistribution Fixed(double ms) => new(LifetimeKind.Fixed, Check(ms), []);

    /// <summary>Exponential lifetimes of mean <paramref name="meanMs"/> ≥ 0 milliseconds.</summary>
    public static LifetimeDistribution Exponential(double meanMs) => new(LifetimeKind.Exponential, Check(meanMs), []);

    /// <summary>Uniform draws from measured lifetimes (each ≥ 0 ms; at least one).</summary>
    public static LifetimeDistribution Empirical(IEnumerable<double> samplesMs)
    {
        var s = samplesMs?.ToImmutableArray() ?? throw new ArgumentNullException(nameof(samplesMs));
        if (s.IsEmpty) throw new ArgumentException("an empirical lifetime distribution needs at least one sample", nameof(samplesMs));
        foreach (var x in s) Check(x);
        return new(LifetimeKind.Empirical, s.Average(), s);
    }

    /// <summary>Draws one lifetime (ms).</summary>
    public double SampleMs(WorkloadRandom random) => Kind switch
    {
        LifetimeKind.Fixed => MeanMs,
        LifetimeKind.Exponential => random.Exponential(MeanMs),
        _ => SamplesMs[random.Below(SamplesMs.Length)],
    };

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        LifetimeKind.Fixed => $"fixed {MeanMs:G6} ms",
        LifetimeKind.Exponential => $"exponential, mean {MeanMs:G6} ms",
        _ => $"empirical, {SamplesMs.Length} samples, mean {MeanMs:G6} ms",
    };

    private static double Check(double ms) =>
        ms >= 0 && !double.IsInfinity(ms) && ms <= 1e10 ? ms : throw new ArgumentOutOfRangeException(nameof(ms), ms, "lifetime must be 0..1e10 ms");
}
