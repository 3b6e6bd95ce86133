using System.CommandLine;
using System.Text.Json.Nodes;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary>
/// <c>portsel bench-probe</c> (root): the probe's overhead on connect(). In a private namespace (default range
/// 32768–60999, one listener on 127.0.0.1:7000), blocks of sequential connects alternate without and with the probe
/// attached and tracing the workload thread (ABBA order, so drift cancels). Only the connect() call is timed
/// (CLOCK_MONOTONIC around it); the probe is attached, drained and detached outside the timed calls, with a 1 s drain
/// period so no user-side event work runs during a block (the BPF side submits with BPF_RB_NO_WAKEUP). Prints JSON:
/// the median connect() latency of each side and their ratio.
/// </summary>
public static class BenchProbeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var pairs = new Option<int>("--pairs") { Description = "Pairs of blocks (one without, one with the probe).", DefaultValueFactory = _ => 10 };
        var perBlock = new Option<int>("--per-block") { Description = "Connects per block (each block starts from an empty range).", DefaultValueFactory = _ => 1000 };
        var backend = new Option<string>("--backend") { Description = "auto (fentry → kprobe → tracepoint), fentry, kprobe or tracepoint.", DefaultValueFactory = _ => "auto" };
        var cmd = new Command("bench-probe", "Measure the probe's connect() overhead (alternating blocks with and without it; needs root and BPF).");
        cmd.Options.Add(pairs);
        cmd.Options.Add(perBlock);
        cmd.Options.Add(backend);
        cmd.SetAction(parse => Run(parse.GetValue(pairs), parse.GetValue(perBlock), parse.GetValue(backend) ?? "auto"));
        return cmd;
    }

    private const ushort Port = 7000;

    private static int Run(int pairs, int perBlock, string backendName)
    {
        if (pairs is < 1 or > 1000) throw new UsageException("--pairs must be 1..1000");
        if (perBlock is < 10 or > 20_000) throw new UsageException("--per-block must be 10..20000");
        var backends = ProbeCommand.ParseBackends(backendName);
        var options = new ProbeOptions { Backends = backends, DrainPeriod = TimeSpan.FromSeconds(1) };
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
        var with = new List<long>();
        var blockMedians = new JsonArray();
        long events = 0, lost = 0, failed = 0;
        ProbeBackend? used = null;
        IReadOnlyList<BackendAttempt> attempts = [];

        Block(ns, perBlock, null); // warm-up, discarded
        for (int k = 0; k < pairs; k++)
        {
            bool probeFirst = (k & 1) == 1; // ABBA
            for (int half = 0; half < 2; half++)
            {
                bool probe = (half == 0) == probeFirst;
                ProbeSession? session = null;
                try
                {
                    if (probe)
                    {
                        try { session = ProbeSession.Open(options); }
                        catch (ProbeUnavailableException e)
                        {
                            Console.Error.WriteLine($"portsel: {e.Message}");
                            return CliApp.Unavailable;
                        }
                        used = session.Backend;
                        attempts = session.Attempts;
                        int rc = session.Trace(tid);
                        if (rc < 0) throw new ProbeUnavailableException($"cannot register tid {tid} with the probe: {LibC.Describe(-rc)}");
                    }
                    var (durations, fails) = Block(ns, perBlock, session);
                    failed += fails;
                    (probe ? with : without).AddRange(durations);
                    blockMedians.Add(new JsonObject { ["probe"] = probe, ["median_ns"] = Median(durations) });
                    if (session is not null)
                    {
                        events += session.TakeEvents().Count;
                        lost += session.LostEvents;
                        session.Untrace(tid);
                    }
                }
                finally
                {
                    session?.Dispose();
                }
            }
        }

        double mWithout = Median(without), mWith = Median(with);
        Json.Print(new JsonObject
        {
            ["kernel"] = KernelClock.Release(),
            ["backend"] = used is { } b ? Json.Kebab(b) : null,
            ["attempts"] = new JsonArray([.. attempts.Select(a => (JsonNode)new JsonObject
            {
                ["backend"] = Json.Kebab(a.Backend), ["succeeded"] = a.Succeeded, ["reason"] = a.Reason,
            })]),
            ["pairs"] = pairs,
            ["connects_per_block"] = perBlock,
            ["connects_without"] = without.Count,
            ["connects_with"] = with.Count,
            ["failed_connects"] = failed,
            ["median_connect_ns_without"] = mWithout,
            ["median_connect_ns_with"] = mWith,
            ["ratio"] = mWithout > 0 ? mWith / mWithout : null,
            ["overhead_percent"] = mWithout > 0 ? (mWith / mWithout - 1) * 100 : null,
            ["events"] = events,
            ["lost_events"] = lost,
            ["blocks"] = blockMedians,
        });
        return CliApp.Ok;
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

    private static double Median(List<long> xs)
    {
        if (xs.Count == 0) return 0;
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2.0;
    }
}
