namespace PortSelection.Model.Simulation;

/// <summary>How the used ports of one destination are laid out in the range, which decides the analytic scan length.</summary>
public enum ScanRegime
{
    /// <summary>Ports are released in the order they were taken (fixed lifetimes, or TIME_WAIT-dominated client closes): the cursor always lands on free ports of the current parity class.</summary>
    Sequential,
    /// <summary>Ports are released in random order: free ports are scattered, a scan from the cursor is geometric.</summary>
    Random,
}
