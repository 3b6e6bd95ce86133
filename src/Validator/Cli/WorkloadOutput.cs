using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PortSelection.Model.Listen;
using PortSelection.Model.Queueing;
using PortSelection.Model.Simulation;
using PortSelection.Validator.Reports;

namespace PortSelection.Validator.Cli;

/// <summary>Text tables, JSON and the Markdown/HTML report of simulated workload variants (shared by <c>whatif</c> and <c>simulate</c>).</summary>
internal static class WorkloadOutput
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The model version quoted in reports.</summary>
    public static string ModelVersion =>
        $"PortSelection.Model {typeof(WorkloadSimulation).Assembly.GetName().Version} (workload simulation, cost model, analytic companions)";

    /// <summary>One line describing a workload.</summary>
    public static string Describe(WorkloadSpec s)
    {
        var dests = s.Destinations.Length == 1 ? $"1 destination {s.Destinations[0]}" : $"{s.Destinations.Length} destinations {string.Join(", ", s.Destinations)}";
        var extra = new List<string>();
        if (s.PerSocketRange.IsSet) extra.Add($"IP_LOCAL_PORT_RANGE {s.PerSocketRange}");
        if (!s.NoPortSources.IsDefaultOrEmpty) extra.Add($"IP_BIND_ADDRESS_NO_PORT sources {string.Join(", ", s.NoPortSources)}");
        if (s.BindOwnedPorts.Count > 0) extra.Add($"bind-owned {s.BindOwnedPorts}");
        return $"{dests}, {s.Arrivals.Kind.ToString().ToLowerInvariant()} {F(s.Arrivals.RatePerSecond)} conn/s, lifetime {s.Lifetime}, " +
               $"{(s.Close == CloseSide.Client ? "client closes first (TIME_WAIT 60 s)" : "server closes first")}, {s.DurationMs / 1000.0:G6} s simulated, seed {s.Seed}" +
               (extra.Count > 0 ? "; " + string.Join("; ", extra) : "");
    }

    /// <summary>Key figures of one variant.</summary>
    public static string Headline(WorkloadVariant v, WorkloadResult r)
    {
        var s = v.Spec;
        var (range, step) = PortCapacity.ScanShape(s.Kernel, s.Namespace, s.PerSocketRange);
        double offered = Enumerable.Range(0, s.Destinations.Length).Max(i => ExhaustionAnalytics.OfferedLoad(s, i));
        var sb = new StringBuilder();
        sb.Append($"[{v.Name}] kernel {s.Kernel.Version} era {s.Kernel.Era}, range {range} (step {step}), tcp_tw_reuse {s.Namespace.TcpTwReuse}; ");
        sb.Append($"capacity {r.Capacity} ports per destination");
        if (step == 2) sb.Append($", parity cliff at {(r.Capacity + 1) / 2} connections");
        sb.Append($"; steady-state offered {F(offered)} ports ⇒ P(EADDRNOTAVAIL) {G(ExhaustionAnalytics.FailureProbability(r.Capacity, offered))} (Erlang B)");
        return sb.ToString();
    }

    /// <summary>The compact text answer.</summary>
    public static void WriteText(TextWriter o, IReadOnlyList<WorkloadVariant> variants, IReadOnlyList<WorkloadResult> results, IEnumerable<string> preamble)
    {
        foreach (var line in preamble) o.WriteLine(line);
        o.WriteLine($"workload: {Describe(variants[0].Spec)}");
        o.WriteLine($"cost model: {variants[0].Spec.Calibration.Source}");
        for (int i = 0; i < variants.Count; i++)
        {
            var r = results[i];
            o.WriteLine();
            o.WriteLine(Headline(variants[i], r));
            o.WriteLine($"  {"occupancy",-10} {"connects",8} {"scan sim",9} {"p99",6} {"max",6} {"analytic",9} {"CPU µs",8} {"P(fail) sim",11} {"Erlang B",9}");
            foreach (var row in OccupancyRow.Build(r))
                o.WriteLine($"  {row.Label,-10} {row.Attempts,8} {F(row.ScanMean),9} {row.ScanP99,6} {row.ScanMax,6} {F(row.AnalyticScan),9} {F(row.CpuUsPerConnect),8} {G(row.FailureSim),11} {G(row.FailureErlangB),9}");
            o.WriteLine($"  {Summary(r)}");
        }
        if (variants.Count > 1)
        {
            o.WriteLine();
            o.WriteLine($"  {"variant",-28} {"capacity",8} {"peak occ.",9} {"scan mean",9} {"scan max",8} {"CPU µs/conn",11} {"CPU ms/s peak",13} {"EADDRNOTAVAIL",13}");
            for (int i = 0; i < variants.Count; i++)
            {
                var r = results[i];
                double peak = r.Steps.Count() == 0 ? 0 : r.Steps.Max(s => s.Destinations.Max(d => d.Occupancy));
                double cpu = r.CpuUsSamples.IsEmpty ? 0 : r.CpuUsSamples.Average();
                double scan = r.Attempts == 0 ? 0 : r.Bins.SelectMany(b => b).Sum(b => b.Scan.Mean * b.Attempts) / r.Attempts;
                int max = r.Bins.SelectMany(b => b).Select(b => b.Scan.Max).DefaultIfEmpty(0).Max();
                double cpuPeak = r.Steps.Select(s => s.CpuMsPerSecond).DefaultIfEmpty(0).Max();
                o.WriteLine($"  {variants[i].Name,-28} {r.Capacity,8} {peak * 100,8:F1}% {F(scan),9} {max,8} {F(cpu),11} {F(cpuPeak),13} {r.Failures,13}");
            }
        }
    }

    /// <summary>End-of-run accounting of one variant.</summary>
    public static string Summary(WorkloadResult r) =>
        $"{r.Attempts} connects, {r.Failures} EADDRNOTAVAIL{(r.FirstFailureMs is long f ? $" (first at {f / 1000.0:F1} s)" : "")}, " +
        $"{r.Live} open + {r.TimeWait} TIME_WAIT at {r.EndMs / 1000.0:F1} s, {r.TotalCandidates} candidates scanned" +
        (r.Truncated ? $"; TRUNCATED at {r.EndMs / 1000.0:F1} s by the work budget (raise --budget)" : "");

    /// <summary>JSON of the variants.</summary>
    public static JsonArray VariantsJson(IReadOnlyList<WorkloadVariant> variants, IReadOnlyList<WorkloadResult> results, bool withSteps)
    {
        var arr = new JsonArray();
        for (int i = 0; i < variants.Count; i++)
        {
            var s = variants[i].Spec;
            var r = results[i];
            var (range, step) = PortCapacity.ScanShape(s.Kernel, s.Namespace, s.PerSocketRange);
            var o = new JsonObject
            {
                ["name"] = variants[i].Name,
                ["kernel"] = s.Kernel.Version.ToString(),
                ["era"] = s.Kernel.Era.ToString(),
                ["range"] = range.ToString(),
                ["step"] = step,
                ["tcp_tw_reuse"] = s.Namespace.TcpTwReuse,
                ["destinations"] = new JsonArray(s.Destinations.Select(d => (JsonNode)d.ToString()).ToArray()),
                ["rate_per_s"] = s.Arrivals.RatePerSecond,
                ["capacity_per_destination"] = r.Capacity,
                ["regime"] = ScanLengthAnalytics.RegimeFor(s).ToString().ToLowerInvariant(),
                ["calibration"] = s.Calibration.Name,
                ["rows"] = new JsonArray(OccupancyRow.Build(r).Select(row => (JsonNode)new JsonObject
                {
                    ["occupancy_from_pct"] = row.From, ["occupancy_to_pct"] = row.To, ["connects"] = row.Attempts,
                    ["scan_mean"] = Round(row.ScanMean), ["scan_p99"] = row.ScanP99, ["scan_max"] = row.ScanMax,
                    ["scan_analytic"] = Round(row.AnalyticScan), ["cpu_us_per_connect"] = Round(row.CpuUsPerConnect),
                    ["failure_sim"] = row.FailureSim, ["failure_erlang_b"] = row.FailureErlangB,
                }).ToArray()),
                ["summary"] = new JsonObject
                {
                    ["connects"] = r.Attempts, ["opened"] = r.Opened, ["live"] = r.Live, ["time_wait"] = r.TimeWait,
                    ["released"] = r.Released, ["time_wait_expired"] = r.TimeWaitExpired, ["time_wait_recycled"] = r.TimeWaitRecycled,
                    ["eaddrnotavail"] = r.Failures, ["first_eaddrnotavail_s"] = r.FirstFailureMs is long f ? f / 1000.0 : null,
                    ["candidates"] = r.TotalCandidates, ["truncated"] = r.Truncated, ["end_s"] = r.EndMs / 1000.0,
                },
            };
            if (withSteps)
                o["steps"] = new JsonArray(r.Steps.Select(st => (JsonNode)new JsonObject
                {
                    ["t_s"] = st.EndMs / 1000.0, ["live"] = st.Live, ["time_wait"] = st.TimeWait,
                    ["cpu_ms_per_s"] = Round(st.CpuMsPerSecond), ["eaddrnotavail"] = st.Failures,
                    ["destinations"] = new JsonArray(st.Destinations.Select(d => (JsonNode)new JsonObject
                    {
                        ["connects"] = d.Attempts, ["eaddrnotavail"] = d.Failures, ["in_use"] = d.InUse, ["occupancy"] = Round(d.Occupancy),
                        ["scan_mean"] = Round(d.Scan.Mean), ["scan_p50"] = d.Scan.P50, ["scan_p99"] = d.Scan.P99, ["scan_max"] = d.Scan.Max,
                        ["cpu_us_per_connect"] = Round(d.CpuUsPerConnect),
                    }).ToArray()),
                }).ToArray());
            arr.Add(o);
        }
        return arr;
    }

    /// <summary>The report: inputs, tables and the standard charts.</summary>
    public static ReportDocument Report(string title, IReadOnlyList<WorkloadVariant> variants, IReadOnlyList<WorkloadResult> results,
        IReadOnlyList<KeyValuePair<string, string>> inputs, IReadOnlyList<string> notes, BacklogReport? listener)
    {
        var sections = new List<ReportSection>();
        var summary = new List<ReportBlock> { new ReportText("Workload: " + Describe(variants[0].Spec)) };
        foreach (var n in notes) summary.Add(new ReportText(n));
        summary.Add(new ReportTable(["variant", "kernel", "capacity / destination", "connects", "EADDRNOTAVAIL", "first failure (s)", "mean CPU µs / connect", "peak CPU ms / s", "truncated"],
            variants.Select((v, i) => (IReadOnlyList<string>)
            [
                v.Name, $"{v.Spec.Kernel.Version} (era {v.Spec.Kernel.Era})", results[i].Capacity.ToString(Inv), results[i].Attempts.ToString(Inv),
                results[i].Failures.ToString(Inv), results[i].FirstFailureMs is long f ? (f / 1000.0).ToString("F1", Inv) : "–",
                F(results[i].CpuUsSamples.IsEmpty ? 0 : results[i].CpuUsSamples.Average()),
                F(results[i].Steps.Select(s => s.CpuMsPerSecond).DefaultIfEmpty(0).Max()), results[i].Truncated ? "yes" : "no",
            ]).ToArray()));
        sections.Add(new ReportSection("Summary", summary));

        foreach (var (v, r) in variants.Zip(results))
        {
            var rows = OccupancyRow.Build(r);
            sections.Add(new ReportSection($"Variant {v.Name}", [
                new ReportText(Headline(v, r)),
                new ReportTable(["occupancy", "connects", "scan mean (sim)", "scan p99", "scan max", "scan (analytic)", "CPU µs / connect", "P(fail) sim", "P(fail) Erlang B"],
                    rows.Select(x => (IReadOnlyList<string>)[x.Label, x.Attempts.ToString(Inv), F(x.ScanMean), x.ScanP99.ToString(Inv), x.ScanMax.ToString(Inv),
                        F(x.AnalyticScan), F(x.CpuUsPerConnect), G(x.FailureSim), G(x.FailureErlangB)]).ToArray()),
                new ReportText(Summary(r)),
            ]));
        }

        var x = Enumerable.Range(0, 101).Select(p => (p + 0.5) / 100.0).ToArray();
        double[] PerBin(WorkloadResult r, Func<OccupancyBin, double> f)
        {
            var y = Enumerable.Repeat(double.NaN, 101).ToArray();
            foreach (var g in r.Bins.SelectMany(b => b).GroupBy(b => b.Percent))
            {
                int n = g.Sum(b => b.Attempts);
                y[g.Key] = g.Sum(b => f(b) * b.Attempts) / n;
            }
            return y;
        }
        var scanSeries = variants.Select((v, i) => (v.Name, PerBin(results[i], b => b.Scan.Mean))).ToList();
        var first = results[0];
        var (_, step0) = PortCapacity.ScanShape(first.Spec.Kernel, first.Spec.Namespace, first.Spec.PerSocketRange);
        scanSeries.Add(($"analytic ({variants[0].Name})", x.Select(o => ScanLengthAnalytics.Expected(ScanLengthAnalytics.RegimeFor(first.Spec), step0, first.Capacity, (int)(o * first.Capacity))).ToArray()));
        var cpuSeries = variants.Select((v, i) => (v.Name, PerBin(results[i], b => b.CpuUsPerConnect))).ToArray();
        int cmax = results.Max(r => r.Capacity);
        var conns = Enumerable.Range(0, 121).Select(i => i * cmax * 1.2 / 120).ToArray();
        var onset = variants.Select((v, i) => ($"{v.Name} (Erlang B, C = {results[i].Capacity})",
            conns.Select(a => ExhaustionAnalytics.FailureProbability(results[i].Capacity, a)).ToArray())).ToArray();
        var latency = variants.Select((v, i) => (v.Name, results[i].CpuUsSamples.Select(us => (v.Spec.Calibration.UncontendedConnectUs + us) / 1000.0).ToArray())).ToArray();

        var charts = new List<ReportBlock>
        {
            ReportFigure.FromChart("scan-length-vs-occupancy", StandardCharts.ScanLengthVsOccupancy(x, [.. scanSeries])),
            ReportFigure.FromChart("cpu-per-connect-vs-occupancy", StandardCharts.CpuPerConnectVsOccupancy(x, cpuSeries, logY: true)),
            ReportFigure.FromChart("eaddrnotavail-onset", StandardCharts.EaddrnotavailOnset(conns, onset)),
            ReportFigure.FromChart("fill-sequence", StandardCharts.FillSequence([.. first.FillSequence], variants[0].Name)),
            ReportFigure.FromChart("connect-latency-cdf", StandardCharts.ConnectLatencyCdf(latency)),
            new ReportText("Connect latency = the calibration's uncontended connect (" + F(variants[0].Spec.Calibration.UncontendedConnectUs) +
                           " µs) + the predicted port-selection CPU; per-candidate cond_resched() can stretch wall time further."),
        };
        if (listener is not null)
        {
            var backlogs = new[] { 8.0, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096 };
            var drops = new[] { 0.5, 0.9, 0.99, 1.2 }.Select(load => ($"load {load:G3}",
                backlogs.Select(b => Math.Max(1e-12, new AcceptQueueModel(load, 1.0, null, (int)b).Solve().BlockingProbability)).ToArray())).ToArray();
            charts.Add(ReportFigure.FromChart("backlog-vs-drop-probability", StandardCharts.BacklogVsDropProbability(backlogs, drops)));
            charts.Add(new ReportText("Accept queue as M/M/1/(B+1) (listen-queues.md §10.1): load = arrival rate / accept rate."));
        }
        sections.Add(new ReportSection("Charts", charts));
        if (listener is not null)
            sections.Add(new ReportSection("Listener", [new ReportText(ListenerText(listener))]));
        return new ReportDocument(title, ModelVersion, inputs, sections);
    }

    /// <summary>The listener summary in one paragraph.</summary>
    public static string ListenerText(BacklogReport l)
    {
        var sb = new StringBuilder();
        sb.Append($"listener ({l.Kernel}, listen era {l.ListenEra}): listen({(l.ListenArg == int.MaxValue ? "INT_MAX" : l.ListenArg.ToString(Inv))}) with somaxconn {l.Settings["somaxconn"]} [{l.Sources["somaxconn"]}] ⇒ backlog {l.EffectiveBacklog}, ");
        sb.Append($"accept queue {l.AcceptCapacity}, SYN queue {l.SynQueueCapacity} ({l.SynQueueRule}, tcp_syncookies {l.Settings["tcp_syncookies"]}); ");
        sb.Append($"client SYN retransmits at {string.Join(", ", l.SynRetransmitS.Select(s => s.ToString("G4", Inv)))} s, gives up at {l.ConnectTimeoutS:G4} s");
        if (l.PBlock is double p)
            sb.Append($"; {l.QueueModel}: P(drop) {G(p)}, connect p99 {l.LatencyP99S:G4} s, failure {G(l.ConnectFailureProbability ?? 0)}");
        else sb.Append("; give --accept-rate for the drop probability");
        return sb.ToString();
    }

    private static double Round(double v) => double.IsFinite(v) ? Math.Round(v, 3) : -1;

    /// <summary>Compact number.</summary>
    public static string F(double v) => !double.IsFinite(v) ? "∞" : Math.Abs(v) >= 100 ? v.ToString("F0", Inv) : v.ToString("0.##", Inv);

    /// <summary>Compact probability.</summary>
    public static string G(double v) => v < 1e-15 ? (v == 0 ? "0" : "<1e-15") : v >= 0.01 ? v.ToString("0.###", Inv) : v.ToString("0.0e0", Inv);
}
