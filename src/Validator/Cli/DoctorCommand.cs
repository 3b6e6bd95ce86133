using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PortSelection.Model.Occupancy;
using PortSelection.Validator.Doctor;

namespace PortSelection.Validator.Cli;

/// <summary>
/// <c>portsel doctor</c>: the model pointed at the machine it runs on (current network namespace, no root needed):
/// per destination group port occupancy, predicted cost of the next connect() and connections left before
/// EADDRNOTAVAIL; per listener the accept-queue fill.
/// </summary>
public static class DoctorCommand
{
    /// <summary>Groups analysed at most (the largest by connection count) before ranking worst first.</summary>
    public const int MaxAnalysedGroups = 200;

    private const string Help =
        "Reads the current network namespace (read-only, no root): sockets from /proc/net/tcp and /proc/net/tcp6 " +
        "(IPv4-mapped IPv6 counts as IPv4), ip_local_port_range, ip_local_reserved_ports, tcp_tw_reuse, tcp_tw_reuse_delay, " +
        "somaxconn and the kernel release, and listener backlogs from sock_diag netlink (idiag_wqueue; fallback `ss -Hlnt`; " +
        "the source used is printed).\n" +
        "Client heuristic: a non-LISTEN socket whose local port is inside ip_local_port_range and is not a listening port " +
        "got its port from connect() (accepted connections carry the listener's port; a client that bind()s an explicit port " +
        "inside the range is counted too). Client sockets are grouped by (source, destination, destination port) — the inputs " +
        "of port_offset. Bind-owned ports are approximated by the listening ports inside the range (connect() skips them).\n" +
        "Per group, worst first: live and TIME_WAIT ports by parity (even/odd: the kernel fills the even ports first), " +
        "bind-owned and reserved ports the scan reaches, FIT = more connections of this 4-tuple before EADDRNOTAVAIL (free " +
        "ports, ports connect-owned by other destinations, and TIME_WAIT the model says tcp_tw_reuse lets a connect take over " +
        "now), and the next connect() simulated with the model of the running kernel (a KernelHost holding the group's " +
        "connections and the bind-owned ports) over --trials random port_offset/perturb-slot draws, since the kernel's secret " +
        "is unknown: mean and max candidates examined, busy probes, and CPU = 3 µs + 48 ns per busy probe (6.18 VM fit; an " +
        "order of magnitude elsewhere). Per listener: Recv-Q (accept queue A) against its capacity B+1.\n" +
        "JSON (--json): {kernel, era, sources{sockets, backlogs}, sysctls{ip_local_port_range, ip_local_reserved_ports, " +
        "tcp_tw_reuse, tcp_tw_reuse_delay_ms, somaxconn}, calibration{fixed_ns, per_busy_probe_ns}, total_sockets, " +
        "client_sockets, bind_owned_in_range, groups_total, groups[{family, source, destination, destination_port, live, " +
        "live_even, live_odd, time_wait, time_wait_even, time_wait_odd, time_wait_reusable, reachable_low, reachable_high, step, " +
        "reserved, bind_owned, fit, occupancy, trials, mean_candidates, max_candidates, mean_busy_probes, max_busy_probes, " +
        "mean_cpu_us, max_cpu_us, failures}], listeners_total, listeners[{family, address, port, accept_queue, backlog, " +
        "capacity, fill, full}], notes[]}; backlog, capacity and fill are null when the backlog is unknown.\n" +
        "--proc-root DIR reads a saved copy instead: DIR/net/tcp, DIR/net/tcp6, DIR/sys/net/ipv4/ip_local_port_range, " +
        "DIR/sys/net/ipv4/ip_local_reserved_ports, DIR/sys/net/ipv4/tcp_tw_reuse, DIR/sys/net/core/somaxconn, " +
        "DIR/sys/kernel/osrelease, and optionally DIR/ss-lnt.txt (output of `ss -Hlnt`) for backlogs.\n" +
        "Examples:\n  portsel doctor\n  portsel doctor --top 5 --json\n  portsel doctor --proc-root ./saved-proc --kernel 5.10";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (schema above) instead of tables." };
        var top = new Option<int>("--top") { Description = "Show the N worst groups and N fullest listeners (default 20).", DefaultValueFactory = _ => 20, HelpName = "n" };
        var procRoot = new Option<string?>("--proc-root") { Description = "Read a saved copy of /proc (layout above) instead of the live namespace.", HelpName = "dir" };
        var kernel = new Option<string?>("--kernel") { Description = "Kernel release to model instead of the one read (e.g. 5.10, 6.18).", HelpName = "release" };
        var trials = new Option<int>("--trials") { Description = "Simulated next connect()s per group, 1..10000 (default 32).", DefaultValueFactory = _ => 32, HelpName = "n" };
        var seed = new Option<string?>("--seed") { Description = "Seed of the simulated secrets and draws (default 1).", HelpName = "n" };
        var cmd = new Command("doctor", "Diagnose this machine's port and listen-queue pressure with the model (read-only, no root).\n" + Help);
        foreach (var o in new Option[] { json, top, procRoot, kernel, trials, seed }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            int n = parse.GetValue(top);
            if (n < 1) throw new UsageException($"--top {n}: must be at least 1");
            int t = parse.GetValue(trials);
            if (t is < 1 or > 10_000) throw new UsageException($"--trials {t}: accepted 1..10000");
            ulong s = parse.GetValue(seed) is { } st ? Parsing.Number("--seed", st) : 1;
            var inputs = DoctorInputs.Read(parse.GetValue(procRoot), parse.GetValue(kernel));
            var report = OccupancyAnalysis.Analyze(inputs.Snapshot, t, s, maxGroups: MaxAnalysedGroups);
            output.Write(parse.GetValue(json) ? ToJson(inputs, report, n) : ToText(inputs, report, n));
            return CliApp.Ok;
        });
        return cmd;
    }

    private static string Family(bool v6) => v6 ? "ipv6" : "ipv4";
    private static string Hostport(bool v6, string a, int p) => v6 ? $"[{a}]:{p}" : $"{a}:{p}";

    /// <summary>The JSON document (schema in the command's help).</summary>
    internal static string ToJson(DoctorInputs inputs, OccupancyReport r, int top)
    {
        var snap = inputs.Snapshot;
        var groups = new JsonArray();
        foreach (var g in r.Groups.Take(top))
            groups.Add(new JsonObject
            {
                ["family"] = Family(g.Ipv6), ["source"] = g.Source, ["destination"] = g.Destination, ["destination_port"] = g.DestinationPort,
                ["live"] = g.Live, ["live_even"] = g.LiveEven, ["live_odd"] = g.LiveOdd,
                ["time_wait"] = g.TimeWait, ["time_wait_even"] = g.TimeWaitEven, ["time_wait_odd"] = g.TimeWaitOdd,
                ["time_wait_reusable"] = g.TimeWaitReusable, ["reachable_low"] = g.Reachable.Low, ["reachable_high"] = g.Reachable.High,
                ["step"] = g.Step, ["reserved"] = g.Reserved, ["bind_owned"] = g.BindOwned, ["fit"] = g.Fit,
                ["occupancy"] = Math.Round(g.Occupancy, 4), ["trials"] = g.Trials,
                ["mean_candidates"] = Math.Round(g.MeanCandidates, 2), ["max_candidates"] = g.MaxCandidates,
                ["mean_busy_probes"] = Math.Round(g.MeanBusyProbes, 2), ["max_busy_probes"] = g.MaxBusyProbes,
                ["mean_cpu_us"] = Math.Round(g.MeanCpuMicroseconds, 3), ["max_cpu_us"] = Math.Round(g.MaxCpuMicroseconds, 3),
                ["failures"] = g.Failures,
            });
        var listeners = new JsonArray();
        foreach (var l in r.Listeners.Take(top))
            listeners.Add(new JsonObject
            {
                ["family"] = Family(l.Ipv6), ["address"] = l.Address, ["port"] = l.Port, ["accept_queue"] = l.AcceptQueue,
                ["backlog"] = l.Backlog, ["capacity"] = l.Capacity, ["fill"] = l.Fill is double f ? Math.Round(f, 4) : null, ["full"] = l.Full,
            });
        var doc = new JsonObject
        {
            ["kernel"] = inputs.KernelRelease,
            ["era"] = snap.Profile.Era.ToString(),
            ["sources"] = new JsonObject { ["sockets"] = inputs.SocketSource, ["backlogs"] = inputs.BacklogSource },
            ["sysctls"] = new JsonObject
            {
                ["ip_local_port_range"] = snap.Config.Range.ToString(),
                ["ip_local_reserved_ports"] = Model.Ports.PortListSyntax.Format(Enumerable.Range(0, 65536).Where(snap.Config.Reserved.Contains)),
                ["tcp_tw_reuse"] = snap.Config.TcpTwReuse, ["tcp_tw_reuse_delay_ms"] = snap.Config.TcpTwReuseDelayMs,
                ["somaxconn"] = inputs.Somaxconn,
            },
            ["calibration"] = new JsonObject { ["fixed_ns"] = r.Calibration.FixedNs, ["per_busy_probe_ns"] = r.Calibration.PerBusyProbeNs },
            ["total_sockets"] = r.TotalSockets, ["client_sockets"] = r.ClientSockets, ["bind_owned_in_range"] = r.BindOwnedInRange,
            ["groups_total"] = r.Groups.Count, ["groups"] = groups,
            ["listeners_total"] = r.Listeners.Count, ["listeners"] = listeners,
            ["notes"] = new JsonArray(inputs.Notes.Select(x => (JsonNode)JsonValue.Create(x)!).ToArray()),
        };
        return doc.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n";
    }

    /// <summary>The readable tables.</summary>
    internal static string ToText(DoctorInputs inputs, OccupancyReport r, int top)
    {
        var ci = CultureInfo.InvariantCulture;
        var snap = inputs.Snapshot;
        var c = snap.Config;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"kernel {inputs.KernelRelease} (era {snap.Profile.Era}); ip_local_port_range {c.Range}, reserved ports {c.Reserved.Count}, " +
                          $"tcp_tw_reuse {c.TcpTwReuse}, somaxconn {(inputs.Somaxconn?.ToString(ci) ?? "?")}");
        sb.AppendLine(ci, $"sockets {r.TotalSockets} ({inputs.SocketSource}); client connections {r.ClientSockets} in {r.Groups.Count} group(s); " +
                          $"listening ports in range {r.BindOwnedInRange}; backlogs: {inputs.BacklogSource}");
        sb.AppendLine();
        if (r.Groups.Count == 0) sb.AppendLine("no client connections (local port inside ip_local_port_range, not a listening port)");
        else
        {
            sb.AppendLine(ci, $"client groups, worst first (next connect() simulated {r.Groups[0].Trials}x; cpu = {r.Calibration}):");
            var rows = new List<string[]> { new[] { "SOURCE -> DESTINATION", "LIVE even/odd", "TIME_WAIT even/odd (reusable)", "BIND-OWNED", "RESERVED", "FIT", "OCCUPANCY", "SCAN mean/max", "CPU µs mean/max" } };
            foreach (var g in r.Groups.Take(top))
                rows.Add([
                    $"{g.Source} -> {Hostport(g.Ipv6, g.Destination, g.DestinationPort)}",
                    $"{g.Live} ({g.LiveEven}/{g.LiveOdd})",
                    $"{g.TimeWait} ({g.TimeWaitEven}/{g.TimeWaitOdd}) ({g.TimeWaitReusable})",
                    g.BindOwned.ToString(ci), g.Reserved.ToString(ci), g.Fit.ToString(ci),
                    Percent(g.Occupancy),
                    string.Create(ci, $"{g.MeanCandidates:0.#}/{g.MaxCandidates}"),
                    string.Create(ci, $"{g.MeanCpuMicroseconds:0.0}/{g.MaxCpuMicroseconds:0.0}") + (g.Failures > 0 ? " EADDRNOTAVAIL" : ""),
                ]);
            Table(sb, rows);
            if (r.Groups.Count > top) sb.AppendLine(ci, $"… {r.Groups.Count - top} more group(s) (--top)");
        }
        sb.AppendLine();
        if (r.Listeners.Count == 0) sb.AppendLine("no listeners");
        else
        {
            sb.AppendLine("listeners, fullest accept queue first:");
            var rows = new List<string[]> { new[] { "ADDRESS:PORT", "RECV-Q (A)", "BACKLOG (B)", "CAPACITY (B+1)", "FILL" } };
            foreach (var l in r.Listeners.Take(top))
                rows.Add([
                    Hostport(l.Ipv6, l.Address, l.Port), l.AcceptQueue.ToString(ci), l.Backlog?.ToString(ci) ?? "?",
                    l.Capacity?.ToString(ci) ?? "?", (l.Fill is double f ? Percent(f) : "?") + (l.Full ? " FULL" : ""),
                ]);
            Table(sb, rows);
            if (r.Listeners.Count > top) sb.AppendLine(ci, $"… {r.Listeners.Count - top} more listener(s) (--top)");
        }
        foreach (var note in inputs.Notes) sb.AppendLine(ci, $"note: {note}");
        return sb.ToString();
    }

    private static string Percent(double x) => (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static void Table(StringBuilder sb, List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
            sb.AppendLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
    }
}
