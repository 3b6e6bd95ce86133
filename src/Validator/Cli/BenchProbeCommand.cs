using System.CommandLine;
using System.Text.Json.Nodes;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary>One side of the bench: a probe mode on a backend order.</summary>
/// <param name="Name">The --modes token as printed in the JSON (e.g. <c>cgroup:compact</c>, or <c>detail</c>).</param>
/// <param name="Backends">Backends to try, in order.</param>
/// <param name="Mode">The probe mode.</param>
public sealed record BenchMode(string Name, IReadOnlyList<ProbeBackend> Backends, ProbeMode Mode);

/// <summary>
/// <c>portsel bench-probe</c> (root): the probe's overhead on connect(). In a private namespace (default range
/// 32768–60999, one listener on 127.0.0.1:7000), blocks of sequential connects alternate without and with the probe
/// attached and tracing the workload thread, for each probe mode (by default the cgroup backend's compact mode and floor,
/// then the tracepoint backend's compact, detail and floors; ABBA order, so drift cancels). Only the connect() call is timed
/// (CLOCK_MONOTONIC around it); the probe is attached, drained and detached outside the timed calls, with a 1 s drain
/// period so no user-side event work runs during a block (the BPF side submits with BPF_RB_NO_WAKEUP). Each block opens
/// its listener before the workload thread is traced (on the cgroup backend: outside the private cgroup, so the passive
/// side runs no program), unless <c>--listener-traced</c>. Prints JSON: the median connect() latency without the probe and
/// with each mode, and their ratios (top level: the first mode).
/// </summary>
public static class BenchProbeCommand
{
    /// <summary>The --modes default: both backends that work here, each with its floors.</summary>
    public const string DefaultModes = "cgroup:compact,cgroup:floor,tracepoint:compact,tracepoint:detail,tracepoint:floor,tracepoint:hook-floor";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var pairs = new Option<int>("--pairs") { Description = "Rounds of blocks (one without the probe and one per mode, order reversed every other round).", DefaultValueFactory = _ => 10 };
        var perBlock = new Option<int>("--per-block") { Description = "Connects per block (each block starts from an empty range).", DefaultValueFactory = _ => 1000 };
        var backend = new Option<string>("--backend") { Description = "Backend of the modes given without one: auto (fentry → kprobe → cgroup → tracepoint → classic), fentry, kprobe, cgroup, tracepoint or classic.", DefaultValueFactory = _ => "auto" };
        var modes = new Option<string>("--modes")
        {
            Description = "Comma-separated [BACKEND:]MODE to measure (BACKEND: cgroup, tracepoint, classic, kprobe, fentry; default --backend). MODE: " +
                "compact (one record per connect, the default probe), detail (one record per event; tracepoint), " +
                "floor (empty programs: tracepoint: on sys_enter/sys_exit only, the least any syscall-tracepoint probe costs; cgroup: on cgroup/connect4, cgroup_skb/egress and cgroup/sock_release, the least the cgroup backend costs), " +
                "hook-floor (tracepoint: empty programs on all four hooks of its compact mode). Aliases: cgroup = cgroup:compact, cgroup-floor = cgroup:floor.",
            DefaultValueFactory = _ => DefaultModes,
        };
        var listenerTraced = new Option<bool>("--listener-traced") { Description = "Open each block's listener after the workload thread is traced (cgroup backend: inside the private cgroup, so the programs also run for the passive side of every connect). Default: before." };
        var cmd = new Command("bench-probe", "Measure the probe's connect() overhead (alternating blocks with and without it; needs root and BPF).");
        cmd.Options.Add(pairs);
        cmd.Options.Add(perBlock);
        cmd.Options.Add(backend);
        cmd.Options.Add(modes);
        cmd.Options.Add(listenerTraced);
        cmd.SetAction(parse => Run(parse.GetValue(pairs), parse.GetValue(perBlock),
            ParseModes(parse.GetValue(modes) ?? DefaultModes, parse.GetValue(backend) ?? "auto"), parse.GetValue(listenerTraced)));
        return cmd;
    }

    private const ushort Port = 7000;

    /// <summary>Parses a --modes value: comma-separated <c>[BACKEND:]MODE</c> (no repeats); a MODE without a backend uses
    /// <paramref name="backend"/> (a --backend value; auto = the connect-record order).</summary>
    /// <exception cref="UsageException">Unknown backend or mode, a repeat, or nothing.</exception>
    public static IReadOnlyList<BenchMode> ParseModes(string value, string backend = "auto")
    {
        var list = new List<BenchMode>();
        var unprefixed = ProbeCommand.ParseBackends(backend, ProbeBackendSpec.ConnectRecordOrder);
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var token = part.ToLowerInvariant() switch
            {
                "cgroup" => "cgroup:compact",
                "cgroup-floor" => "cgroup:floor",
                var t => t,
            };
            var colon = token.IndexOf(':', StringComparison.Ordinal);
            var backends = colon < 0 ? unprefixed
                : token[..colon] == "auto" ? throw new UsageException($"--modes: name a backend or leave it out (got '{part}')")
                : ProbeCommand.ParseBackends(token[..colon]);
            var m = token[(colon + 1)..] switch
            {
                "compact" => ProbeMode.Compact,
                "detail" => ProbeMode.Detail,
                "floor" => ProbeMode.Floor,
                "hook-floor" => ProbeMode.HookFloor,
                _ => throw new UsageException($"--modes takes [BACKEND:]MODE with MODE compact, detail, floor or hook-floor (got '{part}')"),
            };
            if (list.Any(x => x.Name == token)) throw new UsageException($"--modes: '{part}' given twice");
            list.Add(new BenchMode(token, backends, m));
        }
        if (list.Count == 0) throw new UsageException("--modes needs at least one mode");
        return list;
    }

    private sealed class ModeStats
    {
        public List<long> Durations { get; } = [];
        public List<double> RoundRatios { get; } = [];
        public long Records { get; set; }
        public long Events { get; set; }
        public long Lost { get; set; }
        public ProbeBackend? Backend { get; set; }
        public ProbeMode? Effective { get; set; }
        public IReadOnlyList<BackendAttempt> Attempts { get; set; } = [];
    }

    private static int Run(int pairs, int perBlock, IReadOnlyList<BenchMode> modes, bool listenerTraced)
    {
        if (pairs is < 1 or > 1000) throw new UsageException("--pairs must be 1..1000");
        if (perBlock is < 10 or > 20_000) throw new UsageException("--per-block must be 10..20000");
        var why = ProbeAvailability.Check(ProbeAvailability.DefaultBpfDirectory);
        if (why is not null)
        {
            Console.Error.WriteLine($"portsel: {why}");
            return CliApp.Unavailable;
        }

        int backlog = perBlock + 64;
        var sysctls = new Dictionary<string, string>
        {
            ["net.ipv4.ip_local_port_range"] = "32768 60999",
            ["net.core.somaxconn"] = Math.Max(4096, backlog).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        using var ns = NetworkNamespace.Create(sysctls);
        int tid = ns.Thread.Tid;
        var without = new List<long>();
        var stats = modes.ToDictionary(m => m.Name, _ => new ModeStats());
        var blockMedians = new JsonArray();
        long failed = 0;
        // One round: without, then each mode; every other round reversed (ABBA over all sides), so drift cancels.
        var sides = new List<BenchMode?> { null };
        sides.AddRange(modes);

        Block(ns, perBlock, null, listenerTraced); // warm-up, discarded
        for (int k = 0; k < pairs; k++)
        {
            var order = (k & 1) == 1 ? Enumerable.Reverse(sides).ToList() : sides;
            var roundMedians = new Dictionary<string, double>();
            double roundWithout = 0;
            foreach (var mode in order)
            {
                ProbeSession? session = null;
                try
                {
                    if (mode is not null)
                    {
                        var options = new ProbeOptions { Backends = mode.Backends, DrainPeriod = TimeSpan.FromSeconds(1), Mode = mode.Mode };
                        try { session = ProbeSession.Open(options); }
                        catch (ProbeUnavailableException e)
                        {
                            Console.Error.WriteLine($"portsel: {mode.Name}: {e.Message}");
                            return CliApp.Unavailable;
                        }
                        var st = stats[mode.Name];
                        st.Backend = session.Backend;
                        st.Effective = session.Mode;
                        st.Attempts = session.Attempts;
                    }
                    var (durations, fails) = Block(ns, perBlock, session, listenerTraced);
                    failed += fails;
                    (mode is not null ? stats[mode.Name].Durations : without).AddRange(durations);
                    if (mode is not null) roundMedians[mode.Name] = Median(durations);
                    else roundWithout = Median(durations);
                    blockMedians.Add(new JsonObject
                    {
                        ["probe"] = mode is not null, ["mode"] = mode?.Name, ["median_ns"] = Median(durations),
                    });
                    if (session is not null && mode is not null)
                    {
                        var st = stats[mode.Name];
                        st.Events += session.TakeEvents().Count;
                        st.Records += session.ReceivedRecords;
                        st.Lost += session.LostEvents;
                    }
                }
                finally
                {
                    session?.Dispose();
                }
            }
            if (roundWithout > 0)
                foreach (var (m, med) in roundMedians) stats[m].RoundRatios.Add(med / roundWithout);
        }

        double mWithout = Median(without);
        var perMode = new JsonObject();
        foreach (var (m, st) in stats)
        {
            double mWith = Median(st.Durations);
            perMode[m] = new JsonObject
            {
                ["backend"] = st.Backend is { } b ? Json.Kebab(b) : null,
                ["effective_mode"] = st.Effective is { } e ? Json.Kebab(e) : null,
                ["connects_with"] = st.Durations.Count,
                ["median_connect_ns_without"] = mWithout,
                ["median_connect_ns_with"] = mWith,
                ["ratio"] = mWithout > 0 ? mWith / mWithout : null,
                ["overhead_percent"] = mWithout > 0 ? (mWith / mWithout - 1) * 100 : null,
                ["overhead_ns"] = mWith - mWithout,
                ["median_round_ratio"] = st.RoundRatios.Count > 0 ? Median(st.RoundRatios) : null,
                ["ring_records"] = st.Records,
                ["events"] = st.Events,
                ["records_per_connect"] = st.Durations.Count > 0 ? (double)st.Records / st.Durations.Count : null,
                ["lost_events"] = st.Lost,
            };
        }
        var first = stats[modes[0].Name];
        double firstWith = Median(first.Durations);
        Json.Print(new JsonObject
        {
            ["kernel"] = KernelClock.Release(),
            ["backend"] = first.Backend is { } fb ? Json.Kebab(fb) : null,
            ["attempts"] = new JsonArray([.. first.Attempts.Select(a => (JsonNode)new JsonObject
            {
                ["backend"] = Json.Kebab(a.Backend), ["succeeded"] = a.Succeeded, ["reason"] = a.Reason,
            })]),
            ["load_average_1m"] = LoadAverage(),
            ["pairs"] = pairs,
            ["connects_per_block"] = perBlock,
            ["listener_traced"] = listenerTraced,
            ["connects_without"] = without.Count,
            ["failed_connects"] = failed,
            ["mode"] = modes[0].Name,
            ["median_connect_ns_without"] = mWithout,
            ["median_connect_ns_with"] = firstWith,
            ["ratio"] = mWithout > 0 ? firstWith / mWithout : null,
            ["overhead_percent"] = mWithout > 0 ? (firstWith / mWithout - 1) * 100 : null,
            ["modes"] = perMode,
            ["blocks"] = blockMedians,
        });
        return CliApp.Ok;
    }

    private static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>One block: a fresh listener, the workload thread traced (when <paramref name="session"/> is given: the
    /// listener is opened before that unless <paramref name="listenerTraced"/>), <paramref name="count"/> connects on the
    /// namespace's thread, everything closed (RST), the thread untraced and the ring drained.</summary>
    private static (List<long> Durations, int Failed) Block(NetworkNamespace ns, int count, ProbeSession? session, bool listenerTraced)
    {
        var filler = new ConnectFiller();
        Listener? listener = null;
        int tid = ns.Thread.Tid;
        var traced = false;
        try
        {
            if (!listenerTraced) ns.Thread.Invoke(() => listener = Listener.Open(Port, count + 64), TimeSpan.FromSeconds(30));
            if (session is not null)
            {
                int rc = session.Trace(tid);
                if (rc < 0) throw new ProbeUnavailableException($"cannot register tid {tid} with the probe: {LibC.Describe(-rc)}");
                traced = true;
            }
            ns.Thread.Invoke(() =>
            {
                listener ??= Listener.Open(Port, count + 64);
                filler.Run(Enumerable.Repeat(Port, count).ToList(), new ConnectSocketOptions(), TimeSpan.FromSeconds(60));
            }, TimeSpan.FromSeconds(120));
        }
        finally
        {
            ns.Thread.Invoke(() =>
            {
                filler.Dispose();
                listener?.Dispose();
            }, TimeSpan.FromSeconds(30));
            if (traced) session!.Untrace(tid);
        }
        session?.Flush();
        var ok = filler.Results.Where(r => r.Succeeded).Select(r => r.DurationNs).ToList();
        return (ok, filler.Results.Count - ok.Count);
    }

    private static double Median(List<long> xs) => Median(xs.Select(x => (double)x).ToList());

    private static double Median(List<double> xs)
    {
        if (xs.Count == 0) return 0;
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2.0;
    }
}
