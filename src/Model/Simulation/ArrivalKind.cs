namespace PortSelection.Model.Simulation;

/// <summary>How new connections arrive.</summary>
public enum ArrivalKind
{
    /// <summary>Poisson process: exponential gaps of mean 1/rate.</summary>
    Poisson,
    /// <summary>Fixed rate: one connection every 1/rate seconds.</summary>
    Fixed,
}
