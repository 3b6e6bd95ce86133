using System.Globalization;
using PortSelection.Model.Ports;

namespace PortSelection.Validator.Cli;

/// <summary>Option-value parsers that turn bad input into <see cref="UsageException"/> naming the option.</summary>
public static class Parsing
{
    /// <summary>A port list (<c>a,b,c-d</c>).</summary>
    public static PortBitmap Ports(string option, string? text)
    {
        if (!PortListSyntax.TryParse(text, out var set, out var error)) throw new UsageException($"{option}: {error}");
        return set;
    }

    /// <summary>A port range.</summary>
    public static PortRange Range(string option, string text)
    {
        if (!PortRange.TryParse(text, out var r, out var error)) throw new UsageException($"{option}: {error}");
        return r;
    }

    /// <summary>An unsigned number in decimal or 0x-hex, at most <paramref name="max"/>.</summary>
    public static ulong Number(string option, string text, ulong max = ulong.MaxValue)
    {
        var s = text.Trim().Replace("_", "", StringComparison.Ordinal);
        bool ok = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)
            : ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v);
        if (!ok) throw new UsageException($"{option}: '{text}' is not a number; accepted: decimal or 0x-prefixed hexadecimal");
        if (v > max) throw new UsageException($"{option}: {text} exceeds the maximum {max} (0x{max:X})");
        return v;
    }

    /// <summary>An IPv4 address.</summary>
    public static Ipv4Address Address(string option, string text)
    {
        if (!Ipv4Address.TryParse(text, out var a, out var error)) throw new UsageException($"{option}: {error}");
        return a;
    }

    /// <summary>A list of unsigned numbers (<c>4,3</c>).</summary>
    public static List<ulong> Numbers(string option, string text, ulong max) =>
        text.Split(',', StringSplitOptions.TrimEntries).Select(t => Number(option, t, max)).ToList();
}
