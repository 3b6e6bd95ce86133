namespace PortSelection.Validator.Reports;

/// <summary>Where the legend goes.</summary>
public enum LegendPlacement
{
    /// <summary>The inside corner that covers the fewest data; outside on the right when every corner covers data.</summary>
    Auto,

    /// <summary>Inside, top right.</summary>
    TopRight,

    /// <summary>Inside, top left.</summary>
    TopLeft,

    /// <summary>Inside, bottom right.</summary>
    BottomRight,

    /// <summary>Inside, bottom left.</summary>
    BottomLeft,

    /// <summary>Outside the plot area, on the right.</summary>
    OutsideRight,

    /// <summary>No legend.</summary>
    None,
}
