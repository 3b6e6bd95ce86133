namespace PortSelection.Validator.Reports;

/// <summary>A paragraph of plain text (written as-is to Markdown, escaped in HTML).</summary>
/// <param name="Text">The paragraph.</param>
public sealed record ReportText(string Text) : ReportBlock;
