using System.Globalization;

namespace PortSelection.Validator.Scenarios;

/// <summary>
/// Read-only snapshot of the port-selection sysctls of the caller's network namespace (<c>/proc/sys/net/ipv4</c>):
/// <c>ip_local_port_range</c>, <c>ip_local_reserved_ports</c>, <c>tcp_tw_reuse</c>, <c>tcp_tw_reuse_delay</c> (6.14+).
/// Nothing is ever written; a value that cannot be read is null.
/// </summary>
/// <param name="PortRange"><c>ip_local_port_range</c> as printed ("32768	60999").</param>
/// <param name="ReservedPorts"><c>ip_local_reserved_ports</c> in list syntax (may be empty).</param>
/// <param name="TcpTwReuse"><c>tcp_tw_reuse</c>.</param>
/// <param name="TcpTwReuseDelayMs"><c>tcp_tw_reuse_delay</c> (ms).</param>
public sealed record HostPortSysctls(string? PortRange, string? ReservedPorts, int? TcpTwReuse, int? TcpTwReuseDelayMs)
{
    /// <summary>Nothing readable.</summary>
    public static HostPortSysctls None { get; } = new(null, null, null, null);

    /// <summary>Reads the values below <paramref name="procSysRoot"/> (default <c>/proc/sys</c>).</summary>
    public static HostPortSysctls Read(string procSysRoot = "/proc/sys") => new(
        ReadText(procSysRoot, "net/ipv4/ip_local_port_range"),
        ReadText(procSysRoot, "net/ipv4/ip_local_reserved_ports", allowEmpty: true),
        ReadInt(procSysRoot, "net/ipv4/tcp_tw_reuse"),
        ReadInt(procSysRoot, "net/ipv4/tcp_tw_reuse_delay"));

    private static string? ReadText(string root, string relative, bool allowEmpty = false)
    {
        try
        {
            var path = Path.Combine(root, relative);
            if (!File.Exists(path)) return null;
            var s = File.ReadAllText(path).Trim();
            return s.Length == 0 && !allowEmpty ? null : s;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return null;
        }
    }

    private static int? ReadInt(string root, string relative) =>
        int.TryParse(ReadText(root, relative), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;
}
