namespace PortSelection.Validator.Reports;

/// <summary>A table with a header row; rows shorter than the header are padded with empty cells.</summary>
/// <param name="Header">Column headings.</param>
/// <param name="Rows">Cell texts, row by row.</param>
public sealed record ReportTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportBlock;
