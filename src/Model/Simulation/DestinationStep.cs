namespace PortSelection.Model.Simulation;

/// <summary>One destination during one reporting step.</summary>
/// <param name="Attempts">connect() calls in the step.</param>
/// <param name="Failures">Of which EADDRNOTAVAIL.</param>
/// <param name="Scan">Scan lengths (candidates) of those calls.</param>
/// <param name="CpuUsPerConnect">Mean predicted system CPU per connect() (µs), 0 without calls.</param>
/// <param name="InUse">Ports held for this destination at the end of the step (live + TIME_WAIT connections).</param>
/// <param name="Occupancy">Fraction of the scanned range unusable to this destination at the end of the step: (in use / sources + reserved + bind-owned) / R.</param>
public readonly record struct DestinationStep(int Attempts, int Failures, ScanStatistics Scan, double CpuUsPerConnect, int InUse, double Occupancy);
