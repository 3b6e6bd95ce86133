namespace PortSelection.Validator.Reports;

/// <summary>One piece of a report section: <see cref="ReportText"/>, <see cref="ReportTable"/> or
/// <see cref="ReportFigure"/>.</summary>
public abstract record ReportBlock;
