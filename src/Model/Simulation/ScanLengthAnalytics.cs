namespace PortSelection.Model.Simulation;

/// <summary>
/// Closed-form expectations of the connect() scan length (candidates examined) for one destination, the analytic
/// companions of <see cref="WorkloadSimulation"/>.
/// </summary>
/// <remarks>
/// <para>Random occupancy: with F free among R reachable candidates placed at random and the walk starting anywhere,
/// the first free candidate is at position (R + 1)/(F + 1) (order statistics of sampling without replacement),
/// → 1/(1 − ρ) (geometric) for large R.</para>
/// <para>Step 2 (eras C–E without IP_LOCAL_PORT_RANGE, 1580ab63fc9a): the low-parity class (R/2 candidates) is scanned
/// first and fills first; once it is full every connect walks all R/2 busy candidates before the second pass —
/// the parity cliff at 50 % (port-selection.md §8 item 3, §10.1).</para>
/// <para>Linear probing (Knuth, TAOCP vol. 3 §6.4): an insertion from a uniformly random start into a table of load
/// α filled by linear probing inspects ½(1 + 1/(1 − α)²) slots — the expectation when starts are random but used
/// ports form runs.</para>
/// </remarks>
public static class ScanLengthAnalytics
{
    /// <summary>Geometric expectation 1/(1 − ρ) for random occupancy ρ ∈ [0, 1).</summary>
    public static double Geometric(double rho) => rho >= 1 ? double.PositiveInfinity : 1.0 / (1.0 - Math.Max(0, rho));

    /// <summary>Exact expectation (R + 1)/(F + 1) for <paramref name="used"/> of <paramref name="reachable"/> candidates busy at random positions; R + 0 when none is free (the failing scan examines all).</summary>
    public static double RandomExact(int reachable, int used)
    {
        int free = reachable - Math.Clamp(used, 0, reachable);
        return free == 0 ? reachable : (reachable + 1.0) / (free + 1.0);
    }

    /// <summary>Knuth's linear-probing insertion cost ½(1 + 1/(1 − α)²) for load α ∈ [0, 1).</summary>
    public static double LinearProbingInsert(double alpha) =>
        alpha >= 1 ? double.PositiveInfinity : 0.5 * (1 + 1 / ((1 - Math.Max(0, alpha)) * (1 - Math.Max(0, alpha))));

    /// <summary>
    /// Expected candidates per connect for one destination with <paramref name="used"/> busy ports out of
    /// <paramref name="reachable"/>, scanned with <paramref name="step"/>: step 1 is one class; step 2 fills the
    /// low-parity class (⌈R/2⌉ of the reachable ports) first, then pays R/2 busy candidates per connect plus the
    /// position in the second class. Within a class the position is 1 (<see cref="ScanRegime.Sequential"/>) or
    /// (n + 1)/(f + 1) (<see cref="ScanRegime.Random"/>).
    /// </summary>
    public static double Expected(ScanRegime regime, int step, int reachable, int used)
    {
        if (reachable <= 0) return 0;
        used = Math.Clamp(used, 0, reachable);
        if (step == 1) return Within(regime, reachable, used);
        int low = (reachable + 1) / 2, high = reachable - low;
        if (used < low) return Within(regime, low, used);
        if (used >= reachable) return reachable;
        return low + Within(regime, high, used - low);
    }

    /// <summary>The parity-cliff level: candidates per connect once the low-parity class is full (R/2 + 1).</summary>
    public static double CliffLevel(int reachable) => (reachable + 1) / 2 + 1;

    private static double Within(ScanRegime regime, int size, int used) =>
        regime == ScanRegime.Sequential ? (used >= size ? size : 1) : RandomExact(size, used);

    /// <summary>
    /// The regime of a workload: ports come back in the order they were taken when lifetimes are fixed, or when the
    /// client closes first and lifetimes are short next to the 60 s TIME_WAIT (TIME_WAIT dominates the holding time);
    /// otherwise random.
    /// </summary>
    public static ScanRegime RegimeFor(WorkloadSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Lifetime.Kind == LifetimeKind.Fixed) return ScanRegime.Sequential;
        return spec.Close == CloseSide.Client && spec.Lifetime.MeanMs <= 6_000 ? ScanRegime.Sequential : ScanRegime.Random;
    }
}
