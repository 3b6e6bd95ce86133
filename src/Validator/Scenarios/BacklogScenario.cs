using System.Globalization;
using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Scenarios;

/// <summary>One listener configuration of the backlog matrix.</summary>
/// <param name="Backlog">listen() argument.</param>
/// <param name="Somaxconn">net.core.somaxconn of the namespace.</param>
/// <param name="MaxSynBacklog">net.ipv4.tcp_max_syn_backlog of the namespace.</param>
/// <param name="Syncookies">net.ipv4.tcp_syncookies of the namespace (0, 1, 2).</param>
public readonly record struct BacklogCase(int Backlog, int Somaxconn, int MaxSynBacklog, int Syncookies);

/// <summary>What one live backlog case showed (read before anything was closed).</summary>
/// <param name="Established">Clients whose connect() succeeded before the first one timed out.</param>
/// <param name="Attempts">Clients tried.</param>
/// <param name="RecvQ">Listener Recv-Q (accept-queue length) from /proc/net/tcp of the namespace.</param>
/// <param name="SendQ">Listener Send-Q (stored backlog) from <c>ss -lnt</c>, or null when ss is unavailable.</param>
/// <param name="ListenOverflows">ListenOverflows delta (/proc/net/netstat of the namespace).</param>
/// <param name="ListenDrops">ListenDrops delta.</param>
public readonly record struct BacklogObservation(int Established, int Attempts, int RecvQ, int? SendQ, long ListenOverflows, long ListenDrops);

/// <summary>
/// The §9.1 sequential-connect experiment of listen-queues.md, made fast: a fresh namespace with the
/// case's sysctls (and tcp_no_metrics_save=1), a listener that never accepts, clients one at a time with
/// a 150 ms connect timeout (SO_SNDTIMEO), stopping after <see cref="FailuresToObserve"/> timed-out clients
/// (before any SYN retransmission at 1 s). Every socket is closed with SO_LINGER{1,0}.
/// </summary>
public static class BacklogScenario
{
    /// <summary>Timed-out clients after which the case stops.</summary>
    public const int FailuresToObserve = 2;
    /// <summary>Connect timeout of each client.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(150);
    /// <summary>Upper bound on clients per case.</summary>
    public const int MaxAttempts = 300;

    /// <summary>Runs one case on listen port <paramref name="port"/>.</summary>
    /// <exception cref="InvalidOperationException">A socket or namespace operation failed.</exception>
    public static BacklogObservation Run(BacklogCase c, ushort port)
    {
        var sysctls = new Dictionary<string, string>
        {
            ["net.core.somaxconn"] = c.Somaxconn.ToString(CultureInfo.InvariantCulture),
            ["net.ipv4.tcp_max_syn_backlog"] = c.MaxSynBacklog.ToString(CultureInfo.InvariantCulture),
            ["net.ipv4.tcp_syncookies"] = c.Syncookies.ToString(CultureInfo.InvariantCulture),
            ["net.ipv4.tcp_no_metrics_save"] = "1",
        };
        using var ns = NetworkNamespace.Create(sysctls);
        var observation = ns.Thread.Invoke(() =>
        {
            var clients = new List<int>();
            Listener? listener = null;
            try
            {
                listener = Listener.Open(port, c.Backlog);
                var before = ReadNetstat();
                int established = 0, failures = 0, attempts = 0;
                while (failures < FailuresToObserve && attempts < MaxAttempts)
                {
                    attempts++;
                    var fd = RawSocket.OpenTcp();
                    if (fd < 0) throw new InvalidOperationException($"socket: {LibC.Describe(-fd)}");
                    clients.Add(fd);
                    RawSocket.SetAbortiveClose(fd);
                    RawSocket.SetSendTimeout(fd, ConnectTimeout);
                    var rc = RawSocket.Connect(fd, RawSocket.Loopback, port);
                    if (rc == 0 && failures == 0) established++;
                    else if (rc != 0) failures++;
                }
                var after = ReadNetstat();
                var recvQ = ListenerRecvQ(port);
                var sendQ = SsSendQ(ns.Name, port);
                return new BacklogObservation(established, attempts, recvQ, sendQ,
                    after.GetValueOrDefault("ListenOverflows") - before.GetValueOrDefault("ListenOverflows"),
                    after.GetValueOrDefault("ListenDrops") - before.GetValueOrDefault("ListenDrops"));
            }
            finally
            {
                foreach (var fd in clients) RawSocket.Close(fd);
                listener?.Dispose();
            }
        }, TimeSpan.FromSeconds(30));
        return observation;
    }

    /// <summary>Send-Q of the listener from <c>ip netns exec NAME ss -Hlnt sport = :PORT</c>, or null.</summary>
    public static int? SsSendQ(string netns, int port)
    {
        if (!File.Exists("/usr/bin/ss") && !File.Exists("/bin/ss")) return null;
        var r = ExternalTool.Run(ExternalTool.Ip, ["netns", "exec", netns, "ss", "-Hlnt", $"sport = :{port}"], TimeSpan.FromSeconds(5));
        if (!r.Ok) return null;
        var f = r.StdOut.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return f.Length >= 3 && int.TryParse(f[2], CultureInfo.InvariantCulture, out var q) ? q : null;
    }

    /// <summary>TcpExt counters of the calling thread's namespace.</summary>
    public static Dictionary<string, long> ReadNetstat()
    {
        var result = new Dictionary<string, long>();
        var lines = File.ReadAllLines("/proc/thread-self/net/netstat");
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            var names = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var values = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (names.Length != values.Length || names[0] != "TcpExt:") continue;
            for (var k = 1; k < names.Length; k++)
                if (long.TryParse(values[k], CultureInfo.InvariantCulture, out var v)) result[names[k]] = v;
        }
        return result;
    }

    /// <summary>rx_queue of the LISTEN socket on <paramref name="port"/> in /proc/thread-self/net/tcp (= accept-queue length), or -1.</summary>
    public static int ListenerRecvQ(int port)
    {
        var hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var line in File.ReadLines("/proc/thread-self/net/tcp").Skip(1).Take(100_000))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 5 || f[3] != "0A" || !f[1].EndsWith(":" + hexPort, StringComparison.Ordinal)) continue;
            var q = f[4].Split(':');
            return int.Parse(q[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        return -1;
    }
}
