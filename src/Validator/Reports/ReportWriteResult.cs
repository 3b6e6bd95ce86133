namespace PortSelection.Validator.Reports;

/// <summary>What <see cref="ReportWriter.Write"/> produced.</summary>
/// <param name="Folder">The report folder (full path).</param>
/// <param name="Files">Files written, relative to <paramref name="Folder"/>, in writing order.</param>
/// <param name="PngStatus">"ok", "skipped", "rsvg-convert not installed", or the first conversion error.</param>
public sealed record ReportWriteResult(string Folder, IReadOnlyList<string> Files, string PngStatus);
