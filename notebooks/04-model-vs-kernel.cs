#:project ../src/Model/PortSelection.Model.csproj
#:project ../src/Validator/PortSelection.Validator.csproj
#:property PublishAot=false

// ──────────────────────────────────────────────────────────────────────────────────────────────
// 04 — Model vs kernel: does the model choose the ports the kernel chooses, and predict its scan time?
//
// The model is only useful if it is the kernel's algorithm. `portsel validate ports` checks that on
// the live kernel: in a private network namespace with a small port range, it connects to two
// destination ports in turn until the range is exhausted, while an eBPF probe records, for every
// connect(), the port the kernel chose and how long its port scan took. The model then
//   * replays each destination's sequence: the first half must be one parity, the second the other,
//     the switch exactly at connect R/2 + 1, and every step from one chosen port to the next must be
//     one the era-E algorithm can make (the boot secret is unknown, so the check is "consistent with
//     some draw", and exact wherever the sequence pins the state: "dense predictions");
//   * counts the ports the kernel had to probe for each connect (ModelProbes) and fits
//     scan time = fixed + ns-per-probe × probes on the first destination, then predicts the scan times
//     of the second destination, which the fit never saw (median error ≤ 15 % per occupancy bucket).
//
// When run as root with BPF available this notebook does the live run (range 40000–40999, destination
// ports 5295/5296); otherwise — or with --replay — it replays the committed trace
// notebooks/data/ports-64.jsonl (recorded on 6.18.44, range 40000–40063, destinations 5297/5298).
// Run: dotnet run notebooks/04-model-vs-kernel.cs -- --out DIR [--replay]   (default notebooks/out/04-model-vs-kernel)
// ──────────────────────────────────────────────────────────────────────────────────────────────

using System.Diagnostics;
using System.Globalization;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Validator.Cli;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Reports;
using PortSelection.Validator.Scenarios;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
string outDir = OutDir(args, "04-model-vs-kernel");
bool forceReplay = args.Contains("--replay");
string tracePath = Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? "notebooks", "data", "ports-64.jsonl");
if (!File.Exists(tracePath)) tracePath = Path.Combine("notebooks", "data", "ports-64.jsonl");

// ── live run or replay ──────────────────────────────────────────────────────────────────────
List<ObservedConnect> obs;
PortRange range;
KernelProfile profile;
string source, backend, release;
long lost;
string? liveUnavailable = forceReplay ? "--replay given" : !IsRoot() ? "not root" : ProbeAvailability.Check();
PortFillResult? live = null;
if (liveUnavailable is null)
{
    try
    {
        range = new PortRange(40000, 40999);
        live = ValidatePorts.Live(range, [5295, 5296]);
    }
    catch (ProbeUnavailableException e) { liveUnavailable = e.Message; }
}
if (live is not null)
{
    range = new PortRange(40000, 40999);
    release = live.Header.KernelRelease;
    profile = KernelProfile.FromRelease(release);
    obs = PortsValidation.FromLive(live);
    backend = live.Backend.ToString().ToLowerInvariant();
    lost = live.LostEvents;
    source = $"live run on this machine ({release}, probe backend {backend}), range {range}, destination ports 5295 and 5296";
}
else
{
    var trace = TraceFile.Read(tracePath);
    range = new PortRange(40000, 40063);
    release = trace.KernelRelease;
    profile = KernelProfile.FromRelease(release);
    obs = PortsValidation.FromEvents(trace.Events, trace.Hz, trace.Jiffies);
    backend = trace.Backend;
    lost = trace.LostEvents;
    source = $"replay of the committed trace notebooks/data/ports-64.jsonl ({release}, probe backend {backend}), range {range} " +
             $"— live run not possible here: {liveUnavailable}";
}
var report = PortsValidation.Compare(obs, range, profile, backend, release, lost);
int R = range.Count;
var sections = new List<ReportSection>();

sections.Add(new ReportSection("What this notebook shows",
[
    new ReportText(
        "The model is only useful if it *is* the kernel's algorithm. `portsel validate ports` checks that against a real kernel: in a " +
        "private network namespace with a small port range it connects to two destination ports in turn until the range is exhausted, " +
        "while an eBPF probe records, for every connect(), the port the kernel chose and how long its port scan took. The model then " +
        "(1) replays each destination's sequence — one parity first, the switch exactly at connect R/2 + 1, and every step from one chosen " +
        "port to the next one the era-E algorithm can make (the boot secret is unknown, so a step is checked for consistency with some " +
        "random draw, and exactly wherever the sequence pins the state: *dense predictions*); (2) counts how many ports the kernel had to " +
        "probe for each connect, fits *scan time = fixed + ns per probe × probes* on the first destination and predicts the scan times of the " +
        "second destination, which the fit never saw."),
    new ReportText("Data: " + source + "."),
]));

// ── verdict ─────────────────────────────────────────────────────────────────────────────────
sections.Add(new ReportSection("1. Verdict",
[
    new ReportText($"**{(report.Agrees ? "AGREE" : "DISAGREE")}** — " + report.VerdictLine()),
    new ReportTable(["destination port", "successes (expected R)", "parity switch at (model: R/2 + 1)", "transitions consistent", "dense predictions hit", "10-s re-key boundaries"],
        report.Destinations.Select(d => (IReadOnlyList<string>)[d.DestinationPort.ToString(), $"{d.Successes} ({R})",
            $"{d.ParitySwitchAt?.ToString() ?? "–"} ({R / 2 + 1}){(d.ParityHalvesClean ? "" : ", mixed halves")}",
            $"{d.Consistent} / {d.Transitions}", $"{d.DenseHits} / {d.DensePredictions}", d.RekeyBoundaries.Count.ToString()]).ToList()),
    new ReportTable(["cost fit (first destination)", "ns per probe", "fixed µs", "samples"],
    [
        ["least absolute deviations (used)", $"{report.CostFit.NsPerProbe:0.0}", $"{report.CostFit.FixedNs / 1000:0.00}", report.CostFit.Samples.ToString()],
        ["ordinary least squares (for comparison)", $"{report.LeastSquaresFit.NsPerProbe:0.0}", $"{report.LeastSquaresFit.FixedNs / 1000:0.00}", report.LeastSquaresFit.Samples.ToString()],
    ]),
    .. report.Failures.Select(f => (ReportBlock)new ReportText("Failure: " + f)),
]));

// ── chosen ports ────────────────────────────────────────────────────────────────────────────
var chosenSeries = new List<Series>();
var perDest = report.Destinations.Select(d => obs.Where(o => o.DestinationPort == d.DestinationPort && o.Port is not null).ToList()).ToList();
for (int j = 0; j < perDest.Count; j++)
{
    var ports = perDest[j];
    var consistent = Enumerable.Range(0, ports.Count).Where(k => !report.Destinations[j].Misses.Contains(k)).ToArray();
    chosenSeries.Add(Series.Scatter($"kernel, dport {report.Destinations[j].DestinationPort}", consistent.Select(k => (double)(k + 1)).ToArray(), consistent.Select(k => (double)ports[k].Port!.Value).ToArray()));
    var misses = report.Destinations[j].Misses.Where(k => k < ports.Count).ToArray();
    if (misses.Length > 0)
        chosenSeries.Add(Series.Scatter($"unexplained by the model, dport {report.Destinations[j].DestinationPort}", misses.Select(k => (double)(k + 1)).ToArray(), misses.Select(k => (double)ports[k].Port!.Value).ToArray()));
}
double sw = R / 2 + 1;
chosenSeries.Add(Series.Line("model: parity switch at R/2 + 1", [sw, sw], [range.Low, range.High]));
var chosenChart = new ChartSpec("Chosen ports: kernel sequence and the model's parity switch", AxisSpec.Linear("connect() index per destination", "calls"),
    AxisSpec.Linear("Local port chosen by the kernel").WithSiSuffix(false), chosenSeries, LegendPlacement.OutsideRight, Width: 980);
var parityChart = new ChartSpec("Parity of the chosen port (0 = the range's low parity): kernel vs model",
    AxisSpec.Linear("connect() index per destination", "calls"), new AxisSpec("parity class", "", Min: -0.1, Max: 1.1),
    [
        .. perDest.Select((p, j) => Series.Scatter($"kernel, dport {report.Destinations[j].DestinationPort}", p.Select((_, k) => (double)(k + 1)).ToArray(),
            p.Select(o => (double)((o.Port!.Value & 1) ^ (range.Low & 1)) + 0.03 * j).ToArray())),
        Series.Step("model", Enumerable.Range(1, R).Select(k => (double)k).ToArray(), Enumerable.Range(1, R).Select(k => k < sw ? 0.0 : 1.0).ToArray()),
    ], LegendPlacement.OutsideRight, Width: 980);
sections.Add(new ReportSection("2. Chosen ports, model vs kernel",
[
    new ReportText("Each destination gets the whole range (the 4-tuple differs), so each has its own sequence. Every kernel point drawn in the " +
        "destination's colour is a step the model can make; points the model cannot explain would be drawn separately (there are " +
        $"{report.Destinations.Sum(d => d.Misses.Count)}). The second chart is the parity split itself: the model says low parity for connects " +
        $"1…{R / 2}, high parity from {R / 2 + 1} to {R}."),
    ReportFigure.FromChart("chosen-ports", chosenChart),
    ReportFigure.FromChart("parity", parityChart),
]));

// ── scan time ───────────────────────────────────────────────────────────────────────────────
var fit = report.CostFit;
var scatter = new List<Series>();
for (int j = 0; j < perDest.Count; j++)
{
    var probes = report.Destinations[j].ModelProbes;
    var pts = perDest[j].Select((o, k) => (P: (double)probes[k], T: o.ScanNs)).Where(p => p.T is > 0).ToList();
    scatter.Add(Series.Scatter($"kernel scan time, dport {report.Destinations[j].DestinationPort}{(j == 0 ? " (fitted)" : " (predicted)")}", pts.Select(p => p.P).ToArray(), pts.Select(p => p.T!.Value / 1000.0).ToArray()));
}
int maxProbes = report.Destinations.SelectMany(d => d.ModelProbes).DefaultIfEmpty(1).Max();
var fx = Enumerable.Range(0, 50).Select(i => (double)maxProbes * i / 49).ToArray();
scatter.Add(Series.Line($"fit: {fit.FixedNs / 1000:0.00} µs + {fit.NsPerProbe:0.0} ns × probes", fx, fx.Select(p => fit.Predict((int)p) / 1000).ToArray()));
var scatterChart = new ChartSpec("Kernel scan time vs probes counted by the model", AxisSpec.Linear("probes per connect() (model)", ""),
    AxisSpec.Linear("scan time (kernel)", "µs"), scatter, LegendPlacement.TopLeft);

// second destination (unseen by the fit), by occupancy bucket
int buckets = Math.Min(16, Math.Max(4, R / 8));
var unseen = perDest.Count >= 2 ? perDest[1] : perDest[0];
var unseenProbes = perDest.Count >= 2 ? report.Destinations[1].ModelProbes : report.Destinations[0].ModelProbes;
var bx = new List<double>(); var bModel = new List<double>(); var bMean = new List<double>(); var bLo = new List<double>(); var bHi = new List<double>();
var errMedian = new List<double>(); var errP90 = new List<double>();
var bucketRows = new List<IReadOnlyList<string>>();
for (int b = 0; b < buckets; b++)
{
    int lo = R * b / buckets, hi = R * (b + 1) / buckets;
    var items = Enumerable.Range(lo, Math.Max(0, Math.Min(hi, unseen.Count) - lo)).Where(k => unseen[k].ScanNs is > 0)
        .Select(k => (Obs: unseen[k].ScanNs!.Value / 1000.0, Pred: fit.Predict(unseenProbes[k]) / 1000.0)).ToList();
    if (items.Count == 0) continue;
    var o = items.Select(i => i.Obs).Order().ToArray();
    var e = items.Select(i => Math.Abs(i.Pred - i.Obs) / i.Obs).Order().ToArray();
    double x = 100.0 * (lo + hi) / 2 / R;
    bx.Add(x); bModel.Add(items.Average(i => i.Pred)); bMean.Add(o.Average()); bLo.Add(Q(o, 0.05)); bHi.Add(Q(o, 0.95));
    errMedian.Add(100 * Q(e, 0.5)); errP90.Add(100 * Q(e, 0.9));
    bucketRows.Add([$"{100.0 * lo / R:0}–{100.0 * hi / R:0} %", items.Count.ToString(), $"{o.Average():0.0}", $"{items.Average(i => i.Pred):0.0}", $"{Q(e, 0.5):P1}", $"{Q(e, 0.9):P1}"]);
}
var band = StandardCharts.ModelVsKernel([.. bx], [.. bModel], [.. bMean], [.. bLo], [.. bHi],
    new AxisSpec("Occupancy of the range before the connect (bucket centre)", "%", Min: 0, Max: 100), AxisSpec.Log("scan time", "µs"),
    $"Scan time of dport {(perDest.Count >= 2 ? report.Destinations[1].DestinationPort : report.Destinations[0].DestinationPort)} (not fitted): model vs kernel") with { Legend = LegendPlacement.TopLeft };
var errChart = new ChartSpec("Relative scan-time error per occupancy bucket (unseen destination)", new AxisSpec("Occupancy (bucket centre)", "%", Min: 0, Max: 100),
    new AxisSpec("|model − kernel| / kernel", "%", Min: 0),
    [
        Series.Line("median", [.. bx], [.. errMedian]),
        Series.Line("90th percentile", [.. bx], [.. errP90]),
        Series.Line($"tolerance on the median ({PortsReport.MedianErrorTolerance:P0})", [0, 100], [100 * PortsReport.MedianErrorTolerance, 100 * PortsReport.MedianErrorTolerance]),
    ], LegendPlacement.TopRight);
sections.Add(new ReportSection("3. Scan time, model vs kernel",
[
    new ReportText("The model does not measure time; it counts work. The probe measures the kernel's scan (from the start of the port search to " +
        "the chosen port). A straight line through (probes, time) of the first destination gives the machine's cost per probe; the second " +
        "destination is the test. Behind the parity cliff each connect probes ~R/2 busy ports, so the scan time jumps by the same factor as " +
        "the model's probe count."),
    ReportFigure.FromChart("scan-time-vs-probes", scatterChart),
    ReportFigure.FromChart("scan-time-model-vs-kernel", band),
    ReportFigure.FromChart("scan-time-errors", errChart),
    new ReportTable(["occupancy", "connects", "kernel mean µs", "model µs", "median error", "p90 error"], bucketRows),
    new ReportTable(["bucket (validator)", "connects", "median error", "p90 error"],
        report.ScanTimeErrors.Select(e => (IReadOnlyList<string>)[e.Bucket, e.Count.ToString(), double.IsFinite(e.Median) ? $"{e.Median:P1}" : "–", double.IsFinite(e.P90) ? $"{e.P90:P1}" : "–"]).ToList()),
]));

var doc = new ReportDocument("Notebook 04 — Model vs kernel", "PortSelection.Model " + typeof(KernelProfile).Assembly.GetName().Version,
[
    new("data", live is not null ? "live" : "replay"),
    new("kernel", $"{release} → model {profile.Version} (era {profile.Era})"),
    new("range", range.ToString()),
    new("probe backend", backend),
    new("lost events", lost.ToString()),
], sections);
var written = ReportWriter.Write(doc, outDir);
Console.WriteLine($"04-model-vs-kernel ({(live is not null ? "live" : "replay")}): {report.VerdictLine()}");
Console.WriteLine($"04-model-vs-kernel: report written to {written.Folder} ({written.Files.Count} files; png: {written.PngStatus}) in {clock.Elapsed.TotalSeconds:0.0} s");
return 0;

static string OutDir(string[] args, string name)
{
    for (int i = 0; i < args.Length - 1; i++)
        if (args[i] == "--out") return args[i + 1];
    return Path.Combine("notebooks", "out", name);
}

static bool IsRoot()
{
    try { return File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0"); }
    catch (IOException) { return false; }
}

static double Q(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1 < 0 ? 0 : (int)Math.Ceiling(q * sorted.Length) - 1)];
