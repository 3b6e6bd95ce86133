namespace PortSelection.Model.Simulation;

/// <summary>Shape of the connection lifetime distribution.</summary>
public enum LifetimeKind
{
    /// <summary>Every connection lives exactly the same time.</summary>
    Fixed,
    /// <summary>Exponential lifetimes (memoryless).</summary>
    Exponential,
    /// <summary>Uniform draws from a list of measured samples.</summary>
    Empirical,
}
