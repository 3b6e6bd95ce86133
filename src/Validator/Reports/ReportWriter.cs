using System.Text;

namespace PortSelection.Validator.Reports;

/// <summary>Writes a report folder: one <c>.svg</c> per figure (plus <c>.png</c> when <c>rsvg-convert</c> is
/// installed), <c>report.html</c> with the SVGs inline, and <c>report.md</c> referencing the images by
/// relative path. Every file is written to a temporary name and then moved into place, so a reader never
/// sees a partial file; report.md is written last, so it never references a missing image.</summary>
public static class ReportWriter
{
    /// <summary>File name of the Markdown report.</summary>
    public const string MarkdownFile = "report.md";

    /// <summary>File name of the HTML report.</summary>
    public const string HtmlFile = "report.html";

    /// <summary>Writes <paramref name="doc"/> into <paramref name="folder"/> (created when missing; existing
    /// files of the same names are replaced). With <paramref name="png"/> false no PNG is attempted.</summary>
    /// <exception cref="ArgumentException">Two figures share a file name.</exception>
    public static ReportWriteResult Write(ReportDocument doc, string folder, bool png = true)
    {
        ArgumentNullException.ThrowIfNull(doc);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var figures = doc.Figures.ToArray();
        var dup = figures.GroupBy(f => f.FileStem, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"two figures are named '{dup.Key}'", nameof(doc));

        var dir = Directory.CreateDirectory(folder).FullName;
        var files = new List<string>();
        var pngs = new HashSet<string>(StringComparer.Ordinal);
        var pngStatus = png ? "ok" : "skipped";
        foreach (var f in figures)
        {
            var svgName = f.FileStem + ".svg";
            WriteAtomic(Path.Combine(dir, svgName), f.Svg);
            files.Add(svgName);
            if (!png || pngStatus == PngExport.NotInstalled) continue;
            var pngName = f.FileStem + ".png";
            var r = PngExport.Convert(Path.Combine(dir, svgName), Path.Combine(dir, pngName));
            if (r.Converted) { files.Add(pngName); pngs.Add(f.FileStem); }
            else if (pngStatus == "ok") pngStatus = r.Message;
        }
        if (png && figures.Length == 0) pngStatus = PngExport.IsAvailable ? "ok" : PngExport.NotInstalled;
        WriteAtomic(Path.Combine(dir, HtmlFile), Html(doc));
        files.Add(HtmlFile);
        WriteAtomic(Path.Combine(dir, MarkdownFile), Markdown(doc, pngs));
        files.Add(MarkdownFile);
        return new ReportWriteResult(dir, files, pngStatus);
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) to a temporary sibling and moves it over
    /// <paramref name="path"/>; the temporary file is removed on failure.</summary>
    internal static void WriteAtomic(string path, string text)
    {
        var tmp = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".tmp");
        try
        {
            File.WriteAllText(tmp, text, new UTF8Encoding(false));
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>The Markdown text of <paramref name="doc"/>; figures whose stem is in <paramref name="pngs"/>
    /// also link their PNG.</summary>
    public static string Markdown(ReportDocument doc, IReadOnlySet<string>? pngs = null)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var sb = new StringBuilder();
        sb.Append("# ").Append(OneLine(doc.Title)).Append("\n\n");
        sb.Append("Model version: ").Append(OneLine(doc.ModelVersion)).Append("\n\n");
        if (doc.Inputs.Count > 0)
        {
            sb.Append("## Inputs\n\n");
            MdTable(sb, ["Input", "Value"], doc.Inputs.Select(kv => (IReadOnlyList<string>)[kv.Key, kv.Value]).ToArray());
        }
        foreach (var s in doc.Sections)
        {
            sb.Append("## ").Append(OneLine(s.Heading)).Append("\n\n");
            foreach (var b in s.Blocks)
            {
                switch (b)
                {
                    case ReportText t:
                        sb.Append(t.Text.TrimEnd()).Append("\n\n");
                        break;
                    case ReportTable t:
                        MdTable(sb, t.Header, t.Rows);
                        break;
                    case ReportFigure f:
                        sb.Append("![").Append(OneLine(f.Caption).Replace("]", "\\]", StringComparison.Ordinal)).Append("](")
                          .Append(f.FileStem).Append(".svg)");
                        if (pngs?.Contains(f.FileStem) == true) sb.Append("  \n[PNG](").Append(f.FileStem).Append(".png)");
                        sb.Append("\n\n");
                        break;
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>The HTML page of <paramref name="doc"/> with every SVG inline.</summary>
    public static string Html(ReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(SvgText.Escape(doc.Title)).Append("</title>\n")
          .Append("<style>body{font-family:sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}")
          .Append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.25em .6em;text-align:left}")
          .Append("figure{margin:1.5em 0}figcaption{color:#555;font-size:.9em}svg{max-width:100%;height:auto}</style>\n</head>\n<body>\n");
        sb.Append("<h1>").Append(SvgText.Escape(doc.Title)).Append("</h1>\n");
        sb.Append("<p>Model version: ").Append(SvgText.Escape(doc.ModelVersion)).Append("</p>\n");
        if (doc.Inputs.Count > 0)
        {
            sb.Append("<h2>Inputs</h2>\n");
            HtmlTable(sb, ["Input", "Value"], doc.Inputs.Select(kv => (IReadOnlyList<string>)[kv.Key, kv.Value]).ToArray());
        }
        foreach (var s in doc.Sections)
        {
            sb.Append("<h2>").Append(SvgText.Escape(s.Heading)).Append("</h2>\n");
            foreach (var b in s.Blocks)
            {
                switch (b)
                {
                    case ReportText t:
                        sb.Append("<p>").Append(SvgText.Escape(t.Text.Trim())).Append("</p>\n");
                        break;
                    case ReportTable t:
                        HtmlTable(sb, t.Header, t.Rows);
                        break;
                    case ReportFigure f:
                        sb.Append("<figure id=\"").Append(f.FileStem).Append("\">\n").Append(f.Svg.TrimEnd()).Append("\n<figcaption>")
                          .Append(SvgText.Escape(f.Caption)).Append("</figcaption>\n</figure>\n");
                        break;
                }
            }
        }
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static string OneLine(string? s) => (s ?? "").Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Trim();

    private static string Cell(string? s) => OneLine(s).Replace("|", "\\|", StringComparison.Ordinal);

    private static void MdTable(StringBuilder sb, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var n = Math.Max(1, header.Count);
        sb.Append('|');
        for (var i = 0; i < n; i++) sb.Append(' ').Append(Cell(i < header.Count ? header[i] : "")).Append(" |");
        sb.Append("\n|");
        for (var i = 0; i < n; i++) sb.Append(" --- |");
        sb.Append('\n');
        foreach (var r in rows)
        {
            sb.Append('|');
            for (var i = 0; i < n; i++) sb.Append(' ').Append(Cell(i < r.Count ? r[i] : "")).Append(" |");
            sb.Append('\n');
        }
        sb.Append('\n');
    }

    private static void HtmlTable(StringBuilder sb, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        sb.Append("<table>\n<tr>");
        foreach (var h in header) sb.Append("<th>").Append(SvgText.Escape(h)).Append("</th>");
        sb.Append("</tr>\n");
        foreach (var r in rows)
        {
            sb.Append("<tr>");
            for (var i = 0; i < Math.Max(header.Count, r.Count); i++) sb.Append("<td>").Append(SvgText.Escape(i < r.Count ? r[i] : "")).Append("</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</table>\n");
    }
}
