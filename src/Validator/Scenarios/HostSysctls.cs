using System.Globalization;

namespace PortSelection.Validator.Scenarios;

/// <summary>
/// Read-only snapshot of the running system's listen-queue sysctls and kernel release, taken from <c>/proc/sys</c>
/// of the caller's network namespace. Nothing is ever written. A value that cannot be read is null.
/// </summary>
/// <param name="KernelRelease"><c>/proc/sys/kernel/osrelease</c> (as <c>uname -r</c>).</param>
/// <param name="Somaxconn"><c>net/core/somaxconn</c>.</param>
/// <param name="MaxSynBacklog"><c>net/ipv4/tcp_max_syn_backlog</c>.</param>
/// <param name="Syncookies"><c>net/ipv4/tcp_syncookies</c>.</param>
/// <param name="AbortOnOverflow"><c>net/ipv4/tcp_abort_on_overflow</c>.</param>
/// <param name="SynRetries"><c>net/ipv4/tcp_syn_retries</c>.</param>
/// <param name="SynAckRetries"><c>net/ipv4/tcp_synack_retries</c>.</param>
/// <param name="SynLinearTimeouts"><c>net/ipv4/tcp_syn_linear_timeouts</c> (6.5+).</param>
public sealed record HostSysctls(
    string? KernelRelease, int? Somaxconn, int? MaxSynBacklog, int? Syncookies, int? AbortOnOverflow,
    int? SynRetries, int? SynAckRetries, int? SynLinearTimeouts)
{
    /// <summary>Nothing readable (e.g. not Linux).</summary>
    public static HostSysctls None { get; } = new(null, null, null, null, null, null, null, null);

    /// <summary>Reads the sysctls below <paramref name="procSysRoot"/> (default <c>/proc/sys</c>); unreadable values are null.</summary>
    /// <param name="procSysRoot">Root of the sysctl tree (a test can point it at a directory of its own).</param>
    public static HostSysctls Read(string procSysRoot = "/proc/sys") => new(
        ReadText(procSysRoot, "kernel/osrelease"),
        ReadInt(procSysRoot, "net/core/somaxconn"),
        ReadInt(procSysRoot, "net/ipv4/tcp_max_syn_backlog"),
        ReadInt(procSysRoot, "net/ipv4/tcp_syncookies"),
        ReadInt(procSysRoot, "net/ipv4/tcp_abort_on_overflow"),
        ReadInt(procSysRoot, "net/ipv4/tcp_syn_retries"),
        ReadInt(procSysRoot, "net/ipv4/tcp_synack_retries"),
        ReadInt(procSysRoot, "net/ipv4/tcp_syn_linear_timeouts"));

    private static string? ReadText(string root, string relative)
    {
        try
        {
            var path = Path.Combine(root, relative);
            if (!File.Exists(path)) return null;
            var s = File.ReadAllText(path).Trim();
            return s.Length == 0 ? null : s;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return null;
        }
    }

    private static int? ReadInt(string root, string relative) =>
        int.TryParse(ReadText(root, relative), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;
}
