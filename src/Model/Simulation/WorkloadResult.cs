using System.Collections.Immutable;

namespace PortSelection.Model.Simulation;

/// <summary>What a <see cref="WorkloadSimulation"/> run produced.</summary>
public sealed record WorkloadResult
{
    /// <summary>The workload.</summary>
    public required WorkloadSpec Spec { get; init; }
    /// <summary>Per reporting step.</summary>
    public required ImmutableArray<WorkloadStep> Steps { get; init; }
    /// <summary>Per destination: the calls grouped by occupancy (1 % bins, only bins with calls).</summary>
    public required ImmutableArray<ImmutableArray<OccupancyBin>> Bins { get; init; }
    /// <summary>Per-destination capacity (<see cref="PortCapacity.PerDestination(WorkloadSpec)"/>).</summary>
    public required int Capacity { get; init; }
    /// <summary>connect() calls.</summary>
    public required long Attempts { get; init; }
    /// <summary>Successful connects (sockets opened).</summary>
    public required long Opened { get; init; }
    /// <summary>Open at the end.</summary>
    public required int Live { get; init; }
    /// <summary>In TIME_WAIT at the end.</summary>
    public required int TimeWait { get; init; }
    /// <summary>Closed without TIME_WAIT (server closed first).</summary>
    public required long Released { get; init; }
    /// <summary>TIME_WAIT sockets whose 60 s ran out.</summary>
    public required long TimeWaitExpired { get; init; }
    /// <summary>TIME_WAIT sockets taken over by a new connection (tcp_tw_reuse).</summary>
    public required long TimeWaitRecycled { get; init; }
    /// <summary>EADDRNOTAVAIL failures.</summary>
    public required long Failures { get; init; }
    /// <summary>Simulated time of the first EADDRNOTAVAIL (ms), or null.</summary>
    public required long? FirstFailureMs { get; init; }
    /// <summary>Ports chosen for the first destination, in order (at most 50,000).</summary>
    public required ImmutableArray<int> FillSequence { get; init; }
    /// <summary>Predicted CPU (µs) of each connect() in order (at most 200,000).</summary>
    public required ImmutableArray<double> CpuUsSamples { get; init; }
    /// <summary>Scan candidates examined in total.</summary>
    public required long TotalCandidates { get; init; }
    /// <summary>True when the candidate budget stopped the run before <see cref="WorkloadSpec.DurationMs"/>.</summary>
    public required bool Truncated { get; init; }
    /// <summary>Simulated time reached (ms).</summary>
    public required long EndMs { get; init; }
    /// <summary>Entries in the host's established hash at the end (live + TIME_WAIT, counted by the kernel model itself).</summary>
    public required int HostEstablished { get; init; }
    /// <summary>TIME_WAIT entries in the host's established hash at the end.</summary>
    public required int HostTimeWait { get; init; }
    /// <summary>Closed and gone: <see cref="Released"/> + <see cref="TimeWaitExpired"/> + <see cref="TimeWaitRecycled"/>.</summary>
    public long Gone => Released + TimeWaitExpired + TimeWaitRecycled;
}
