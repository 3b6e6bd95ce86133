namespace PortSelection.Model.Occupancy;

/// <summary>
/// Converts a predicted scan into system-CPU time: <c>cpu ≈ Fixed + PerBusyProbe · busy probes</c>.
/// </summary>
/// <remarks>
/// Default: 48 ns per busy probe + 3 µs fixed, the fit on the 6.18 Firecracker VM of port-selection.md §8.3
/// (≈ 50 ns per busy probe of the 6.15+ RCU path); a 7.2 bare-metal host measured ≈ 10 ns (§10.2). Treat the
/// result as an order of magnitude on other machines and on pre-6.15 kernels (two spinlocks per probe).
/// </remarks>
/// <param name="FixedNs">Fixed cost per connect() in ns (≥ 0).</param>
/// <param name="PerBusyProbeNs">Cost of one probe that finds its port busy, in ns (≥ 0).</param>
public readonly record struct ConnectCostCalibration(double FixedNs, double PerBusyProbeNs)
{
    /// <summary>48 ns per busy probe + 3 µs fixed (6.18 VM fit).</summary>
    public static ConnectCostCalibration Vm618 { get; } = new(3000, 48);

    /// <summary>Estimated CPU time in µs of a connect() that probed <paramref name="busyProbes"/> busy ports.</summary>
    public double CpuMicroseconds(double busyProbes) => (FixedNs + PerBusyProbeNs * busyProbes) / 1000.0;

    /// <inheritdoc />
    public override string ToString() => $"{PerBusyProbeNs:0.##} ns per busy probe + {FixedNs / 1000:0.##} µs fixed";
}
