namespace PortSelection.Model.Simulation;

/// <summary>
/// Runs independent workload points (e.g. the variants of a what-if comparison) in parallel across cores. Each point
/// builds its own seeded host, so the results are the same as running them one after the other.
/// </summary>
public static class WorkloadSweep
{
    /// <summary>Runs every spec; results in the order of <paramref name="specs"/>.</summary>
    /// <param name="specs">The points.</param>
    /// <param name="maxDegreeOfParallelism">At most this many at once (−1 = all cores, 1 = sequential).</param>
    /// <param name="progress">Called with (point index, fraction done), possibly from several threads at once.</param>
    public static IReadOnlyList<WorkloadResult> Run(IReadOnlyList<WorkloadSpec> specs, int maxDegreeOfParallelism = -1, Action<int, double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(specs);
        foreach (var s in specs)
            if (s.Validate() is { } e) throw new ArgumentException(e, nameof(specs));
        var results = new WorkloadResult[specs.Count];
        Parallel.For(0, specs.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            i => results[i] = WorkloadSimulation.Run(specs[i], progress is null ? null : f => progress(i, f)));
        return results;
    }
}
