using System.Runtime.CompilerServices;
using PortSelection.Model.Selection;

namespace PortSelection.Model.Simulation;

/// <summary>
/// Uniform and exponential variates for workloads, from the project's SplitMix64 stream (<see cref="SeededDraws"/>),
/// so a seed gives the same workload on every platform and .NET version.
/// </summary>
public sealed class WorkloadRandom(ulong seed)
{
    private readonly SeededDraws _draws = new(seed);

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (_draws.NextU64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An exponential variate of mean <paramref name="mean"/> (inversion: −mean·ln(1 − U)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Exponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    /// <summary>A uniform integer in [0, <paramref name="n"/>).</summary>
    public int Below(int n) => n <= 1 ? 0 : (int)Math.Min(n - 1, NextDouble() * n);
}
