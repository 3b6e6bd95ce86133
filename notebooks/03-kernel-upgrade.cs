#:project ../src/Model/PortSelection.Model.csproj
#:project ../src/Validator/PortSelection.Validator.csproj
#:property PublishAot=false

// ──────────────────────────────────────────────────────────────────────────────────────────────
// 03 — Kernel upgrade: the same client workload on 4.4, 5.10.125, 6.1 and 6.18
//
// The way Linux picks a local port for connect() changed several times ("eras"): 4.2–4.5 walk the
// whole range from a per-destination hint; 4.6 introduced the two-pass parity scan (the 50 % cliff);
// 5.12 added a perturbation table; 5.18 (and the 2022 stable backports, e.g. 5.10.119+) randomised the
// increments and re-key the table every 10 s; 6.1 added a second bind hash (bhash2); 6.14 made the
// TIME_WAIT reuse delay configurable in ms; 6.15 stopped taking a lock for every busy port (RCU
// pre-check), which makes each probe several times cheaper; 6.18 releases bind buckets earlier.
// Listen queues changed too (somaxconn 128 → 4096 in 5.4, linear SYN timeouts in 6.5).
//
// This notebook runs one workload — one upstream (10.0.0.2:443), keep-alive off (one short request
// per connection), client closes first so every port sits 60 s in TIME_WAIT, Poisson arrivals at a
// rate that takes the default range just past the 50 % cliff — on four kernels, with tcp_tw_reuse at
// the era default and at 1, and puts scan length, CPU per connect (calibration vm-6.18), EADDRNOTAVAIL,
// TIME_WAIT reuse and the listener's capacity side by side.
// Run: dotnet run notebooks/03-kernel-upgrade.cs -- --out DIR   (default notebooks/out/03-kernel-upgrade)
// ──────────────────────────────────────────────────────────────────────────────────────────────

using System.Diagnostics;
using System.Globalization;
using PortSelection.Model.Cost;
using PortSelection.Model.Kernel;
using PortSelection.Model.Listen;
using PortSelection.Model.Ports;
using PortSelection.Model.Queueing;
using PortSelection.Model.Simulation;
using PortSelection.Validator.Reports;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
string outDir = OutDir(args, "03-kernel-upgrade");
var releases = new[] { "4.4", "5.10.125", "6.1", "6.18" };
var cal = CostCalibration.Vm618;
const long Budget = 7_000_000;        // scan candidates per variant (the simulation stops and says so when spent)
const double DurationS = 60;
const double LifetimeMs = 20;
var kernels = releases.Select(KernelProfile.FromRelease).ToArray();
int capacity = PortCapacity.Reachable(kernels[^1], NamespaceConfig.DefaultsFor(kernels[^1]), PerSocketRange.Unset);
// (C/2 + post)/60 s: just past the cliff, with the post-cliff connects costing about 80 % of the budget (as portsel whatif)
double post = Math.Clamp(0.8 * Budget / (capacity / 2.0), 50, 0.1 * capacity);
double rate = Math.Round((capacity / 2.0 + post) / DurationS);
var sections = new List<ReportSection>();

sections.Add(new ReportSection("What this notebook shows",
[
    new ReportText(
        "How Linux picks the local port of a connect() changed several times. 4.2–4.5 walk the range from a per-destination hint; 4.6 " +
        "introduced the two-pass parity scan (even ports first — the 50 % cliff); 5.12 added a perturbation table; 5.18 and the 2022 " +
        "stable backports (5.10.119+, so 5.10.125 here) randomised the increments and re-key every 10 s; 6.1 added a second bind hash; " +
        "6.14 made the TIME_WAIT reuse delay configurable; 6.15 stopped taking a lock for every busy port it examines (RCU pre-check), " +
        "so each probe is several times cheaper; 6.18 releases bind buckets as soon as their owner leaves. Listen queues changed too: " +
        "`somaxconn` went from 128 to 4096 in 5.4 and 6.5 made the first SYN retransmissions linear."),
    new ReportText(
        $"One workload on four kernels: one upstream (10.0.0.2:443), keep-alive off (each connection lives {LifetimeMs:0} ms on average), the " +
        $"client closes first so each port then sits 60 s in TIME_WAIT, Poisson arrivals at {rate:0} connections/s — enough to take the " +
        $"default range ({capacity} ports) just past 50 % within {DurationS:0} s. Each kernel runs with its default `tcp_tw_reuse` and with " +
        "`tcp_tw_reuse = 1` (TIME_WAIT ports of the same destination may be reused once 1 s old, given TCP timestamps). CPU uses the " +
        $"calibration `{cal.Name}` for every kernel — only the *work* (probes, locks) differs by era: {cal.Source}."),
]));

// ── the sweep ───────────────────────────────────────────────────────────────────────────────
var variants = new List<(string Name, WorkloadSpec Spec)>();
foreach (var k in kernels)
    foreach (int? tw in new int?[] { null, 1 })
    {
        var ns = NamespaceConfig.DefaultsFor(k);
        if (tw is int t) ns = ns with { TcpTwReuse = t };
        variants.Add(($"{k.Version}{(tw is null ? "" : ", tw_reuse=1")}", new WorkloadSpec
        {
            Kernel = k, Namespace = ns, Destinations = [new WorkloadDestination(new Ipv4Address(0x0A000002), 443)],
            Arrivals = new ArrivalProcess(ArrivalKind.Poisson, rate), Lifetime = LifetimeDistribution.Exponential(LifetimeMs),
            Close = CloseSide.Client, DurationMs = (long)(DurationS * 1000), StepMs = 1000, Seed = 1, CandidateBudget = Budget, Calibration = cal,
        }));
    }
foreach (var v in variants)
    if (v.Spec.Validate() is { } err) throw new InvalidOperationException($"{v.Name}: {err}");
var results = WorkloadSweep.Run(variants.Select(v => v.Spec).ToList());

var x = Enumerable.Range(0, 101).Select(p => (p + 0.5) / 100.0).ToArray();
double[] PerBin(WorkloadResult r, Func<OccupancyBin, double> f)
{
    var y = Enumerable.Repeat(double.NaN, 101).ToArray();
    foreach (var g in r.Bins.SelectMany(b => b).GroupBy(b => b.Percent))
    {
        int n = g.Sum(b => b.Attempts);
        if (n > 0) y[g.Key] = g.Sum(b => f(b) * b.Attempts) / n;
    }
    return y;
}
var defaults = Enumerable.Range(0, variants.Count).Where(i => i % 2 == 0).ToArray();
var reuse = Enumerable.Range(0, variants.Count).Where(i => i % 2 == 1).ToArray();

var summary = new ReportTable(["variant", "era", "tcp_tw_reuse", "connects", "EADDRNOTAVAIL", "first failure (s)", "peak occupancy", "mean scan", "mean CPU µs / connect",
        "CPU µs / connect past 50 %", "TIME_WAIT reused", "truncated"],
    variants.Select((v, i) =>
    {
        var r = results[i];
        var bins = r.Bins.SelectMany(b => b).ToList();
        var past = bins.Where(b => b.Percent >= 50 && b.Attempts > 0).ToList();
        double pastCpu = past.Count == 0 ? double.NaN : past.Sum(b => b.CpuUsPerConnect * b.Attempts) / past.Sum(b => b.Attempts);
        double scan = bins.Sum(b => b.Scan.Mean * b.Attempts) / Math.Max(1, bins.Sum(b => b.Attempts));
        double peak = r.Steps.Max(s => s.Destinations[0].Occupancy);
        return (IReadOnlyList<string>)[v.Name, v.Spec.Kernel.Era.ToString(), v.Spec.Namespace.TcpTwReuse.ToString(), r.Attempts.ToString("N0"), r.Failures.ToString("N0"),
            r.FirstFailureMs is long f ? (f / 1000.0).ToString("0.0") : "–", $"{peak:P1}", $"{scan:0.0}",
            $"{(r.CpuUsSamples.IsEmpty ? 0 : r.CpuUsSamples.Average()):0.0}", double.IsNaN(pastCpu) ? "–" : $"{pastCpu:0}", r.TimeWaitRecycled.ToString("N0"), r.Truncated ? "yes" : "no"];
    }).ToList());

sections.Add(new ReportSection("1. Side by side",
[
    summary,
    new ReportText("“TIME_WAIT reused” counts connects that took over a port whose previous connection to the same destination was in TIME_WAIT " +
        "(tcp_tw_reuse; the upstream is not loopback, so the 4.20+ default `2` = loopback only does not apply). “truncated” means the " +
        "candidate budget of the simulation ran out before the end of the run (the run stops there and says so)."),
]));

var scanChart = StandardCharts.ScanLengthVsOccupancy(x, [.. defaults.Select(i => (variants[i].Name, PerBin(results[i], b => b.Scan.Mean)))])
    with { Title = "Scan length vs occupancy, era-default tcp_tw_reuse", Legend = LegendPlacement.TopLeft };
var cpuChart = StandardCharts.CpuPerConnectVsOccupancy(x, [.. defaults.Select(i => (variants[i].Name, PerBin(results[i], b => b.CpuUsPerConnect)))], logY: true)
    with { Title = $"CPU per connect() vs occupancy ({cal.Name})", Legend = LegendPlacement.TopLeft };
var tSeries = results[0].Steps.Select(s => s.EndMs / 1000.0).ToArray();
var cpuTime = new ChartSpec("System CPU spent in port selection over time", AxisSpec.Linear("time", "s"), AxisSpec.Log("CPU", "ms per second"),
    variants.Select((v, i) => Series.Line(v.Name, results[i].Steps.Select(s => s.EndMs / 1000.0).ToArray(), results[i].Steps.Select(s => Math.Max(s.CpuMsPerSecond, 1e-3)).ToArray())).ToArray(),
    LegendPlacement.OutsideRight);
var occTime = new ChartSpec("Ports held for the upstream (established + TIME_WAIT) over time", AxisSpec.Linear("time", "s"), new AxisSpec("Occupancy of the range", "%", Min: 0, Max: 100),
    variants.Select((v, i) => Series.Line(v.Name, results[i].Steps.Select(s => s.EndMs / 1000.0).ToArray(), results[i].Steps.Select(s => 100 * s.Destinations[0].Occupancy).ToArray())).ToArray(),
    LegendPlacement.OutsideRight);
sections.Add(new ReportSection("2. Scan length and CPU by era",
[
    new ReportText("4.4 (era B) has no parity split: it walks from a per-destination hint that advances past the ports it handed out, so " +
        "with ports coming back in the order they were taken (TIME_WAIT expiry) the first candidate is free and there is no cliff. " +
        "5.10.125, 6.1 and 6.18 (era E) all hit the cliff at 50 %, with the same candidates behind it. The 6.15 RCU pre-check does *not* " +
        "help this workload: it skips the bucket lock only for ports whose 4-tuple is an *established* connection, and here the busy " +
        "ports are almost all in TIME_WAIT (possibly reusable, so the kernel checks them under the lock). Era E therefore pays a probe plus a " +
        "lock per busy port on all three kernels (≈ 2.7 ms of system CPU per connect past 50 % with the calibration). A workload whose ports " +
        "are held by long-lived established connections (a pool) should see 6.18 several times cheaper than 5.10/6.1 (not simulated here)."),
    ReportFigure.FromChart("scan-by-kernel", scanChart),
    ReportFigure.FromChart("cpu-by-kernel", cpuChart),
    ReportFigure.FromChart("cpu-over-time", cpuTime),
    ReportFigure.FromChart("occupancy-over-time", occTime),
]));

var reuseRows = kernels.Select((k, j) =>
{
    var a = results[defaults[j]];
    var b = results[reuse[j]];
    return (IReadOnlyList<string>)[k.Version.ToString(), NamespaceConfig.DefaultsFor(k).TcpTwReuse.ToString(), k.TimeWaitAge.ToString(),
        $"{a.Failures:N0} / {a.TimeWaitRecycled:N0}", $"{b.Failures:N0} / {b.TimeWaitRecycled:N0}",
        $"{(a.CpuUsSamples.IsEmpty ? 0 : a.CpuUsSamples.Average()):0.0} → {(b.CpuUsSamples.IsEmpty ? 0 : b.CpuUsSamples.Average()):0.0}"];
}).ToList();
sections.Add(new ReportSection("3. TIME_WAIT reuse",
[
    new ReportText("With the client closing first, TIME_WAIT holds each port for 60 s — here most of the occupancy. `tcp_tw_reuse = 1` lets connect() " +
        "take over a TIME_WAIT port of the same destination once its last timestamp is older than 1 s (before 6.14: one second of the " +
        "timestamp clock; 6.14+: `tcp_tw_reuse_delay`, 1000 ms by default), so the range never fills: the scan stops at the first old " +
        "TIME_WAIT port. The era default is 0 before 4.20 and 2 (loopback only) since — neither helps a remote upstream."),
    new ReportTable(["kernel", "default tcp_tw_reuse", "TIME_WAIT age rule", "default: EADDRNOTAVAIL / reused", "tw_reuse=1: EADDRNOTAVAIL / reused", "mean CPU µs / connect (default → 1)"], reuseRows),
]));

// ── listener ────────────────────────────────────────────────────────────────────────────────
const double Mu = 1000, Rho = 0.95, Rtt = 0.001;
var listenRows = new List<IReadOnlyList<string>>();
foreach (var k in kernels)
{
    var lp = k.Listen;
    var sys = ListenSysctls.Defaults(lp);
    int effective = ListenBacklog.EffectiveBacklog(4096, sys.Somaxconn);
    var sched = ClientSynSchedule.Default(lp);
    var rec = BacklogPlanner.Recommend(new AcceptQueueModel(Rho * Mu, Mu, null, 0), sched, Rtt, 0.1);
    var at128 = BacklogPlanner.Evaluate(new AcceptQueueModel(Rho * Mu, Mu, null, 16), sched, Rtt);
    listenRows.Add([k.Version.ToString(), sys.Somaxconn.ToString(), effective.ToString(), SynQueueLimits.Capacity(lp, sys, effective).ToString("N0"),
        sys.Syncookies.ToString(), string.Join(", ", sched.RetransmitMs.Select(t => (t / 1000.0).ToString("0.#"))) + $" | {sched.GiveUpMs / 1000.0:0} s",
        rec is { } r ? r.Backlog.ToString() : "none", $"{at128.P999.Seconds:0.###} s"]);
}
sections.Add(new ReportSection("4. Listener capacity",
[
    new ReportText("A server that calls `listen(fd, 4096)` gets min(4096, somaxconn) as its backlog: 128 before 5.4, 4096 since. The SYN-queue " +
        "capacity follows the era's rules (`SynQueueLimits.Capacity`, with the era's default `tcp_max_syn_backlog` and syncookies). The " +
        $"recommended backlog is for an accept loop at ρ = {Rho} of μ = {Mu:0}/s and p99 ≤ 100 ms (notebook 02); the last column shows the p99.9 " +
        "connect latency at backlog 16, where the 6.5+ linear SYN schedule makes the second retry come 1 s earlier."),
    new ReportTable(["kernel", "somaxconn", "effective backlog of listen(4096)", "SYN-queue capacity", "syncookies", "SYN retransmissions (s) | give-up",
        "backlog for p99 ≤ 100 ms", "p99.9 at backlog 16"], listenRows),
]));

var doc = new ReportDocument("Notebook 03 — Kernel upgrade: 4.4 → 5.10.125 → 6.1 → 6.18", "PortSelection.Model " + typeof(WorkloadSimulation).Assembly.GetName().Version,
[
    new("kernels", string.Join(", ", kernels.Select(k => $"{k.Version} (era {k.Era})"))),
    new("workload", $"1 upstream 10.0.0.2:443, Poisson {rate:0}/s, lifetime exp({LifetimeMs:0} ms), client closes, {DurationS:0} s, seed 1"),
    new("range", NamespaceConfig.DefaultsFor(kernels[^1]).Range.ToString() + " (era default for all four)"),
    new("budget", $"{Budget:N0} scan candidates per variant"),
    new("cost model", cal.Source),
], sections);
var written = ReportWriter.Write(doc, outDir);
Console.WriteLine($"03-kernel-upgrade: report written to {written.Folder} ({written.Files.Count} files; png: {written.PngStatus}) in {clock.Elapsed.TotalSeconds:0.0} s");
return 0;

static string OutDir(string[] args, string name)
{
    for (int i = 0; i < args.Length - 1; i++)
        if (args[i] == "--out") return args[i + 1];
    return Path.Combine("notebooks", "out", name);
}
