using System.Globalization;
using System.Text;

namespace PortSelection.Model.Ports;

/// <summary>
/// The list syntax of <c>ip_local_reserved_ports</c> (<c>proc_do_large_bitmap</c>, kernel/sysctl.c):
/// comma-separated ports and inclusive ranges, e.g. <c>"8080,9000-9100"</c> or <c>"1,2-4,10-10"</c>; the empty
/// string is the empty set. Also used for every port list on the command line.
/// </summary>
public static class PortListSyntax
{
    /// <summary>The accepted syntax, quoted in error messages.</summary>
    public const string Syntax = "comma-separated ports and ranges such as 8080,9000-9100 (ports 0-65535, empty for none)";

    /// <summary>Parses a list; false with a one-line error naming the bad token otherwise.</summary>
    /// <param name="text">The list text; surrounding whitespace and a trailing newline are ignored.</param>
    /// <param name="set">The parsed set.</param>
    /// <param name="error">Why the text was rejected.</param>
    public static bool TryParse(string? text, out PortBitmap set, out string? error)
    {
        set = PortBitmap.Empty;
        error = null;
        var s = (text ?? "").Trim();
        if (s.Length == 0) return true;
        var ranges = new List<(int, int)>();
        foreach (var raw in s.Split(','))
        {
            var token = raw.Trim();
            if (token.Length == 0)
            {
                error = $"empty entry in port list '{text}'; expected {Syntax}";
                return false;
            }
            int dash = token.IndexOf('-', 1);
            string a = dash < 0 ? token : token[..dash].Trim();
            string b = dash < 0 ? token : token[(dash + 1)..].Trim();
            if (!TryPort(a, out int lo) || !TryPort(b, out int hi))
            {
                error = $"bad port list entry '{token}'; expected {Syntax}";
                return false;
            }
            if (hi < lo)
            {
                error = $"bad port range '{token}': the end is below the start; expected {Syntax}";
                return false;
            }
            ranges.Add((lo, hi));
        }
        set = PortBitmap.FromRanges(ranges);
        return true;
    }

    /// <summary>Parses a list.</summary>
    /// <exception cref="FormatException">The text is not a port list.</exception>
    public static PortBitmap Parse(string? text) =>
        TryParse(text, out var set, out var error) ? set : throw new FormatException(error);

    /// <summary>Formats ascending ports with consecutive runs collapsed to ranges.</summary>
    public static string Format(IEnumerable<int> ascending)
    {
        var sb = new StringBuilder();
        int start = -2, prev = -2;
        void Flush()
        {
            if (start < 0) return;
            if (sb.Length > 0) sb.Append(',');
            sb.Append(start.ToString(CultureInfo.InvariantCulture));
            if (prev != start) sb.Append('-').Append(prev.ToString(CultureInfo.InvariantCulture));
        }
        foreach (var p in ascending)
        {
            if (p == prev + 1) { prev = p; continue; }
            Flush();
            start = prev = p;
        }
        Flush();
        return sb.ToString();
    }

    private static bool TryPort(string s, out int port)
    {
        port = 0;
        return s.Length is > 0 and <= 5 && s.All(char.IsAsciiDigit) &&
               int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;
    }
}
