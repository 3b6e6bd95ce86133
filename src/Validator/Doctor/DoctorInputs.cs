using System.Globalization;
using PortSelection.Model.Kernel;
using PortSelection.Model.Occupancy;
using PortSelection.Model.Ports;

namespace PortSelection.Validator.Doctor;

/// <summary>
/// Everything <c>portsel doctor</c> reads, read-only: the sockets of <c>/proc/net/tcp</c> and <c>tcp6</c>, the port
/// sysctls and the kernel release of one network namespace, and the listener backlogs — and where each came from.
/// </summary>
/// <remarks>
/// Live (no proc root): <c>/proc/thread-self/net/tcp*</c> and <c>/proc/sys</c> as seen by the calling thread (so a
/// <see cref="Scenarios.NetnsThread"/> reads its namespace), backlogs from sock_diag netlink, falling back to
/// <c>ss -Hlnt</c>. Offline (<c>--proc-root DIR</c>): <c>DIR/net/tcp</c>, <c>DIR/net/tcp6</c>, <c>DIR/sys/…</c>
/// and, when present, <c>DIR/ss-lnt.txt</c> (saved <c>ss -Hlnt</c> output) for backlogs.
/// </remarks>
public sealed record DoctorInputs
{
    /// <summary>Input of the model analysis.</summary>
    public required OccupancySnapshot Snapshot { get; init; }
    /// <summary>Kernel release modelled.</summary>
    public required string KernelRelease { get; init; }
    /// <summary>Where the socket rows came from.</summary>
    public required string SocketSource { get; init; }
    /// <summary>Where the listener backlogs came from ("sock_diag netlink", "ss -Hlnt", a file, or "unavailable: …").</summary>
    public required string BacklogSource { get; init; }
    /// <summary>net.core.somaxconn, null when unreadable.</summary>
    public int? Somaxconn { get; init; }
    /// <summary>Remarks (defaults used for unreadable sysctls, …).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Reads a namespace: live when <paramref name="procRoot"/> is null, else a saved copy.</summary>
    /// <param name="procRoot">Directory holding <c>net/tcp</c>, <c>net/tcp6</c>, <c>sys/…</c> (offline), or null.</param>
    /// <param name="kernelOverride">Kernel release to model instead of <c>sys/kernel/osrelease</c>.</param>
    /// <exception cref="Cli.UsageException">Unreadable or malformed input.</exception>
    public static DoctorInputs Read(string? procRoot, string? kernelOverride = null)
    {
        bool live = procRoot is null;
        if (!live && !Directory.Exists(procRoot)) throw new Cli.UsageException($"--proc-root: directory '{procRoot}' does not exist");
        string netDir = live ? "/proc/thread-self/net" : Path.Combine(procRoot!, "net");
        string sysDir = live ? "/proc/sys" : Path.Combine(procRoot!, "sys");
        var notes = new List<string>();

        var sockets = new List<ObservedSocket>();
        bool any = false;
        foreach (var (file, v6) in new[] { ("tcp", false), ("tcp6", true) })
        {
            var path = Path.Combine(netDir, file);
            string? text = ReadText(path);
            if (text is null) { notes.Add($"{path} not readable (skipped)"); continue; }
            any = true;
            try { sockets.AddRange(ProcNetTcp.Parse(text, v6)); }
            catch (FormatException e) { throw new Cli.UsageException($"{path}: {e.Message}"); }
        }
        if (!any) throw new Cli.UsageException($"neither {netDir}/tcp nor {netDir}/tcp6 is readable");

        string? release = kernelOverride ?? ReadText(Path.Combine(sysDir, "kernel/osrelease"))?.Trim();
        if (release is null) { release = "6.18"; notes.Add("kernel release unreadable: modelling 6.18"); }
        if (!KernelProfile.TryFromRelease(release, out var profile, out var perr))
            throw new Cli.UsageException($"kernel release '{release}': {perr}");

        var defaults = NamespaceConfig.DefaultsFor(profile!);
        string Sys(string key) => Path.Combine(sysDir, key);
        var rangeText = ReadText(Sys("net/ipv4/ip_local_port_range"));
        PortRange range = defaults.Range;
        if (rangeText is null) notes.Add($"ip_local_port_range unreadable: default {defaults.Range}");
        else if (!PortRange.TryParse(rangeText, out range, out var rerr)) throw new Cli.UsageException($"ip_local_port_range: {rerr}");
        var reservedText = ReadText(Sys("net/ipv4/ip_local_reserved_ports"));
        PortBitmap reserved = PortBitmap.Empty;
        if (reservedText is not null && !PortListSyntax.TryParse(reservedText.Trim(), out reserved, out var perr2))
            throw new Cli.UsageException($"ip_local_reserved_ports: {perr2}");
        var config = defaults with
        {
            Range = range,
            Reserved = reserved,
            TcpTwReuse = ReadInt(Sys("net/ipv4/tcp_tw_reuse")) ?? defaults.TcpTwReuse,
            TcpTwReuseDelayMs = ReadInt(Sys("net/ipv4/tcp_tw_reuse_delay")) ?? defaults.TcpTwReuseDelayMs,
        };
        int? somaxconn = ReadInt(Sys("net/core/somaxconn"));

        List<SockDiag.ListenerInfo> listeners;
        string backlogSource;
        if (live)
        {
            if (SockDiag.TryListeners(out listeners, out var derr)) backlogSource = "sock_diag netlink (idiag_wqueue)";
            else if (SsListeners.TryRun(out listeners, out var serr)) backlogSource = $"ss -Hlnt (sock_diag failed: {derr})";
            else { listeners = []; backlogSource = $"unavailable: {derr}; {serr}"; }
        }
        else
        {
            var ssFile = Path.Combine(procRoot!, "ss-lnt.txt");
            var ssText = ReadText(ssFile);
            listeners = ssText is null ? [] : SsListeners.Parse(ssText);
            backlogSource = ssText is null ? $"unavailable: no {ssFile} (save `ss -Hlnt` output there)" : $"{ssFile} (ss -Hlnt)";
        }
        var backlogs = new Dictionary<(bool, string, int), long>();
        foreach (var l in listeners) backlogs[(l.Ipv6, l.Address, l.Port)] = l.Backlog;

        return new DoctorInputs
        {
            Snapshot = new OccupancySnapshot { Profile = profile!, Config = config, Sockets = sockets, Backlogs = backlogs },
            KernelRelease = release,
            SocketSource = live ? "/proc/thread-self/net/tcp, tcp6" : $"{netDir}/tcp, tcp6",
            BacklogSource = backlogSource,
            Somaxconn = somaxconn,
            Notes = notes,
        };
    }

    private static string? ReadText(string path)
    {
        try { return File.Exists(path) ? File.ReadAllText(path) : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private static int? ReadInt(string path) =>
        int.TryParse(ReadText(path)?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
