namespace PortSelection.Validator.Reports;

/// <summary>How a series is drawn.</summary>
public enum SeriesKind
{
    /// <summary>Straight segments between consecutive points (markers when there are few points).</summary>
    Line,

    /// <summary>Post-step: the value holds until the next point's x (histograms, CDFs).</summary>
    Step,

    /// <summary>Markers only.</summary>
    Scatter,

    /// <summary>A filled band between a lower (<see cref="Series.Points"/>) and an upper
    /// (<see cref="Series.Upper"/>) curve, e.g. an error band.</summary>
    Band,
}
