namespace PortSelection.Validator.Reports;

/// <summary>Shape of a scatter marker.</summary>
public enum MarkerShape
{
    /// <summary>Filled circle.</summary>
    Circle,
    /// <summary>Filled square.</summary>
    Square,
    /// <summary>Filled triangle pointing up.</summary>
    TriangleUp,
    /// <summary>Filled diamond.</summary>
    Diamond,
    /// <summary>Filled triangle pointing down.</summary>
    TriangleDown,
    /// <summary>Diagonal cross (stroke only).</summary>
    Cross,
    /// <summary>Plus sign (stroke only).</summary>
    Plus,
    /// <summary>Asterisk: plus and cross (stroke only).</summary>
    Star,
}
