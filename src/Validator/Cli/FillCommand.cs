using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Validator.Cli;

/// <summary><c>portsel fill</c>: sequential connects, every socket kept, simulated by the model until EADDRNOTAVAIL.</summary>
public static class FillCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var kernel = new KernelOptions();
        var range = new Option<string?>("--range") { Description = "ip_local_port_range as LOW-HIGH. Default: the era's default (32768-60999 since 4.2)." };
        var reserved = new Option<string?>("--reserved") { Description = "ip_local_reserved_ports in sysctl syntax, e.g. 40100-40199." };
        var destinations = new Option<int>("--destinations") { Description = "K destination ports (dport, dport+1, …) sharing the range; connects go round-robin over those not yet exhausted.", DefaultValueFactory = _ => 1 };
        var count = new Option<int?>("--count") { Description = "Make exactly this many connects, going on past EADDRNOTAVAIL (failing connects change no state). Default: stop at each destination's first EADDRNOTAVAIL." };
        var reference = new Option<bool>("--reference") { Description = "Use the step-by-step reference scan instead of the (identical, much faster) fast scan." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the simulated boot (secret, table_perturb fill) and of the draws.", DefaultValueFactory = _ => 1 };
        var sockRange = new Option<string?>("--per-socket-range") { Description = "IP_LOCAL_PORT_RANGE on every socket, LO-HI or raw u32 (0xFFFF0000 = step 1 without narrowing, 6.8+)." };
        var saddr = new Option<string>("--saddr") { Description = "Source address.", DefaultValueFactory = _ => "127.0.0.1" };
        var daddr = new Option<string>("--daddr") { Description = "Destination address.", DefaultValueFactory = _ => "127.0.0.1" };
        var dport = new Option<int>("--dport") { Description = "First destination port.", DefaultValueFactory = _ => 5000 };
        var json = new Option<bool>("--json") { Description = "Print JSON: connects [{n, destination, port, candidates}] and summary {successes, first_failure, parity_switch_at, max_candidates}." };

        var cmd = new Command("fill",
            "Simulate N sequential connect()s from one source to one (or K) destinations, keeping every socket, until " +
            "EADDRNOTAVAIL: the order in which ports are used, the parity switch, and the scan length of each connect.\n\n" +
            "Example: portsel fill --kernel 6.18 --range 40000-40999 --json");
        kernel.AddTo(cmd);
        foreach (var o in new Option[] { range, reserved, destinations, count, seed, sockRange, saddr, daddr, dport, reference, json }) cmd.Options.Add(o);

        cmd.SetAction(parse =>
        {
            var (profile, profileSource) = kernel.Resolve(parse);
            var cfg = NamespaceConfig.DefaultsFor(profile);
            if (parse.GetValue(range) is { } rt) cfg = cfg with { Range = Parsing.Range("--range", rt) };
            cfg = cfg with { Reserved = Parsing.Ports("--reserved", parse.GetValue(reserved)) };
            var (errors, warnings) = cfg.Validate(profile);
            if (errors.Count > 0) throw new UsageException(errors[0]);
            int k = parse.GetValue(destinations);
            int dp = parse.GetValue(dport);
            if (k is < 1 or > 4096) throw new UsageException($"--destinations {k}: accepted 1-4096");
            if (dp < 1 || dp + k - 1 > 65535) throw new UsageException($"--dport {dp} with {k} destinations leaves 1-65535");
            int? max = parse.GetValue(count);
            if (max is < 1) throw new UsageException($"--count {max}: must be at least 1");
            var sock = PerSocketRange.Unset;
            if (parse.GetValue(sockRange) is { } sr && !PerSocketRange.TryParse(sr, out sock, out var sre))
                throw new UsageException($"--per-socket-range: {sre}");
            var src = Parsing.Address("--saddr", parse.GetValue(saddr)!);
            var dst = Parsing.Address("--daddr", parse.GetValue(daddr)!);
            bool asJson = parse.GetValue(json);

            ulong s = parse.GetValue(seed);
            var host = new KernelHost(profile, new SeededDraws(s), KernelPortOffset.ForSimulation(profile, new SeededDraws(s ^ 0x5EED)));
            host.UseReferenceScan = parse.GetValue(reference);
            int ns = host.AddNamespace(cfg);
            var options = new SocketOptions { LocalPortRange = sock };

            var connects = new JsonArray();
            var exhausted = new bool[k];
            var successes = new int[k];
            int n = 0, maxCandidates = 0, failures = 0;
            int? firstFailure = null, paritySwitch = null;
            int lowParity = cfg.Range.Low & 1;
            var sw = Stopwatch.StartNew();
            bool progress = !Console.IsErrorRedirected;
            int limit = max ?? int.MaxValue;
            while (n < limit && exhausted.Any(e => !e))
            {
                for (int d = 0; d < k && n < limit; d++)
                {
                    if (exhausted[d]) continue;
                    n++;
                    var r = host.Connect(host.Socket(ns, options), dst, dp + d, routedSource: src);
                    maxCandidates = Math.Max(maxCandidates, r.Counters.Candidates);
                    if (r.Port is int port)
                    {
                        successes[d]++;
                        if (paritySwitch is null && (port & 1) != lowParity) paritySwitch = n;
                    }
                    else
                    {
                        exhausted[d] = max is null;   // with --count, keep connecting past EADDRNOTAVAIL
                        failures++;
                        firstFailure ??= n;
                    }
                    if (asJson)
                        connects.Add(new JsonObject { ["n"] = n, ["destination"] = $"{dst}:{dp + d}", ["port"] = r.Port, ["candidates"] = r.Counters.Candidates });
                    else if (n <= 20 || (r.Port is null && failures <= 3) || (r.Port is int p2 && (p2 & 1) != lowParity && paritySwitch == n))
                        Console.WriteLine($"{n,7}  {dst}:{dp + d}  {(r.Port?.ToString() ?? "EADDRNOTAVAIL"),13}  {r.Counters.Candidates,6} candidates");
                    if (progress && n % 5000 == 0 && sw.ElapsedMilliseconds > 2000)
                        Console.Error.WriteLine($"portsel fill: {n} connects, {sw.Elapsed.TotalSeconds:F1} s");
                }
            }
            var summary = new JsonObject
            {
                ["kernel"] = profile.Version.ToString(),
                ["era"] = profile.Era.ToString(),
                ["range"] = cfg.Range.ToString(),
                ["connects"] = n,
                ["successes"] = successes.Sum(),
                ["failures"] = failures,
                ["successes_per_destination"] = new JsonArray(successes.Select(x => (JsonNode)x).ToArray()),
                ["first_failure"] = firstFailure,
                ["parity_switch_at"] = paritySwitch,
                ["max_candidates"] = maxCandidates,
                ["seed"] = s,
            };
            if (asJson)
                Json.Print(new JsonObject { ["connects"] = connects, ["summary"] = summary, ["warnings"] = new JsonArray(warnings.Select(w => (JsonNode)w).ToArray()) });
            else
            {
                foreach (var w in warnings) Console.WriteLine($"warning  {w}");
                Console.WriteLine($"kernel {profile} [{profileSource}], range {cfg.Range}: {successes.Sum()} successes in {n} connects " +
                                  $"(per destination: {string.Join(", ", successes)}); first failure at connect {firstFailure?.ToString() ?? "-"}; " +
                                  $"parity switch at connect {paritySwitch?.ToString() ?? "-"}; longest scan {maxCandidates} candidates");
            }
            return CliApp.Ok;
        });
        return cmd;
    }
}
