using System.Collections.Immutable;

namespace PortSelection.Model.Simulation;

/// <summary>The host at the end of one reporting step.</summary>
/// <param name="EndMs">End of the step (simulated ms).</param>
/// <param name="Destinations">Per destination, in spec order.</param>
/// <param name="Live">Open client connections.</param>
/// <param name="TimeWait">Client TIME_WAIT sockets.</param>
/// <param name="CpuMsPerSecond">Predicted system CPU of port selection in the step, ms per second of simulated time.</param>
/// <param name="Failures">EADDRNOTAVAIL in the step (all destinations).</param>
public sealed record WorkloadStep(long EndMs, ImmutableArray<DestinationStep> Destinations, int Live, int TimeWait, double CpuMsPerSecond, int Failures);
