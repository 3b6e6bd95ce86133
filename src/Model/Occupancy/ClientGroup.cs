using PortSelection.Model.Ports;

namespace PortSelection.Model.Occupancy;

/// <summary>
/// The client connections of one (source address, destination address, destination port) — the inputs of
/// <c>port_offset</c> — and what the model predicts for the next connect() of that group.
/// </summary>
public sealed record ClientGroup
{
    /// <summary>True for a genuine IPv6 group (simulated on the IPv4 model: same scan, different hash inputs).</summary>
    public bool Ipv6 { get; init; }
    /// <summary>Source (local) address.</summary>
    public required string Source { get; init; }
    /// <summary>Destination address.</summary>
    public required string Destination { get; init; }
    /// <summary>Destination port.</summary>
    public int DestinationPort { get; init; }
    /// <summary>Live (non-TIME_WAIT) connections of the group.</summary>
    public int Live { get; init; }
    /// <summary>TIME_WAIT connections of the group.</summary>
    public int TimeWait { get; init; }
    /// <summary>Live connections on even local ports.</summary>
    public int LiveEven { get; init; }
    /// <summary>Live connections on odd local ports.</summary>
    public int LiveOdd { get; init; }
    /// <summary>TIME_WAIT connections on even local ports.</summary>
    public int TimeWaitEven { get; init; }
    /// <summary>TIME_WAIT connections on odd local ports.</summary>
    public int TimeWaitOdd { get; init; }
    /// <summary>TIME_WAIT connections that the model says a connect() could take over now (<c>tcp_twsk_unique</c>).</summary>
    public int TimeWaitReusable { get; init; }
    /// <summary>The ports the scan can reach: <c>[low, low + remaining − 1]</c> (step 2 drops the top port of an odd-sized range).</summary>
    public PortRange Reachable { get; init; }
    /// <summary>Scan step: 2 (parity passes) or 1.</summary>
    public int Step { get; init; }
    /// <summary>Reachable ports in <c>ip_local_reserved_ports</c>.</summary>
    public int Reserved { get; init; }
    /// <summary>Reachable ports owned by bind() (approximated from listeners): skipped by every connect().</summary>
    public int BindOwned { get; init; }
    /// <summary>More connections of this group that fit before EADDRNOTAVAIL: reachable ports that are free,
    /// connect-owned by other 4-tuples, or held by a TIME_WAIT of this 4-tuple that can be reused now.</summary>
    public int Fit { get; init; }
    /// <summary>Occupancy of the usable reachable ports: (live + non-reusable TIME_WAIT) / (that + <see cref="Fit"/>).</summary>
    public double Occupancy { get; init; }
    /// <summary>Simulated next connect()s (random perturb slot and port_offset each).</summary>
    public int Trials { get; init; }
    /// <summary>Mean candidates examined by the next connect() over the trials.</summary>
    public double MeanCandidates { get; init; }
    /// <summary>Largest candidates examined over the trials.</summary>
    public int MaxCandidates { get; init; }
    /// <summary>Mean busy probes over the trials.</summary>
    public double MeanBusyProbes { get; init; }
    /// <summary>Largest busy probes over the trials.</summary>
    public int MaxBusyProbes { get; init; }
    /// <summary>Estimated system CPU of the next connect() (mean), µs.</summary>
    public double MeanCpuMicroseconds { get; init; }
    /// <summary>Estimated system CPU of the next connect() (max), µs.</summary>
    public double MaxCpuMicroseconds { get; init; }
    /// <summary>Trials that ended in EADDRNOTAVAIL.</summary>
    public int Failures { get; init; }
}
