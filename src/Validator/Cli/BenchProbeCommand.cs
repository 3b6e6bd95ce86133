using System.CommandLine;
using System.Text.Json.Nodes;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary>
/// <c>portsel bench-probe</c> (root): the probe's overhead on connect(). In a private namespace (default range
/// 32768–60999, one listener on 127.0.0.1:7000), blocks of sequential connects alternate without and with the probe
/// attached and tracing the workload thread, for each probe mode (compact, detail, and the floors; ABBA order, so drift
/// cancels). Only the connect() call is timed
/// (CLOCK_MONOTONIC around it); the probe is attached, drained and detached outside the timed calls, with a 1 s drain
/// period so no user-side event work runs during a block (the BPF side submits with BPF_RB_NO_WAKEUP). Prints JSON:
/// the median connect() latency without the probe and with each mode, and their ratios (top level: the first mode).
/// </summary>
public static class BenchProbeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var pairs = new Option<int>("--pairs") { Description = "Rounds of blocks (one without the probe and one per mode, order reversed every other round).", DefaultValueFactory = _ => 10 };
        var perBlock = new Option<int>("--per-block") { Description = "Connects per block (each block starts from an empty range).", DefaultValueFactory = _ => 1000 };
        var backend = new Option<string>("--backend") { Description = "auto (fentry → kprobe → tracepoint), fentry, kprobe or tracepoint.", DefaultValueFactory = _ => "auto" };
        var modes = new Option<string>("--modes") { Description = "Comma-separated probe modes to measure: compact (one record per connect, the default probe), detail (one record per event), floor (empty programs on sys_enter/sys_exit only: the least any syscall-tracepoint probe costs), hook-floor (empty programs on all four hooks of the compact mode: its floor).", DefaultValueFactory = _ => "compact,detail,floor,hook-floor" };
        var cmd = new Command("bench-probe", "Measure the probe's connect() overhead (alternating blocks with and without it; needs root and BPF).");
        cmd.Options.Add(pairs);
        cmd.Options.Add(perBlock);
        cmd.Options.Add(backend);
        cmd.Options.Add(modes);
        cmd.SetAction(parse => Run(parse.GetValue(pairs), parse.GetValue(perBlock), parse.GetValue(backend) ?? "auto",
            ParseModes(parse.GetValue(modes) ?? "compact")));
        return cmd;
    }

    private const ushort Port = 7000;

    /// <summary>Parses a --modes value (comma-separated compact, detail, floor, hook-floor; no repeats).</summary>
    public static IReadOnlyList<ProbeMode> ParseModes(string value)
    {
        var list = new List<ProbeMode>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var m = part.ToLowerInvariant() switch
            {
                "compact" => ProbeMode.Compact,
                "detail" => ProbeMode.Detail,
                "floor" => ProbeMode.Floor,
                "hook-floor" => ProbeMode.HookFloor,
                _ => throw new UsageException($"--modes takes compact, detail, floor and/or hook-floor (got '{part}')"),
            };
            if (!list.Contains(m)) list.Add(m);
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

    private static int Run(int pairs, int perBlock, string backendName, IReadOnlyList<ProbeMode> modes)
    {
        if (pairs is < 1 or > 1000) throw new UsageException("--pairs must be 1..1000");
        if (perBlock is < 10 or > 20_000) throw new UsageException("--per-block must be 10..20000");
        var backends = ProbeCommand.ParseBackends(backendName);
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
        var stats = modes.ToDictionary(m => m, _ => new ModeStats());
        var blockMedians = new JsonArray();
        long failed = 0;
        // One round: without, then each mode; every other round reversed (ABBA over all sides), so drift cancels.
        var sides = new List<ProbeMode?> { null };
        sides.AddRange(modes.Select(m => (ProbeMode?)m));

        Block(ns, perBlock, null); // warm-up, discarded
        for (int k = 0; k < pairs; k++)
        {
            var order = (k & 1) == 1 ? Enumerable.Reverse(sides).ToList() : sides;
            var roundMedians = new Dictionary<ProbeMode, double>();
            double roundWithout = 0;
            foreach (var mode in order)
            {
                ProbeSession? session = null;
                try
                {
                    if (mode is { } m)
                    {
                        var options = new ProbeOptions { Backends = backends, DrainPeriod = TimeSpan.FromSeconds(1), Mode = m };
                        try { session = ProbeSession.Open(options); }
                        catch (ProbeUnavailableException e)
                        {
                            Console.Error.WriteLine($"portsel: {e.Message}");
                            return CliApp.Unavailable;
                        }
                        stats[m].Backend = session.Backend;
                        stats[m].Effective = session.Mode;
                        stats[m].Attempts = session.Attempts;
                        int rc = session.Trace(tid);
                        if (rc < 0) throw new ProbeUnavailableException($"cannot register tid {tid} with the probe: {LibC.Describe(-rc)}");
                    }
                    var (durations, fails) = Block(ns, perBlock, session);
                    failed += fails;
                    (mode is { } mm ? stats[mm].Durations : without).AddRange(durations);
                    if (mode is { } rm) roundMedians[rm] = Median(durations);
                    else roundWithout = Median(durations);
                    blockMedians.Add(new JsonObject
                    {
                        ["probe"] = mode is not null, ["mode"] = mode is { } bm ? Json.Kebab(bm) : null, ["median_ns"] = Median(durations),
                    });
                    if (session is not null && mode is { } sm)
                    {
                        stats[sm].Events += session.TakeEvents().Count;
                        stats[sm].Records += session.ReceivedRecords;
                        stats[sm].Lost += session.LostEvents;
                        session.Untrace(tid);
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
            perMode[Json.Kebab(m)] = new JsonObject
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
        var first = stats[modes[0]];
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
            ["connects_without"] = without.Count,
            ["failed_connects"] = failed,
            ["mode"] = Json.Kebab(modes[0]),
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

    /// <summary>One block: a fresh listener, <paramref name="count"/> connects on the namespace's thread, then everything closed (RST).</summary>
    private static (List<long> Durations, int Failed) Block(NetworkNamespace ns, int count, ProbeSession? session)
    {
        var filler = new ConnectFiller();
        Listener? listener = null;
        try
        {
            ns.Thread.Invoke(() =>
            {
                listener = Listener.Open(Port, count + 64);
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
