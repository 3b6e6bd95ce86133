namespace PortSelection.Validator.Reports;

/// <summary>A titled section of a report.</summary>
/// <param name="Heading">Section heading.</param>
/// <param name="Blocks">Text, tables and figures in order.</param>
public sealed record ReportSection(string Heading, IReadOnlyList<ReportBlock> Blocks);
