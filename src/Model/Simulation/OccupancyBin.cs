namespace PortSelection.Model.Simulation;

/// <summary>All connect() calls to one destination made while its occupancy was in [Percent, Percent + 1) %.</summary>
/// <param name="Percent">Lower edge of the bin (0..100; 100 = full).</param>
/// <param name="Attempts">connect() calls.</param>
/// <param name="Failures">Of which EADDRNOTAVAIL.</param>
/// <param name="Scan">Scan lengths (candidates).</param>
/// <param name="CpuUsPerConnect">Mean predicted system CPU per connect() (µs).</param>
/// <param name="MeanInUse">Mean ports held for the destination before the calls.</param>
public readonly record struct OccupancyBin(int Percent, int Attempts, int Failures, ScanStatistics Scan, double CpuUsPerConnect, double MeanInUse);
