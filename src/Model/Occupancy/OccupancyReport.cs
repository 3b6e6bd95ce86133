namespace PortSelection.Model.Occupancy;

/// <summary>The result of <see cref="OccupancyAnalysis.Analyze"/>: client groups and listeners, worst first.</summary>
public sealed record OccupancyReport
{
    /// <summary>Client groups, worst first (fewest connections left, then longest predicted scan).</summary>
    public required IReadOnlyList<ClientGroup> Groups { get; init; }
    /// <summary>Listeners, fullest accept queue first.</summary>
    public required IReadOnlyList<ListenerFill> Listeners { get; init; }
    /// <summary>Sockets counted as client connections (local port in the range and not a listening port).</summary>
    public int ClientSockets { get; init; }
    /// <summary>All sockets read.</summary>
    public int TotalSockets { get; init; }
    /// <summary>Listening ports inside <c>ip_local_port_range</c> (bind-owned: connect() skips them).</summary>
    public int BindOwnedInRange { get; init; }
    /// <summary>The calibration of the CPU estimates.</summary>
    public ConnectCostCalibration Calibration { get; init; }
}
