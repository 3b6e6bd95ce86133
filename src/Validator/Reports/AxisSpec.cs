namespace PortSelection.Validator.Reports;

/// <summary>Immutable description of one chart axis.</summary>
/// <param name="Label">Axis label, e.g. "Occupancy".</param>
/// <param name="Unit">Unit shown in parentheses after the label (empty for none), e.g. "µs".</param>
/// <param name="Scale">Linear or log10.</param>
/// <param name="Min">Fixed lower bound, or null to derive a nice bound from the data.</param>
/// <param name="Max">Fixed upper bound, or null to derive a nice bound from the data.</param>
/// <param name="SiSuffix">True to shorten large tick labels with SI suffixes (28000 → "28k"); false for
/// identifiers such as port numbers.</param>
public readonly record struct AxisSpec(
    string Label,
    string Unit = "",
    AxisScale Scale = AxisScale.Linear,
    double? Min = null,
    double? Max = null,
    bool SiSuffix = true)
{
    /// <summary>A linear axis.</summary>
    public static AxisSpec Linear(string label, string unit = "") => new(label, unit);

    /// <summary>A log10 axis.</summary>
    public static AxisSpec Log(string label, string unit = "") => new(label, unit, AxisScale.Log10);

    /// <summary>The label with its unit, e.g. "CPU per connect (µs)".</summary>
    public string Title => string.IsNullOrEmpty(Unit) ? Label : $"{Label} ({Unit})";

    /// <summary>Returns a copy with fixed bounds (either may be null to keep it automatic).</summary>
    public AxisSpec WithRange(double? min, double? max) => this with { Min = min, Max = max };

    /// <summary>Returns a copy with the given scale.</summary>
    public AxisSpec WithScale(AxisScale scale) => this with { Scale = scale };

    /// <summary>Returns a copy with SI-suffixed tick labels switched on or off.</summary>
    public AxisSpec WithSiSuffix(bool on) => this with { SiSuffix = on };
}
