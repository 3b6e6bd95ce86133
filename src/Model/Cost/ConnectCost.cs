using System.Runtime.CompilerServices;
using PortSelection.Model.Selection;

namespace PortSelection.Model.Cost;

/// <summary>
/// Predicted system CPU of one connect() port selection from its work counters (port-selection.md §10.1):
/// <c>cost = a + b_r·Nr + b_p·Np + b_e·Ne + c·(Lb + Le) + d·Nlocks</c>. The lock count comes from the scan itself
/// (one per probe 4.6–6.14; the final or a TIME_WAIT candidate only since 6.15, 86c2bc293b81).
/// </summary>
public static class ConnectCost
{
    /// <summary>CPU nanoseconds for the work in <paramref name="counters"/> under <paramref name="calibration"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Nanoseconds(in ScanCounters counters, CostCalibration calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        return calibration.FixedNs
               + calibration.PerReservedNs * counters.Reserved
               + calibration.PerProbeNs * counters.Probes
               + calibration.PerTupleCheckNs * counters.TupleChecks
               + calibration.PerChainNodeNs * (counters.BhashNodes + counters.EhashNodes)
               + calibration.PerLockNs * counters.Locks;
    }
}
