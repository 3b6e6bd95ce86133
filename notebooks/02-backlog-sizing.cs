#:project ../src/Model/PortSelection.Model.csproj
#:project ../src/Validator/PortSelection.Validator.csproj
#:property PublishAot=false

// ──────────────────────────────────────────────────────────────────────────────────────────────
// 02 — Backlog sizing: how big must listen()'s backlog be?
//
// A server's listening socket queues completed handshakes until the application calls accept().
// The queue holds backlog + 1 connections (backlog = min(listen() argument, net.core.somaxconn)).
// When it is full, the kernel drops the client's SYN (or the final ACK); the client does not see
// an error — it just retransmits its SYN after 1 s, then 3 s, 7 s … (≤ 6.4) or 1, 2, 3, 4, 5, 7 s …
// (6.5+, tcp_syn_linear_timeouts = 4). One dropped SYN therefore turns a 1 ms connect into a 1 s one.
//
// The model treats the accept queue as a finite queue: M/M/1/K for an accept() loop of rate μ, or
// M/M/c/K for c worker threads that accept and then process a connection. Dropped SYNs come back
// as retrials, which raise the offered load (a fixed point). From the per-SYN drop probability and
// the era's SYN schedule follows the connect latency distribution (p50 / p99 / p99.9), and the
// smallest backlog that meets a latency target.
// Run: dotnet run notebooks/02-backlog-sizing.cs -- --out DIR   (default notebooks/out/02-backlog-sizing)
// ──────────────────────────────────────────────────────────────────────────────────────────────

using System.Diagnostics;
using System.Globalization;
using PortSelection.Model.Kernel;
using PortSelection.Model.Listen;
using PortSelection.Model.Queueing;
using PortSelection.Validator.Reports;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
string outDir = OutDir(args, "02-backlog-sizing");
const double Mu = 1000;          // accepts per second of the accept loop (or c workers × μ/c)
const int Workers = 8;
const double Rtt = 0.001;        // 1 ms RTT
const double TargetP99 = 0.100;  // 100 ms
var loads = new[] { 0.8, 0.95, 1.05 };
var backlogs = new[] { 0, 1, 2, 4, 8, 16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024 };
var bx = backlogs.Select(b => (double)b).ToArray();
var modern = KernelProfile.FromRelease("6.18").Listen;
var legacy = KernelProfile.FromRelease("6.1").Listen;
var schedModern = ClientSynSchedule.Default(modern);
var schedLegacy = ClientSynSchedule.Default(legacy);
var sections = new List<ReportSection>();

sections.Add(new ReportSection("What this notebook shows",
[
    new ReportText(
        "A listening socket queues completed handshakes until the application calls accept(). The queue holds backlog + 1 connections " +
        "(backlog = min(listen() argument, `net.core.somaxconn`)). When it is full the kernel drops the client's SYN; the client sees no " +
        "error, it just retransmits after 1 s, 3 s, 7 s … (kernels ≤ 6.4) or 1, 2, 3, 4, 5, 7 s … (6.5+, `tcp_syn_linear_timeouts` = 4). " +
        "One dropped SYN turns a 1 ms connect into a 1 s connect — so the tail of connect latency is decided by the backlog."),
    new ReportText(
        $"The model treats the accept queue as a finite queue: M/M/1/K for an accept() loop serving μ = {Mu:0} connections/s, or M/M/c/K " +
        $"for c = {Workers} workers that each accept() and then process a connection (μ/c = {Mu / Workers:0}/s each, same total capacity). " +
        "Dropped SYNs return as retrials, which raise the offered load: the effective arrival rate solves a fixed point " +
        "(`RetrialFixedPoint`). The per-SYN drop probability and the era's SYN schedule give the connect latency distribution " +
        $"(`ConnectLatencyDistribution`), and `BacklogPlanner` finds the smallest backlog whose p99 meets a target (here {TargetP99 * 1000:0} ms, RTT {Rtt * 1000:0} ms). " +
        "Loads are given as ρ = λ/μ (fresh connections only)."),
]));

// ── 1. Drop probability vs backlog ───────────────────────────────────────────────────────────
var dropLoop = new List<(string, double[])>();
var dropWorkers = new List<(string, double[])>();
var dropTable = new List<IReadOnlyList<string>>();
foreach (var rho in loads)
{
    var loop = backlogs.Select(b => RetrialFixedPoint.Solve(new AcceptQueueModel(rho * Mu, Mu, null, b), schedModern.RetransmitMs.Count)).ToArray();
    var work = backlogs.Select(b => RetrialFixedPoint.Solve(new AcceptQueueModel(rho * Mu, Mu / Workers, Workers, b), schedModern.RetransmitMs.Count)).ToArray();
    dropLoop.Add(($"accept loop, ρ = {rho:0.00}", loop.Select(r => Floor(r.BlockingProbability)).ToArray()));
    dropWorkers.Add(($"{Workers} workers, ρ = {rho:0.00}", work.Select(r => Floor(r.BlockingProbability)).ToArray()));
    foreach (int b in new[] { 16, 128, 1024 })
    {
        int i = Array.IndexOf(backlogs, b);
        dropTable.Add([$"{rho:0.00}", b.ToString(), $"{loop[i].BlockingProbability:G3}", $"{loop[i].EffectiveArrivalRate / (rho * Mu):0.000}", $"{work[i].BlockingProbability:G3}", $"{loop[i].FailureProbability:G3}"]);
    }
}
var dropChart = StandardCharts.BacklogVsDropProbability(bx, [.. dropLoop, .. dropWorkers]) with { Legend = LegendPlacement.OutsideRight };
sections.Add(new ReportSection("1. Drop probability vs backlog (with retrials)",
[
    new ReportText("Below capacity (ρ < 1) the drop probability falls geometrically with the backlog: every doubling buys orders of magnitude. " +
        "At or above capacity (ρ ≥ 1) no backlog helps for long: the queue is full most of the time and the retrials only add load. " +
        "With workers that accept() and then process, a connection leaves the accept queue as soon as a worker takes it, so the " +
        "system holds c + B + 1 connections: for the same total capacity the drop probability is somewhat lower at a given backlog than " +
        "for a pure accept loop (B + 1). Drop probabilities below 10⁻¹² are drawn at 10⁻¹²."),
    ReportFigure.FromChart("drop-vs-backlog", dropChart),
    new ReportTable(["ρ", "backlog", "per-SYN drop P_b (accept loop)", "λ_eff / λ (retrials)", $"P_b ({Workers} workers)", "connect fails (ETIMEDOUT)"], dropTable),
]));

// ── 2. Latency percentiles vs backlog ───────────────────────────────────────────────────────
const double RhoLatency = 0.95;
var model95 = new AcceptQueueModel(RhoLatency * Mu, Mu, null, 0);
var points = backlogs.Select(b => BacklogPlanner.Evaluate(model95.WithBacklog(b), schedModern, Rtt)).ToArray();
var pointsW = backlogs.Select(b => BacklogPlanner.Evaluate(new AcceptQueueModel(RhoLatency * Mu, Mu / Workers, Workers, b), schedModern, Rtt)).ToArray();
var latChart = new ChartSpec($"Connect latency percentiles vs backlog (ρ = {RhoLatency}, 6.18 SYN schedule, RTT {Rtt * 1000:0} ms)",
    AxisSpec.Linear("listen() backlog", "entries"), AxisSpec.Log("Connect latency", "s"),
    [
        Series.Step("p50, accept loop", bx, points.Select(p => p.P50.Seconds).ToArray()),
        Series.Step("p99, accept loop", bx, points.Select(p => p.P99.Seconds).ToArray()),
        Series.Step("p99.9, accept loop", bx, points.Select(p => p.P999.Seconds).ToArray()),
        Series.Step($"p99, {Workers} workers", bx, pointsW.Select(p => p.P99.Seconds).ToArray()),
        Series.Step($"p99.9, {Workers} workers", bx, pointsW.Select(p => p.P999.Seconds).ToArray()),
    ], LegendPlacement.TopRight);
sections.Add(new ReportSection("2. Latency percentiles vs backlog",
[
    new ReportText("Latency is a staircase: a percentile is either one RTT (its SYN got in) or one of the SYN retransmission instants plus an RTT. " +
        "The p99 drops from 1 s to 1 ms once the per-SYN drop probability is below 1 %, the p99.9 once it is below 0.1 %. The queueing delay " +
        "inside the accept queue (mean sojourn) is a few ms here and not part of the connect() latency (the handshake completes before accept())."),
    ReportFigure.FromChart("latency-vs-backlog", latChart),
    new ReportTable(["backlog", "P_b", "p50", "p99", "p99.9", "mean accept-queue length", "mean time in the queue + accept"],
        backlogs.Where(b => b is 0 or 4 or 16 or 64 or 128 or 256 or 1024).Select(b =>
        {
            var p = points[Array.IndexOf(backlogs, b)];
            return (IReadOnlyList<string>)[b.ToString(), $"{p.Retrial.BlockingProbability:G3}", Lat(p.P50), Lat(p.P99), Lat(p.P999),
                $"{p.Retrial.Queue.MeanAcceptQueue:0.0}", $"{p.Retrial.Queue.MeanSojourn * 1000:0.0} ms"];
        }).ToList()),
]));

// ── 3. Recommended backlog ──────────────────────────────────────────────────────────────────
var recRows = new List<IReadOnlyList<string>>();
foreach (var rho in new[] { 0.5, 0.8, 0.9, 0.95, 0.99, 1.05 })
    foreach (var (name, m) in new[] { ("accept loop", new AcceptQueueModel(rho * Mu, Mu, null, 0)), ($"{Workers} workers", new AcceptQueueModel(rho * Mu, Mu / Workers, Workers, 0)) })
    {
        var r = BacklogPlanner.Recommend(m, schedModern, Rtt, TargetP99);
        var r999 = BacklogPlanner.Recommend(m, schedModern, Rtt, TargetP99, 0.999);
        recRows.Add([$"{rho:0.00}", name, r is { } p ? p.Backlog.ToString() : "none ≤ 65535", r is { } p2 ? $"{p2.Retrial.BlockingProbability:G2}" : "–",
            r999 is { } q ? q.Backlog.ToString() : "none ≤ 65535"]);
    }
sections.Add(new ReportSection($"3. Recommended backlog for p99 ≤ {TargetP99 * 1000:0} ms",
[
    new ReportText("`BacklogPlanner.Recommend` bisects over the backlog (the drop probability is non-increasing in it). The recommendation is " +
        "the *effective* backlog: the listen() argument is capped by `net.core.somaxconn` (4096 since 5.4, 128 before), so raise both. " +
        "Above capacity no backlog meets the target — add workers or accept faster."),
    new ReportTable(["ρ", "server", "smallest backlog, p99 ≤ target", "P_b there", "smallest backlog, p99.9 ≤ target"], recRows),
]));

// ── 4. SYN schedules per era ────────────────────────────────────────────────────────────────
var schedRows = new List<IReadOnlyList<string>>();
foreach (var (name, s) in new[] { ("≤ 6.4 (e.g. 6.1)", schedLegacy), ("6.5+ (e.g. 6.18)", schedModern) })
    schedRows.Add([name, string.Join(", ", s.RetransmitMs.Select(t => (t / 1000.0).ToString("0.###"))), (s.GiveUpMs / 1000.0).ToString("0.###"), s.Attempts.ToString()]);
var cdfSeries = new List<Series>();
const double DropForCdf = 0.3;
foreach (var (name, s) in new[] { ("≤ 6.4", schedLegacy), ("6.5+", schedModern) })
{
    var d = new ConnectLatencyDistribution(s, DropForCdf, Rtt);
    var xs = new List<double>(); var ys = new List<double>(); double cum = 0;
    for (int k = 0; k < d.AttemptProbabilities.Count; k++)
    {
        cum += d.AttemptProbabilities[k];
        xs.Add((s.AttemptMs(k)!.Value / 1000.0) + Rtt); ys.Add(cum);
    }
    xs.Add(d.GiveUpSeconds); ys.Add(cum);
    cdfSeries.Add(Series.Step($"{name}, per-SYN drop {DropForCdf:P0}", xs, ys));
}
var cdfChart = new ChartSpec("Connect latency CDF per era when 30 % of SYNs are dropped", AxisSpec.Log("Connect latency", "s"),
    new AxisSpec("Fraction of connects ≤ latency", "", Min: 0, Max: 1), cdfSeries, LegendPlacement.BottomRight);
var eraP99 = new ChartSpec($"p99 connect latency vs backlog per era (ρ = {RhoLatency}, accept loop)",
    AxisSpec.Linear("listen() backlog", "entries"), AxisSpec.Log("p99 connect latency", "s"),
    [
        Series.Step("≤ 6.4 schedule", bx, backlogs.Select(b => BacklogPlanner.Evaluate(model95.WithBacklog(b), schedLegacy, Rtt).P99.Seconds).ToArray()),
        Series.Step("6.5+ schedule", bx, points.Select(p => p.P99.Seconds).ToArray()),
        Series.Step("≤ 6.4, p99.9", bx, backlogs.Select(b => BacklogPlanner.Evaluate(model95.WithBacklog(b), schedLegacy, Rtt).P999.Seconds).ToArray()),
        Series.Step("6.5+, p99.9", bx, points.Select(p => p.P999.Seconds).ToArray()),
    ], LegendPlacement.TopRight);
sections.Add(new ReportSection("4. SYN schedules: ≤ 6.4 vs 6.5+",
[
    new ReportText("6.5 (commit ccce324dabfe) added `tcp_syn_linear_timeouts` (default 4): the first retransmissions come 1 s apart instead of " +
        "doubling, then the exponential back-off resumes. A connect that loses two SYNs completes after 2 s instead of 3 s, one that loses " +
        "four after 4 s instead of 15 s; the give-up moves from 127 s to 131 s (listen-queues.md §6). The tail percentiles at a given drop " +
        "probability improve; the backlog needed for a 100 ms p99 does not change (it is set by keeping the first SYN in)."),
    new ReportTable(["era", "SYN retransmissions at (s after the first SYN)", "ETIMEDOUT at (s)", "SYNs sent"], schedRows),
    ReportFigure.FromChart("syn-schedule-cdf", cdfChart),
    ReportFigure.FromChart("p99-per-era", eraP99),
]));

var doc = new ReportDocument("Notebook 02 — Backlog sizing", "PortSelection.Model " + typeof(BacklogPlanner).Assembly.GetName().Version,
[
    new("accept capacity μ", $"{Mu:0} connections/s (accept loop) or {Workers} workers × {Mu / Workers:0}/s"),
    new("RTT", $"{Rtt * 1000:0} ms"),
    new("target", $"p99 ≤ {TargetP99 * 1000:0} ms"),
    new("SYN schedules", $"{legacy.Version} (≤ 6.4) and {modern.Version} (6.5+), era defaults"),
], sections);
var written = ReportWriter.Write(doc, outDir);
Console.WriteLine($"02-backlog-sizing: report written to {written.Folder} ({written.Files.Count} files; png: {written.PngStatus}) in {clock.Elapsed.TotalSeconds:0.0} s");
return 0;

static string OutDir(string[] args, string name)
{
    for (int i = 0; i < args.Length - 1; i++)
        if (args[i] == "--out") return args[i + 1];
    return Path.Combine("notebooks", "out", name);
}

static double Floor(double p) => Math.Max(p, 1e-12);

static string Lat(LatencyQuantile q) => q.TimedOut ? $"ETIMEDOUT ({q.Seconds:0} s)" : q.Seconds < 1 ? $"{q.Seconds * 1000:0.#} ms" : $"{q.Seconds:0.###} s";
