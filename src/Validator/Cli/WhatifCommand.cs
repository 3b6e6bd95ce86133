using System.CommandLine;
using System.Text.Json.Nodes;
using PortSelection.Model.Cost;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Simulation;
using PortSelection.Validator.Reports;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary>
/// <c>portsel whatif</c>: the main job. Simulates a client workload on the running (or a given) kernel and namespace
/// and answers "how slow does connect() get, and when does it fail?" — occupancy → scan length (simulated and
/// analytic), CPU per connect, failure probability — plus the listener summary; <c>--compare</c> runs variants side by side.
/// </summary>
public static class WhatifCommand
{
    /// <summary>Default work budget per variant (scan candidates), which keeps the default run under 10 s on 2 cores.</summary>
    public const long DefaultBudget = 8_000_000;

    /// <summary>Builds the command, reading the running system's sysctls (read-only).</summary>
    public static Command Create() => Create(() => HostSysctls.Read(), () => HostPortSysctls.Read());

    /// <summary>Builds the command with injectable host readers (tests).</summary>
    internal static Command Create(Func<HostSysctls> readHost, Func<HostPortSysctls> readPorts)
    {
        var kernel = new Option<string?>("--kernel") { Description = "Kernel release to model (default: the running kernel; 6.18 when unreadable). The running namespace's sysctls are used only when this is the running kernel.", HelpName = "release" };
        var range = new Option<string?>("--range") { Description = "ip_local_port_range LOW-HIGH (default: the namespace's, else the era's).", HelpName = "low-high" };
        var reserved = new Option<string?>("--reserved") { Description = "ip_local_reserved_ports, e.g. 40000-40099 (default: the namespace's).", HelpName = "ports" };
        var twReuse = new Option<int?>("--tw-reuse") { Description = "tcp_tw_reuse 0|1|2 (default: the namespace's, else the era's).", HelpName = "0|1|2" };
        var destinations = new Option<int>("--destinations") { Description = "Number of upstreams 10.0.0.2…:443 sharing the load equally.", DefaultValueFactory = _ => 1, HelpName = "k" };
        var rate = new Option<double?>("--rate") { Description = "New connections per second, Poisson (default: a rate that takes the tightest variant just past the 50 % parity cliff in 60 s).", HelpName = "conn/s" };
        var lifetime = new Option<double>("--lifetime-ms") { Description = "Mean connection lifetime (exponential), ms; keep-alive off ⇒ one short request.", DefaultValueFactory = _ => 20, HelpName = "ms" };
        var close = new Option<string>("--close") { Description = "Who closes first: client (TIME_WAIT 60 s on this host) or server.", DefaultValueFactory = _ => "client", HelpName = "client|server" };
        var duration = new Option<double>("--duration") { Description = "Simulated seconds.", DefaultValueFactory = _ => 60, HelpName = "s" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the simulated boot and workload.", DefaultValueFactory = _ => 1 };
        var calibration = new Option<string>("--calibration") { Description = "Cost model calibration: vm-6.18 (48 ns/probe, fixed 3 µs) or baremetal-7.2 (10 ns/probe).", DefaultValueFactory = _ => CostCalibration.Vm618.Name };
        var compare = new Option<string?>("--compare") { Description = "Run variants side by side: " + CompareAxis.Syntax + ", kernel=5.10.125,6.18, destinations=1,4, step1=off,on.", HelpName = "key=v1,v2" };
        var budget = new Option<long>("--budget") { Description = "Work budget per variant in scan candidates (the simulation stops and says so when spent); 0 = none.", DefaultValueFactory = _ => DefaultBudget };
        var acceptRate = new Option<double?>("--accept-rate") { Description = "Listener summary: accept() completions per second of the upstream, for its drop probability.", HelpName = "conn/s" };
        var ignoreHost = new Option<bool>("--ignore-host") { Description = "Do not read the running system; model 6.18 with its defaults (reproducible)." };
        var json = new Option<bool>("--json") { Description = "Print JSON: {kernel, notes, variants:[{name, capacity_per_destination, rows:[{occupancy_from_pct, scan_mean, scan_analytic, cpu_us_per_connect, failure_sim, failure_erlang_b…}], summary}], listener}." };
        var outDir = new Option<string?>("--out") { Description = "Write a report (report.md, report.html, SVG/PNG charts) into this folder.", HelpName = "dir" };

        var cmd = new Command("whatif",
            "What happens to connect() on this host as ports fill up? Simulates a client workload (default: one upstream, keep-alive off, " +
            "a rate that reaches the parity cliff) with the kernel's own port-selection algorithm and prints occupancy → scan length " +
            "(simulated and analytic), predicted CPU per connect, EADDRNOTAVAIL probability, and the listener summary.\n" +
            "Examples:\n  portsel whatif\n  portsel whatif --compare range=32768-60999,1024-65535\n  portsel whatif --compare kernel=5.10.125,6.18 --out report/");
        foreach (var o in new Option[] { kernel, range, reserved, twReuse, destinations, rate, lifetime, close, duration, seed, calibration, compare, budget, acceptRate, ignoreHost, json, outDir })
            cmd.Options.Add(o);

        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var notes = new List<string>();
            bool ignore = parse.GetValue(ignoreHost);
            var host = ignore ? HostSysctls.None : readHost();
            var ports = ignore ? HostPortSysctls.None : readPorts();

            KernelProfile profile;
            string kernelSource;
            if (parse.GetValue(kernel) is { } kr)
            {
                if (!KernelProfile.TryFromRelease(kr, out var p, out var e)) throw new UsageException($"--kernel: {e}");
                (profile, kernelSource) = (p!, "--kernel");
            }
            else if (host.KernelRelease is { } hr && KernelProfile.TryFromRelease(hr, out var hp, out _))
                (profile, kernelSource) = (hp!, "running kernel");
            else
                (profile, kernelSource) = (KernelProfile.FromRelease("6.18"), ignore ? "default 6.18 (--ignore-host)" : "default 6.18 (running kernel unreadable)");
            bool hostApplies = host.KernelRelease is { } rel && KernelVersion.TryParse(rel, out var hv, out _) &&
                               hv.Major == profile.Version.Major && hv.Minor == profile.Version.Minor;
            notes.Add($"kernel {profile.Version} era {profile.Era} [{kernelSource}]" + (hostApplies ? "" : "; sysctls: the era's defaults (host values apply only to the running kernel)"));
            var cfg = WhatifDefaults.Namespace(profile, hostApplies, ports, parse.GetValue(range), parse.GetValue(reserved), parse.GetValue(twReuse), notes);
            var (errors, warnings) = cfg.Validate(profile);
            if (errors.Count > 0) throw new UsageException(errors[0]);
            notes.AddRange(warnings.Select(w => "warning: " + w));

            int k = parse.GetValue(destinations);
            if (k is < 1 or > 256) throw new UsageException($"--destinations {k}: accepted 1..256");
            double life = parse.GetValue(lifetime);
            if (!(life >= 0) || life > 1e9) throw new UsageException($"--lifetime-ms {life}: accepted 0..1e9");
            var closeSide = parse.GetValue(close)!.Trim().ToLowerInvariant() switch
            {
                "client" => CloseSide.Client,
                "server" => CloseSide.Server,
                var c => throw new UsageException($"--close '{c}': accepted client or server"),
            };
            double dur = parse.GetValue(duration);
            if (!(dur >= 1) || dur > 3600) throw new UsageException($"--duration {dur}: accepted 1..3600 s");
            long work = parse.GetValue(budget);
            if (work < 0) throw new UsageException("--budget must be ≥ 0");
            var cal = CostCalibration.Find(parse.GetValue(calibration)!)
                      ?? throw new UsageException($"--calibration '{parse.GetValue(calibration)}': accepted {string.Join(", ", CostCalibration.BuiltIn.Select(c => c.Name))}");
            double? accept = parse.GetValue(acceptRate);
            if (accept is double ar && (!(ar > 0) || ar > 1e9)) throw new UsageException($"--accept-rate {ar}: accepted (0, 1e9] conn/s");

            var baseSpec = new WorkloadSpec
            {
                Kernel = profile, Namespace = cfg, Destinations = WhatifDefaults.Destinations(k),
                Arrivals = new ArrivalProcess(ArrivalKind.Poisson, 1), Lifetime = LifetimeDistribution.Exponential(life),
                Close = closeSide, DurationMs = (long)(dur * 1000), StepMs = 1000, Seed = parse.GetValue(seed), CandidateBudget = work, Calibration = cal,
            };
            var axis = parse.GetValue(compare) is { } cmp
                ? CompareAxis.Parse(cmp)
                : [("baseline", s => s)];
            List<WorkloadVariant> Build(double r) => axis.Select(a => new WorkloadVariant(a.Name, a.Apply(baseSpec with { Arrivals = baseSpec.Arrivals with { RatePerSecond = r } }))).ToList();
            var variants = Build(1);
            foreach (var v in variants)
                if (v.Spec.Validate() is { } ve) throw new UsageException($"variant {v.Name}: {ve}");
            if (parse.GetValue(rate) is double fixedRate)
            {
                if (!(fixedRate > 0) || fixedRate > 1e6) throw new UsageException($"--rate {fixedRate}: accepted (0, 1e6] conn/s");
                variants = Build(fixedRate);
            }
            else
            {
                int cmin = variants.Min(v => PortCapacity.PerDestination(v.Spec with { Destinations = [v.Spec.Destinations[0]] }));
                double auto = WhatifDefaults.CliffRate(cmin, work == 0 ? DefaultBudget : work, dur);
                notes.Add($"rate {auto} conn/s (Poisson) chosen to take the tightest variant (capacity {cmin}) just past 50 % occupancy of one upstream in {Math.Min(60, dur):G4} s");
                variants = Build(auto);
            }

            var progress = new ProgressLine(error, "whatif", variants.Count);
            var results = WorkloadSweep.Run(variants.Select(v => v.Spec).ToList(), -1, progress.Report);

            var listenFlags = new BacklogInputs.Flags(profile.Version.ToString(), null, null, null, null, null, null, null, null, null,
                accept is null ? null : variants[0].Spec.Arrivals.RatePerSecond / k, accept, null, null, false, null, ignore);
            var listener = BacklogReport.Build(BacklogInputs.Resolve(listenFlags, host));

            if (parse.GetValue(outDir) is { } dir)
            {
                var inputs = new List<KeyValuePair<string, string>>
                {
                    new("command", "portsel whatif " + string.Join(' ', parse.Tokens.Select(t => t.Value))),
                    new("kernel", $"{profile.Version} [{kernelSource}]"),
                    new("workload", WorkloadOutput.Describe(variants[0].Spec)),
                    new("cost model", cal.Source),
                };
                inputs.AddRange(notes.Select((n, i) => new KeyValuePair<string, string>($"note {i + 1}", n)));
                var written = ReportWriter.Write(WorkloadOutput.Report("portsel whatif", variants, results, inputs, notes, listener), dir);
                error.WriteLine($"portsel whatif: report written to {written.Folder} ({written.Files.Count} files; png: {written.PngStatus})");
            }

            if (parse.GetValue(json))
            {
                var j = new JsonObject
                {
                    ["kernel"] = profile.Version.ToString(),
                    ["kernel_source"] = kernelSource,
                    ["model_version"] = WorkloadOutput.ModelVersion,
                    ["calibration"] = cal.Source,
                    ["notes"] = new JsonArray(notes.Select(n => (JsonNode)n).ToArray()),
                    ["variants"] = WorkloadOutput.VariantsJson(variants, results, withSteps: false),
                    ["listener"] = JsonNode.Parse(BacklogCommand.ToJson(listener)),
                };
                output.WriteLine(j.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            }
            else
            {
                WorkloadOutput.WriteText(output, variants, results, notes);
                output.WriteLine();
                output.WriteLine(WorkloadOutput.ListenerText(listener));
            }
            return CliApp.Ok;
        });
        return cmd;
    }
}
