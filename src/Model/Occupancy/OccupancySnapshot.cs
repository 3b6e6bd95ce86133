using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;

namespace PortSelection.Model.Occupancy;

/// <summary>
/// What <see cref="OccupancyAnalysis"/> needs from one network namespace: its TCP sockets, its port sysctls and the
/// kernel it runs. Gathered by the Validator (files, netlink); this record is pure data.
/// </summary>
public sealed record OccupancySnapshot
{
    /// <summary>The kernel (era switches).</summary>
    public required KernelProfile Profile { get; init; }
    /// <summary>Port sysctls of the namespace.</summary>
    public required NamespaceConfig Config { get; init; }
    /// <summary>All TCP sockets of the namespace (IPv4 and IPv6 tables).</summary>
    public required IReadOnlyList<ObservedSocket> Sockets { get; init; }
    /// <summary>Effective backlog B of listeners keyed by (IPv6, address text, port); missing ⇒ unknown.</summary>
    public IReadOnlyDictionary<(bool Ipv6, string Address, int Port), long> Backlogs { get; init; } =
        new Dictionary<(bool, string, int), long>();
}
