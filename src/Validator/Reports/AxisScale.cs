namespace PortSelection.Validator.Reports;

/// <summary>How an axis maps values to positions.</summary>
public enum AxisScale
{
    /// <summary>Linear scale with "nice" 1-2-5 ticks.</summary>
    Linear,

    /// <summary>Base-10 logarithmic scale with decade ticks and minor ticks at 2..9; non-positive values are ignored.</summary>
    Log10,
}
