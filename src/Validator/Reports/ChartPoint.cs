namespace PortSelection.Validator.Reports;

/// <summary>One data point in chart coordinates. Points with a NaN or infinite coordinate are skipped
/// when rendered (and, on a log axis, points with a non-positive coordinate).</summary>
/// <param name="X">Horizontal value.</param>
/// <param name="Y">Vertical value.</param>
public readonly record struct ChartPoint(double X, double Y);
