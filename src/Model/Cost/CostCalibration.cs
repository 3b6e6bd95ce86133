namespace PortSelection.Model.Cost;

/// <summary>
/// One named calibration of the connect() cost model
/// <c>cost ≈ a + b_r·Reserved + b_p·Probes + b_e·TupleChecks + c·(BhashNodes + EhashNodes) + d·Locks</c>
/// (shared/kernel/port-selection.md §10.1), with the source of its figures.
/// </summary>
/// <param name="Name">Short key used on the command line (e.g. <c>vm-6.18</c>).</param>
/// <param name="Source">Where the figures come from, quoted in reports.</param>
/// <param name="FixedNs">a: fixed system CPU of the scan bracket (hash, success path), ns.</param>
/// <param name="PerProbeNs">b_p: one busy probe (bhash walk, 4-tuple pre-check, <c>cond_resched</c>), ns.</param>
/// <param name="PerReservedNs">b_r: a reserved candidate (bitmap test, no lock), ns.</param>
/// <param name="PerTupleCheckNs">b_e: extra cost of a 4-tuple check beyond the probe, ns.</param>
/// <param name="PerChainNodeNs">c: one bhash/ehash chain node walked, ns.</param>
/// <param name="PerLockNs">d: one bucket lock (per probe before 6.15; only the final candidate since 6.15), ns.</param>
/// <param name="UncontendedConnectUs">End-to-end time of an uncontended loopback connect() (handshake included), µs — the base of the latency CDF.</param>
public sealed record CostCalibration(
    string Name, string Source, double FixedNs, double PerProbeNs, double PerReservedNs, double PerTupleCheckNs,
    double PerChainNodeNs, double PerLockNs, double UncontendedConnectUs)
{
    /// <summary>
    /// 6.18 VM (Firecracker guest), the project's validator fit: 48 ns per busy probe, fixed ≈ 3 µs
    /// (§8 item 3: ≈ 700 µs / 14,116 probes; validator fits 40–51 ns/probe + 2.6–7 µs); uncontended connect ≈ 16 µs.
    /// The lock term is an estimate: the 6.15 cover letter's perf profile attributes ~75 % of pre-RCU cycles to
    /// spinlocks, so a locked probe is taken as ≈ 4× an RCU probe (d = 3·b_p).
    /// </summary>
    public static CostCalibration Vm618 { get; } = new(
        "vm-6.18", "6.18 VM, validator fit: 48 ns/probe, fixed 3 µs (port-selection.md §8, §10); lock ≈ 3×probe estimated from the 6.15 cover letter perf profile",
        FixedNs: 3000, PerProbeNs: 48, PerReservedNs: 2, PerTupleCheckNs: 0, PerChainNodeNs: 0, PerLockNs: 144, UncontendedConnectUs: 16);

    /// <summary>
    /// 7.2.3 bare metal, independent blog of 2026-10-03 (§10.2): ≈ 10 ns per busy probe (144 µs CPU / ≈ 14,116 probes),
    /// ≈ 1 µs CPU per uncontended connect, median connect 12–13 µs. Lock term estimated as for <see cref="Vm618"/>.
    /// </summary>
    public static CostCalibration BareMetal72 { get; } = new(
        "baremetal-7.2", "7.2.3 bare metal blog (2026-10-03): 10 ns/probe, fixed ≈ 1 µs (port-selection.md §10.2); lock ≈ 3×probe estimated",
        FixedNs: 1000, PerProbeNs: 10, PerReservedNs: 0.5, PerTupleCheckNs: 0, PerChainNodeNs: 0, PerLockNs: 30, UncontendedConnectUs: 12.5);

    /// <summary>Every built-in calibration.</summary>
    public static IReadOnlyList<CostCalibration> BuiltIn { get; } = [Vm618, BareMetal72];

    /// <summary>Finds a built-in calibration by <see cref="Name"/> (case-insensitive); null when unknown.</summary>
    public static CostCalibration? Find(string name) =>
        BuiltIn.FirstOrDefault(c => string.Equals(c.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
