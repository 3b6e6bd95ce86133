namespace PortSelection.Validator.Reports;

/// <summary>Everything a report contains; <see cref="ReportWriter"/> writes it as Markdown and HTML.</summary>
/// <param name="Title">Report title.</param>
/// <param name="ModelVersion">Version of the model that produced the numbers.</param>
/// <param name="Inputs">Inputs (name, value), shown as a table at the top.</param>
/// <param name="Sections">Sections in order.</param>
public sealed record ReportDocument(
    string Title,
    string ModelVersion,
    IReadOnlyList<KeyValuePair<string, string>> Inputs,
    IReadOnlyList<ReportSection> Sections)
{
    /// <summary>Every figure of every section, in order.</summary>
    public IEnumerable<ReportFigure> Figures => Sections.SelectMany(s => s.Blocks).OfType<ReportFigure>();
}
