using System.Collections.Immutable;
using PortSelection.Model.Cost;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;

namespace PortSelection.Model.Simulation;

/// <summary>
/// A client workload on one modelled host: arrivals to K weighted destinations, lifetimes, who closes first,
/// bind()-owned ports (listeners) in the namespace, per-socket ranges and IP_BIND_ADDRESS_NO_PORT sources.
/// </summary>
public sealed record WorkloadSpec
{
    /// <summary>The kernel modelled.</summary>
    public required KernelProfile Kernel { get; init; }

    /// <summary>The namespace's sysctls (range, reserved ports, tcp_tw_reuse, tcp_tw_reuse_delay).</summary>
    public required NamespaceConfig Namespace { get; init; }

    /// <summary>Upstreams and their weights (at least one).</summary>
    public required ImmutableArray<WorkloadDestination> Destinations { get; init; }

    /// <summary>Arrival process of new connect() calls (all destinations together).</summary>
    public required ArrivalProcess Arrivals { get; init; }

    /// <summary>Connection lifetime.</summary>
    public required LifetimeDistribution Lifetime { get; init; }

    /// <summary>Who closes first (client ⇒ TIME_WAIT on the client for 60 s).</summary>
    public CloseSide Close { get; init; } = CloseSide.Client;

    /// <summary>Ports held by bind() + listen() on 0.0.0.0 in the namespace for the whole run (BindOwned: connect() skips them).</summary>
    public PortBitmap BindOwnedPorts { get; init; } = PortBitmap.Empty;

    /// <summary>IP_LOCAL_PORT_RANGE on every client socket (6.3+; step 1 on 6.8+).</summary>
    public PerSocketRange PerSocketRange { get; init; }

    /// <summary>The routed source address when <see cref="NoPortSources"/> is empty.</summary>
    public Ipv4Address Source { get; init; } = new(0x0A000001);

    /// <summary>
    /// Source addresses used round-robin with IP_BIND_ADDRESS_NO_PORT + bind(addr, 0) before connect() (4.2+,
    /// 90c337da1524): each source is a separate 4-tuple space. Empty: no bind, the routed <see cref="Source"/>.
    /// </summary>
    public ImmutableArray<Ipv4Address> NoPortSources { get; init; } = [];

    /// <summary>The peers use TCP timestamps (needed for any TIME_WAIT reuse).</summary>
    public bool Timestamps { get; init; } = true;

    /// <summary>Simulated time (ms).</summary>
    public long DurationMs { get; init; } = 60_000;

    /// <summary>Length of one reporting step (ms).</summary>
    public long StepMs { get; init; } = 1_000;

    /// <summary>Seed of the simulated boot (secret, perturb table), the kernel's draws and the workload.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Stop after this many scan candidates in total (0 = no limit); the result says it was truncated.</summary>
    public long CandidateBudget { get; init; }

    /// <summary>Cost model calibration for the CPU predictions.</summary>
    public CostCalibration Calibration { get; init; } = CostCalibration.Vm618;

    /// <summary>Null when the spec is valid, else a one-line reason.</summary>
    public string? Validate()
    {
        if (Destinations.IsDefaultOrEmpty) return "a workload needs at least one destination";
        foreach (var d in Destinations)
        {
            if (d.Port is < 1 or > 65535) return $"destination {d}: port outside 1..65535";
            if (!(d.Weight > 0) || double.IsInfinity(d.Weight)) return $"destination {d}: weight must be > 0";
        }
        if (Arrivals.Validate() is { } a) return a;
        if (DurationMs is < 1 or > 86_400_000) return $"duration {DurationMs} ms outside 1..86400000";
        if (StepMs < 1 || StepMs > DurationMs) return $"step {StepMs} ms outside 1..duration";
        if (DurationMs / StepMs > 100_000) return "more than 100000 reporting steps; use a longer step";
        if (CandidateBudget < 0) return "candidate budget must be ≥ 0";
        var (errors, _) = Namespace.Validate(Kernel);
        if (errors.Count > 0) return errors[0];
        return null;
    }
}
