using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PortSelection.Model.Cost;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Simulation;
using PortSelection.Validator.Reports;

namespace PortSelection.Validator.Cli;

/// <summary><c>portsel simulate</c>: one fully specified workload (flags or <c>--spec file.json</c>), per-step output.</summary>
public static class SimulateCommand
{
    private const string Schema =
        "JSON spec (--spec; flags given on the command line override it): {\"kernel\": \"6.18\", \"range\": \"32768-60999\", \"reserved\": \"40000-40099\", " +
        "\"tcp_tw_reuse\": 2, \"destinations\": [\"10.0.0.2:443*3\", \"10.0.0.3:443\"], \"arrival\": \"poisson\"|\"fixed\", \"rate\": 250, " +
        "\"lifetime\": \"exp:20\"|\"fixed:1000\"|\"csv:lifetimes.csv\" (one lifetime in ms per line, first column), \"close\": \"client\"|\"server\", " +
        "\"bind_owned\": \"40000,41000-41009\", \"per_socket_range\": \"0xFFFF0000\", \"sources\": [\"10.0.0.1\", \"10.0.0.5\"] (IP_BIND_ADDRESS_NO_PORT), " +
        "\"duration_s\": 60, \"step_s\": 1, \"seed\": 1, \"budget\": 8000000, \"calibration\": \"vm-6.18\"}";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var spec = new Option<string?>("--spec") { Description = "Workload spec as JSON (schema below).", HelpName = "file.json" };
        var kernel = new Option<string?>("--kernel") { Description = "Kernel release (default 6.18)." };
        var range = new Option<string?>("--range") { Description = "ip_local_port_range LOW-HIGH (default: the era's)." };
        var reserved = new Option<string?>("--reserved") { Description = "ip_local_reserved_ports." };
        var twReuse = new Option<int?>("--tw-reuse") { Description = "tcp_tw_reuse 0|1|2." };
        var dest = new Option<string[]>("--destination") { Description = "ADDR:PORT[*WEIGHT], repeatable (default 10.0.0.2:443).", AllowMultipleArgumentsPerToken = false };
        var arrival = new Option<string?>("--arrival") { Description = "poisson (default) or fixed." };
        var rate = new Option<double?>("--rate") { Description = "Connections per second (default 250)." };
        var lifetime = new Option<string?>("--lifetime") { Description = "exp:MS (default exp:20), fixed:MS or csv:FILE (empirical)." };
        var close = new Option<string?>("--close") { Description = "client (default, TIME_WAIT here) or server." };
        var bindOwned = new Option<string?>("--bind-owned") { Description = "Ports held by listeners in the namespace, e.g. 40000,41000-41009." };
        var perSocket = new Option<string?>("--per-socket-range") { Description = "IP_LOCAL_PORT_RANGE on every socket (0xFFFF0000 = step 1 on 6.8+)." };
        var sources = new Option<string[]>("--source") { Description = "IP_BIND_ADDRESS_NO_PORT source address, repeatable (round-robin)." };
        var duration = new Option<double?>("--duration") { Description = "Simulated seconds (default 60)." };
        var step = new Option<double?>("--step") { Description = "Reporting step in seconds (default 1)." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed (default 1)." };
        var budget = new Option<long?>("--budget") { Description = "Work budget in scan candidates (default 8000000; 0 = none)." };
        var calibration = new Option<string?>("--calibration") { Description = "vm-6.18 (default) or baremetal-7.2." };
        var json = new Option<bool>("--json") { Description = "Print JSON with every step." };
        var outDir = new Option<string?>("--out") { Description = "Write a report into this folder." };
        var cmd = new Command("simulate", "Simulate one workload with the kernel's port selection and print per-step occupancy, scan length, CPU and failures.\n" + Schema);
        foreach (var o in new Option[] { spec, kernel, range, reserved, twReuse, dest, arrival, rate, lifetime, close, bindOwned, perSocket, sources, duration, step, seed, budget, calibration, json, outDir })
            cmd.Options.Add(o);

        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            JsonObject file = [];
            if (parse.GetValue(spec) is { } path)
            {
                try { file = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new UsageException($"--spec {path}: not a JSON object"); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
                { throw new UsageException($"--spec {path}: {e.Message.Split('\n')[0]}"); }
            }
            string? S(Option<string?> o, string key) => parse.GetValue(o) ?? (file[key] is JsonNode n ? n.ToString() : null);
            double? D(Option<double?> o, string key) => parse.GetValue(o) ?? (file[key] is JsonNode n ? n.GetValue<double>() : null);
            string[] A(Option<string[]> o, string key) => parse.GetValue(o) is { Length: > 0 } a ? a : file[key] is JsonArray ja ? ja.Select(x => x!.ToString()).ToArray() : [];

            var profileText = S(kernel, "kernel") ?? "6.18";
            if (!KernelProfile.TryFromRelease(profileText, out var profile, out var perr)) throw new UsageException($"--kernel: {perr}");
            var cfg = NamespaceConfig.DefaultsFor(profile!);
            if (S(range, "range") is { } r) cfg = cfg with { Range = Parsing.Range("--range", r) };
            if (S(reserved, "reserved") is { } rs) cfg = cfg with { Reserved = Parsing.Ports("--reserved", rs) };
            if ((parse.GetValue(twReuse) ?? (file["tcp_tw_reuse"] is JsonNode tn ? tn.GetValue<int>() : null)) is int tw) cfg = cfg with { TcpTwReuse = tw };
            var dests = A(dest, "destinations").Select(ParseDestination).ToArray();
            if (dests.Length == 0) dests = [new WorkloadDestination(WhatifDefaults.FirstUpstream, 443)];
            var kind = (S(arrival, "arrival") ?? "poisson").ToLowerInvariant() switch
            {
                "poisson" => ArrivalKind.Poisson, "fixed" => ArrivalKind.Fixed,
                var x => throw new UsageException($"--arrival '{x}': accepted poisson or fixed"),
            };
            var life = ParseLifetime(S(lifetime, "lifetime") ?? "exp:20");
            var side = (S(close, "close") ?? "client").ToLowerInvariant() switch
            {
                "client" => CloseSide.Client, "server" => CloseSide.Server,
                var x => throw new UsageException($"--close '{x}': accepted client or server"),
            };
            var psr = PerSocketRange.Unset;
            if (S(perSocket, "per_socket_range") is { } ps && !PerSocketRange.TryParse(ps, out psr, out var pse)) throw new UsageException($"--per-socket-range: {pse}");
            var cal = CostCalibration.Find(S(calibration, "calibration") ?? CostCalibration.Vm618.Name)
                      ?? throw new UsageException($"--calibration: accepted {string.Join(", ", CostCalibration.BuiltIn.Select(c => c.Name))}");
            var w = new WorkloadSpec
            {
                Kernel = profile!, Namespace = cfg, Destinations = [.. dests],
                Arrivals = new ArrivalProcess(kind, D(rate, "rate") ?? 250), Lifetime = life, Close = side,
                BindOwnedPorts = Parsing.Ports("--bind-owned", S(bindOwned, "bind_owned")), PerSocketRange = psr,
                NoPortSources = [.. A(sources, "sources").Select(a => Parsing.Address("--source", a))],
                DurationMs = (long)((D(duration, "duration_s") ?? 60) * 1000), StepMs = (long)((D(step, "step_s") ?? 1) * 1000),
                Seed = parse.GetValue(seed) ?? (file["seed"] is JsonNode sn ? sn.GetValue<ulong>() : 1),
                CandidateBudget = parse.GetValue(budget) ?? (file["budget"] is JsonNode bn ? bn.GetValue<long>() : WhatifCommand.DefaultBudget),
                Calibration = cal,
            };
            if (w.Validate() is { } ve) throw new UsageException(ve);
            var variants = new List<WorkloadVariant> { new("workload", w) };
            var progress = new ProgressLine(parse.InvocationConfiguration.Error, "simulate", 1);
            var results = WorkloadSweep.Run([w], 1, progress.Report);
            if (parse.GetValue(outDir) is { } dir)
                ReportWriter.Write(WorkloadOutput.Report("portsel simulate", variants, results,
                    [new("workload", WorkloadOutput.Describe(w)), new("kernel", w.Kernel.Version.ToString()), new("cost model", cal.Source)], [], null), dir);
            if (parse.GetValue(json))
            {
                output.WriteLine(new JsonObject { ["model_version"] = WorkloadOutput.ModelVersion, ["variants"] = WorkloadOutput.VariantsJson(variants, results, withSteps: true) }
                    .ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return CliApp.Ok;
            }
            WorkloadOutput.WriteText(output, variants, results, []);
            output.WriteLine();
            output.WriteLine($"  {"t (s)",6} {"live",7} {"TIME_WAIT",9} {"fail",5} {"CPU ms/s",9}  per destination: in use, occupancy, scan mean/p50/p99/max");
            foreach (var s in results[0].Steps)
                output.WriteLine($"  {s.EndMs / 1000.0,6:F1} {s.Live,7} {s.TimeWait,9} {s.Failures,5} {WorkloadOutput.F(s.CpuMsPerSecond),9}  " +
                    string.Join(" | ", s.Destinations.Select(d => $"{d.InUse} {d.Occupancy * 100:F1}% {WorkloadOutput.F(d.Scan.Mean)}/{d.Scan.P50}/{d.Scan.P99}/{d.Scan.Max}")));
            return CliApp.Ok;
        });
        return cmd;
    }

    private static WorkloadDestination ParseDestination(string text)
    {
        var t = text.Trim();
        double weight = 1;
        int star = t.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0)
        {
            if (!double.TryParse(t[(star + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || !(weight > 0))
                throw new UsageException($"--destination '{text}': weight must be a number > 0; expected ADDR:PORT[*WEIGHT]");
            t = t[..star];
        }
        int colon = t.LastIndexOf(':');
        if (colon <= 0) throw new UsageException($"--destination '{text}': expected ADDR:PORT[*WEIGHT], e.g. 10.0.0.2:443*2");
        int port = (int)Parsing.Number("--destination", t[(colon + 1)..], 65535);
        if (port < 1) throw new UsageException($"--destination '{text}': port must be 1..65535");
        return new WorkloadDestination(Parsing.Address("--destination", t[..colon]), port, weight);
    }

    private static LifetimeDistribution ParseLifetime(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? "" : text[..colon].Trim().ToLowerInvariant();
        var arg = colon < 0 ? "" : text[(colon + 1)..].Trim();
        double Ms() => double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && v <= 1e10 ? v
            : throw new UsageException($"--lifetime '{text}': '{arg}' is not milliseconds 0..1e10");
        switch (kind)
        {
            case "exp": return LifetimeDistribution.Exponential(Ms());
            case "fixed": return LifetimeDistribution.Fixed(Ms());
            case "csv":
                string[] lines;
                try { lines = File.ReadAllLines(arg); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new UsageException($"--lifetime csv: {e.Message}"); }
                var samples = new List<double>();
                foreach (var line in lines)
                {
                    var cell = line.Split(',')[0].Trim();
                    if (cell.Length == 0) continue;
                    if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && v <= 1e10) samples.Add(v);
                    else if (samples.Count > 0) throw new UsageException($"--lifetime csv {arg}: '{cell}' is not milliseconds");
                }
                if (samples.Count == 0) throw new UsageException($"--lifetime csv {arg}: no lifetimes (one number of ms per line)");
                return LifetimeDistribution.Empirical(samples);
            default:
                throw new UsageException($"--lifetime '{text}': expected exp:MS, fixed:MS or csv:FILE");
        }
    }
}
