using PortSelection.Model.Queueing;
using PortSelection.Model.Selection;

namespace PortSelection.Model.Simulation;

/// <summary>
/// Steady-state EADDRNOTAVAIL probability of one destination: connections arrive at rate λ_d and hold a port for
/// the lifetime plus, when the client closes first, the 60 s TIME_WAIT (TCP_TIMEWAIT_LEN). The ports are the servers
/// of a loss system M/G/C/C with C = per-destination capacity; a connect() that finds all C busy fails. Erlang's loss
/// formula is insensitive to the holding-time distribution (Sevastyanov 1957), so
/// <c>P(EADDRNOTAVAIL) = B(C, λ_d·E[hold])</c> (<see cref="ErlangB"/>). TIME_WAIT reuse (tcp_tw_reuse) is ignored.
/// </summary>
public static class ExhaustionAnalytics
{
    /// <summary>Mean port holding time (ms) of one connection: lifetime, plus 60 s when the client closes first.</summary>
    public static double HoldMs(WorkloadSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Lifetime.MeanMs + (spec.Close == CloseSide.Client ? KernelHost.TimeWaitLengthMs : 0);
    }

    /// <summary>Offered load (Erlangs = mean ports held if nothing failed) of destination <paramref name="index"/>.</summary>
    public static double OfferedLoad(WorkloadSpec spec, int index)
    {
        ArgumentNullException.ThrowIfNull(spec);
        double total = spec.Destinations.Sum(d => d.Weight);
        return spec.Arrivals.RatePerSecond * spec.Destinations[index].Weight / total * HoldMs(spec) / 1000.0;
    }

    /// <summary>Erlang-B failure probability for <paramref name="capacity"/> ports and <paramref name="offeredLoad"/> Erlangs.</summary>
    public static double FailureProbability(int capacity, double offeredLoad) => ErlangB.Blocking(Math.Max(0, capacity), Math.Max(0, offeredLoad));
}
