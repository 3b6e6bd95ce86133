using System.CommandLine;
using System.Globalization;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary>
/// <c>portsel fill</c>: the port-fill experiment in a private namespace with the probe attached
/// (PortFillScenario); writes the JSON Lines trace and prints a summary to stderr.
/// </summary>
public static class LiveFillCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var range = new Option<string>("--range") { Description = "Namespace ip_local_port_range LOW-HIGH.", DefaultValueFactory = _ => "40000-40999" };
        var dports = new Option<int[]>("--dport") { Description = "Destination port(s) on 127.0.0.1; repeatable. Use ports no concurrent run uses.", AllowMultipleArgumentsPerToken = true };
        var count = new Option<int?>("--count") { Description = "Connects per destination (default: range size + 1)." };
        var step1 = new Option<bool>("--socket-range") { Description = "Set IP_LOCAL_PORT_RANGE=0xFFFF0000 on each socket (6.8+: step 1)." };
        var output = new Option<string?>("--out") { Description = "Write the JSON Lines trace to FILE." };
        var seconds = new Option<double>("--time-limit") { Description = "Bound on the workload in seconds.", DefaultValueFactory = _ => 60 };
        var backend = new Option<string>("--backend") { Description = "auto (fentry → kprobe → cgroup → tracepoint → classic), fentry, kprobe, cgroup (cgroup v2 socket programs, connect records only), tracepoint (tp_btf) or classic (tracefs tracepoints).", DefaultValueFactory = _ => "auto" };
        var cmd = new Command("live-fill", "Fill a port range on the LIVE kernel: sequential connects in a private network namespace (portsel-<pid>-<n>, loopback, per-netns sysctls only) with the probe attached; the counterpart of the model's `fill`. Root needed.");
        foreach (var o in new Option[] { range, dports, count, step1, output, seconds, backend }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var (low, high) = ParseRange(parse.GetValue(range)!);
            var dests = parse.GetValue(dports) is { Length: > 0 } d ? d : [5100];
            if (dests.Any(p => p is <= 0 or > 65535)) throw new UsageException("--dport must be 1..65535");
            var n = parse.GetValue(count) ?? (high - low + 2);
            var limit = parse.GetValue(seconds);
            if (limit is <= 0 or > 3600) throw new UsageException("--time-limit must be in (0, 3600]");
            var request = new PortFillRequest
            {
                RangeLow = low,
                RangeHigh = high,
                Destinations = dests.Select(p => (ushort)p).ToList(),
                Count = n,
                TimeLimit = TimeSpan.FromSeconds(limit),
                Socket = parse.GetValue(step1) ? new ConnectSocketOptions { LocalPortRange = (0, 65535) } : new ConnectSocketOptions(),
                Probe = new ProbeOptions { Backends = ProbeCommand.ParseBackends(parse.GetValue(backend) ?? "auto", ProbeBackendSpec.ConnectRecordOrder) },
            };
            PortFillResult result;
            try
            {
                result = PortFillScenario.Run(request);
            }
            catch (ProbeUnavailableException e)
            {
                Console.Error.WriteLine($"portsel: {e.Message}");
                return CliApp.Unavailable;
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            if (parse.GetValue(output) is { } path)
            {
                using var f = new FileStream(path, FileMode.Create, FileAccess.Write);
                result.WriteTrace(f);
            }
            var ok = result.Connects.Count(c => c.Succeeded);
            var failed = result.Connects.Where(c => !c.Succeeded).Select(c => $"#{c.Index} {LibC.ErrnoName(c.Errno)}").Take(5);
            var mismatches = result.Connects.Zip(result.Traces).Count(p => p.First.Succeeded && p.First.LocalPort != p.Second.ChosenPort);
            Console.Error.WriteLine($"portsel: backend {result.Backend.ToString().ToLowerInvariant()}, netns {result.Namespace}: {ok} connected, failures [{string.Join(", ", failed)}], stopped: {result.StopReason}");
            Console.Error.WriteLine($"portsel: {result.Events.Count} events, {result.LostEvents} lost, probe/getsockname port mismatches {mismatches}");
            var scans = result.Traces.Where(t => t.ScanNs is not null).Select(t => t.ScanNs!.Value / 1000.0).Order().ToArray();
            if (scans.Length > 0)
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"portsel: scan bracket µs: min {scans[0]:0.0}, median {scans[scans.Length / 2]:0.0}, max {scans[^1]:0.0}"));
            return CliApp.Ok;
        });
        return cmd;
    }

    private static (ushort Low, ushort High) ParseRange(string s)
    {
        var parts = s.Split('-', ' ', '\t');
        if (parts.Length != 2 || !ushort.TryParse(parts[0], out var lo) || !ushort.TryParse(parts[1], out var hi) || lo == 0 || hi < lo)
            throw new UsageException($"--range must be LOW-HIGH with 1 <= LOW <= HIGH <= 65535 (got '{s}')");
        return (lo, hi);
    }
}
