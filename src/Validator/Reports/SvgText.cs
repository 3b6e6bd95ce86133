using System.Text;

namespace PortSelection.Validator.Reports;

/// <summary>Small helpers shared by the SVG renderers: escaping, text width estimates, stable ids.</summary>
internal static class SvgText
{
    /// <summary>Font used by every chart.</summary>
    public const string FontFamily = "DejaVu Sans, Verdana, Arial, sans-serif";

    /// <summary>Escapes text for XML content and attribute values.</summary>
    public static string Escape(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&apos;"); break;
                default:
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Approximate rendered width in pixels of <paramref name="s"/> at <paramref name="fontSize"/>.</summary>
    public static double Width(string s, double fontSize) => (s?.Length ?? 0) * fontSize * 0.6;

    /// <summary>A deterministic id prefix from the given text (FNV-1a 32), so several charts inlined in one
    /// HTML page do not share clip-path ids.</summary>
    public static string StableId(string prefix, string key)
    {
        var h = 2166136261u;
        foreach (var c in key)
        {
            h ^= c;
            h *= 16777619u;
        }
        return prefix + "-" + h.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Opening &lt;svg&gt; element with size, viewBox and font.</summary>
    public static void Open(StringBuilder sb, int width, int height, string title)
    {
        var w = width.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var h = height.ToString(System.Globalization.CultureInfo.InvariantCulture);
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").Append(w)
          .Append("\" height=\"").Append(h).Append("\" viewBox=\"0 0 ").Append(w).Append(' ').Append(h)
          .Append("\" font-family=\"").Append(FontFamily).Append("\">\n");
        sb.Append("<title>").Append(Escape(title)).Append("</title>\n");
        sb.Append("<rect x=\"0\" y=\"0\" width=\"").Append(w).Append("\" height=\"").Append(h).Append("\" fill=\"#FFFFFF\"/>\n");
    }

    /// <summary>A text element.</summary>
    public static void Text(StringBuilder sb, double x, double y, string text, double size, string anchor = "start", string extra = "")
    {
        sb.Append("<text x=\"").Append(TickLabel.Coord(x)).Append("\" y=\"").Append(TickLabel.Coord(y))
          .Append("\" font-size=\"").Append(TickLabel.Coord(size)).Append('"');
        if (anchor != "start") sb.Append(" text-anchor=\"").Append(anchor).Append('"');
        if (extra.Length > 0) sb.Append(' ').Append(extra);
        sb.Append('>').Append(Escape(text)).Append("</text>\n");
    }
}
