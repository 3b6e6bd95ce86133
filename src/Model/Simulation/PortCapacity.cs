using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;

namespace PortSelection.Model.Simulation;

/// <summary>
/// How many concurrent connections one destination (saddr, daddr, dport) can have: the ports the scan can reach,
/// minus reserved and bind-owned ones.
/// </summary>
/// <remarks>
/// Reachable: the netns range clamped by IP_LOCAL_PORT_RANGE (6.3+, 91d0b78c5177). Eras C–E with step 2 round
/// <c>remaining</c> down to even (1580ab63fc9a), so a same-parity (odd-sized) range leaves exactly one low-parity port
/// unreachable for a given start offset: R − 1 is guaranteed; which port is missed moves with the start offset, so
/// the last free port may still be found by a later scan whose offset reaches it (up to R). Eras A–B and step 1 (6.8+, 207184853dbd) reach all R.
/// Reserved ports (<c>ip_local_reserved_ports</c>) and BindOwned ports (a bucket with fastreuse ≥ 0 or
/// fastreuseport ≥ 0, every listener) are skipped by every destination (port-selection.md §2.2, §3).
/// The unreachable same-parity port is not matched against the reserved set (the count can be off by one when it is
/// itself reserved).
/// </remarks>
public static class PortCapacity
{
    /// <summary>The scanned range and its step for a socket with <paramref name="perSocket"/>.</summary>
    public static (PortRange Range, int Step) ScanShape(KernelProfile profile, NamespaceConfig config, PerSocketRange perSocket)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(config);
        var (range, local) = profile.PerSocketRangeClamp ? perSocket.Clamp(config.Range) : (config.Range, false);
        int step = profile.Era is ConnectEra.A or ConnectEra.B || (local && profile.PerSocketRangeStepOne) ? 1 : 2;
        return (range, step);
    }

    /// <summary>Ports the scan can reach (R, or R − 1 for an odd-sized range scanned with step 2).</summary>
    public static int Reachable(KernelProfile profile, NamespaceConfig config, PerSocketRange perSocket)
    {
        var (range, step) = ScanShape(profile, config, perSocket);
        return step == 2 && range.Count > 1 && (range.Count & 1) == 1 ? range.Count - 1 : range.Count;
    }

    /// <summary>Ports of the scanned range that no connect() may take: reserved, or bind-owned.</summary>
    public static int Blocked(KernelProfile profile, NamespaceConfig config, PerSocketRange perSocket, PortBitmap bindOwned)
    {
        ArgumentNullException.ThrowIfNull(bindOwned);
        var (range, _) = ScanShape(profile, config, perSocket);
        int n = 0;
        for (int p = range.Low; p <= range.High; p++)
            if (config.Reserved.Contains(p) || bindOwned.Contains(p)) n++;
        return n;
    }

    /// <summary>Concurrent connections (live + TIME_WAIT) one destination can hold from one source address.</summary>
    public static int PerDestination(KernelProfile profile, NamespaceConfig config, PerSocketRange perSocket, PortBitmap bindOwned) =>
        Math.Max(0, Reachable(profile, config, perSocket) - Blocked(profile, config, perSocket, bindOwned));

    /// <summary>Per-destination capacity of a workload: the single-source capacity times the number of IP_BIND_ADDRESS_NO_PORT sources (each a separate 4-tuple space).</summary>
    public static int PerDestination(WorkloadSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return PerDestination(spec.Kernel, spec.Namespace, spec.PerSocketRange, spec.BindOwnedPorts) * Math.Max(1, spec.NoPortSources.Length);
    }
}
