using System.Collections.Immutable;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Simulation;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary>The default what-if: the running kernel and namespace, one upstream, keep-alive off, a rate that reaches the parity cliff.</summary>
internal static class WhatifDefaults
{
    /// <summary>The first upstream (not loopback, so tcp_tw_reuse=2 does not recycle its TIME_WAIT).</summary>
    public static readonly Ipv4Address FirstUpstream = new(0x0A000002);

    /// <summary>Upstream port.</summary>
    public const int UpstreamPort = 443;

    /// <summary><paramref name="k"/> upstreams 10.0.0.2, 10.0.0.3, … port 443, equal weights.</summary>
    public static ImmutableArray<WorkloadDestination> Destinations(int k) =>
        [.. Enumerable.Range(0, k).Select(i => new WorkloadDestination(new Ipv4Address(FirstUpstream.Value + (uint)i), UpstreamPort))];

    /// <summary>
    /// A rate that takes the tightest variant just past 50 % occupancy of one destination in the 60 s of TIME_WAIT:
    /// (0.5 + δ)·C/60 s, with δ·C post-cliff connects costing about 80 % of the candidate budget.
    /// </summary>
    public static double CliffRate(int capacity, long budget, double durationS)
    {
        double post = Math.Clamp(0.8 * budget / Math.Max(1, capacity / 2.0), 50, 0.1 * capacity);
        double target = capacity / 2.0 + post;
        return Math.Max(1, Math.Round(target / Math.Min(60, durationS)));
    }

    /// <summary>
    /// The namespace configuration: flags, else the running namespace's sysctls when the modelled kernel is the running
    /// one, else the era's defaults. Adds a note per value saying where it came from.
    /// </summary>
    public static NamespaceConfig Namespace(KernelProfile profile, bool hostApplies, HostPortSysctls host, string? range, string? reserved, int? twReuse, List<string> notes)
    {
        var cfg = NamespaceConfig.DefaultsFor(profile);
        var from = new List<string>();
        if (range is not null) { cfg = cfg with { Range = Parsing.Range("--range", range) }; from.Add("range: flag"); }
        else if (hostApplies && host.PortRange is { } hr && PortRange.TryParse(hr, out var r, out _)) { cfg = cfg with { Range = r }; from.Add("range: host"); }
        else from.Add("range: era default");
        if (reserved is not null) { cfg = cfg with { Reserved = Parsing.Ports("--reserved", reserved) }; from.Add("reserved: flag"); }
        else if (hostApplies && host.ReservedPorts is { } rp && PortListSyntax.TryParse(rp, out var set, out _)) { cfg = cfg with { Reserved = set }; from.Add("reserved: host"); }
        else from.Add("reserved: era default (none)");
        if (twReuse is int t) { cfg = cfg with { TcpTwReuse = t }; from.Add("tcp_tw_reuse: flag"); }
        else if (hostApplies && host.TcpTwReuse is int ht) { cfg = cfg with { TcpTwReuse = ht }; from.Add("tcp_tw_reuse: host"); }
        else from.Add("tcp_tw_reuse: era default");
        if (hostApplies && host.TcpTwReuseDelayMs is int d && d is >= 1 and <= NamespaceConfig.MaxTwReuseDelayMs) cfg = cfg with { TcpTwReuseDelayMs = d };
        notes.Add($"namespace: ip_local_port_range {cfg.Range}, ip_local_reserved_ports {(cfg.Reserved.Count == 0 ? "none" : cfg.Reserved.ToString())}, tcp_tw_reuse {cfg.TcpTwReuse} ({string.Join(", ", from)})");
        return cfg;
    }
}
