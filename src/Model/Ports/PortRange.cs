using System.Globalization;

namespace PortSelection.Model.Ports;

/// <summary>
/// An inclusive local port range as in <c>net.ipv4.ip_local_port_range</c> ("low high").
/// Construction checks only the syntax bounds 1..65535 and low ≤ high; the namespace rules
/// (unprivileged start, parity warning) live in <see cref="NamespaceConfig"/>.
/// </summary>
/// <param name="Low">First port, inclusive.</param>
/// <param name="High">Last port, inclusive.</param>
public readonly record struct PortRange(int Low, int High)
{
    /// <summary>Accepted syntax, quoted in error messages.</summary>
    public const string Syntax = "LOW-HIGH with 1 <= LOW <= HIGH <= 65535, e.g. 32768-60999 (a space or tab also separates, as in the sysctl)";

    /// <summary>Number of ports in the range (<c>High - Low + 1</c>).</summary>
    public int Count => High - Low + 1;

    /// <summary>True when <paramref name="port"/> is in the range.</summary>
    public bool Contains(int port) => port >= Low && port <= High;

    /// <summary>True when both bounds have the same parity (the kernel warns: "prefer different parity for start/end values").</summary>
    public bool SameParity => (Low & 1) == (High & 1);

    /// <summary>Parses "LOW-HIGH" (or "LOW HIGH" as printed by the sysctl); false with a one-line reason otherwise.</summary>
    public static bool TryParse(string? text, out PortRange range, out string? error)
    {
        range = default;
        error = null;
        var s = (text ?? "").Trim();
        var parts = s.Split(['-', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int lo)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int hi))
        {
            error = $"'{text}' is not a port range; expected {Syntax}";
            return false;
        }
        if (lo < 1 || hi > 65535 || lo > 65535 || hi < 1)
        {
            error = $"port range '{text}' has a bound outside 1..65535; expected {Syntax}";
            return false;
        }
        if (hi < lo)
        {
            error = $"port range '{text}' has HIGH < LOW (the kernel returns EINVAL); expected {Syntax}";
            return false;
        }
        range = new PortRange(lo, hi);
        return true;
    }

    /// <summary>Parses "LOW-HIGH".</summary>
    /// <exception cref="FormatException">Not a valid range.</exception>
    public static PortRange Parse(string text) =>
        TryParse(text, out var r, out var e) ? r : throw new FormatException(e);

    /// <inheritdoc />
    public override string ToString() => $"{Low}-{High}";
}
