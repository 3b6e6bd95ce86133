using System.Globalization;

namespace PortSelection.Model.Kernel;

/// <summary>
/// A Linux kernel version (major.minor.patch) parsed from a release string such as the output of
/// <c>uname -r</c> (<c>"6.18.44-fc-v657"</c>, <c>"5.10.125"</c>, <c>"3.10.0-1160.el7.x86_64"</c>).
/// Distribution suffixes after the numeric part are ignored.
/// </summary>
/// <param name="Major">Major version, e.g. 6.</param>
/// <param name="Minor">Minor version, e.g. 18.</param>
/// <param name="Patch">Stable patch level, e.g. 44 (0 when the release names none).</param>
public readonly record struct KernelVersion(int Major, int Minor, int Patch) : IComparable<KernelVersion>
{
    /// <summary>Accepted syntax, quoted in error messages.</summary>
    public const string Syntax = "MAJOR.MINOR[.PATCH][-suffix], e.g. 6.18, 5.10.125 or 6.18.44-fc-v657";

    /// <summary>Creates a version from its parts.</summary>
    public static KernelVersion Of(int major, int minor, int patch = 0) => new(major, minor, patch);

    /// <summary>Parses a kernel release string; returns false with a one-line reason when it is not one.</summary>
    /// <param name="release">The release string (a leading <c>v</c> is accepted).</param>
    /// <param name="version">The parsed version.</param>
    /// <param name="error">Why the string was rejected, naming the accepted syntax.</param>
    public static bool TryParse(string? release, out KernelVersion version, out string? error)
    {
        version = default;
        error = null;
        var s = (release ?? "").Trim();
        if (s.StartsWith('v') || s.StartsWith('V')) s = s[1..];
        int end = 0;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.')) end++;
        var numeric = s[..end].TrimEnd('.');
        var parts = numeric.Split('.', StringSplitOptions.None);
        if (numeric.Length == 0 || parts.Length < 2 || parts.Length > 3 || parts.Any(p => p.Length == 0 || p.Length > 6))
        {
            error = $"'{release}' is not a kernel release; expected {Syntax}";
            return false;
        }
        if (end < s.Length && s[end] != '-' && s[end] != '+' && s[end] != '_' && s[end] != '~')
        {
            error = $"'{release}' is not a kernel release (unexpected '{s[end]}'); expected {Syntax}";
            return false;
        }
        int major = int.Parse(parts[0], CultureInfo.InvariantCulture);
        int minor = int.Parse(parts[1], CultureInfo.InvariantCulture);
        int patch = parts.Length == 3 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : 0;
        if (major < 2 || major > 99)
        {
            error = $"'{release}': major version {major} is outside the supported 2..99; expected {Syntax}";
            return false;
        }
        version = new KernelVersion(major, minor, patch);
        return true;
    }

    /// <summary>Parses a kernel release string.</summary>
    /// <exception cref="FormatException">The string is not a kernel release.</exception>
    public static KernelVersion Parse(string release) =>
        TryParse(release, out var v, out var error) ? v : throw new FormatException(error);

    /// <inheritdoc />
    public int CompareTo(KernelVersion other)
    {
        int c = Major.CompareTo(other.Major);
        if (c != 0) return c;
        c = Minor.CompareTo(other.Minor);
        return c != 0 ? c : Patch.CompareTo(other.Patch);
    }

    /// <summary>True when this version is at least <paramref name="major"/>.<paramref name="minor"/>.<paramref name="patch"/>.</summary>
    public bool AtLeast(int major, int minor, int patch = 0) => CompareTo(new KernelVersion(major, minor, patch)) >= 0;

    /// <summary>True when this version belongs to the stable series <paramref name="major"/>.<paramref name="minor"/>.y.</summary>
    public bool InSeries(int major, int minor) => Major == major && Minor == minor;

    /// <summary>Ordering operator.</summary>
    public static bool operator <(KernelVersion a, KernelVersion b) => a.CompareTo(b) < 0;
    /// <summary>Ordering operator.</summary>
    public static bool operator >(KernelVersion a, KernelVersion b) => a.CompareTo(b) > 0;
    /// <summary>Ordering operator.</summary>
    public static bool operator <=(KernelVersion a, KernelVersion b) => a.CompareTo(b) <= 0;
    /// <summary>Ordering operator.</summary>
    public static bool operator >=(KernelVersion a, KernelVersion b) => a.CompareTo(b) >= 0;

    /// <inheritdoc />
    public override string ToString() => $"{Major}.{Minor}.{Patch}";
}
