using System.Text.Json.Nodes;
using PortSelection.Model.Hashing;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Compare;

/// <summary>Relative error summary of predicted vs observed scan times.</summary>
/// <param name="Bucket">Occupancy bucket label ("all", "0-50%", "50-100%").</param>
/// <param name="Count">Samples.</param>
/// <param name="Median">Median of |pred − obs| / obs.</param>
/// <param name="P90">90th percentile of |pred − obs| / obs.</param>
public readonly record struct ScanTimeError(string Bucket, int Count, double Median, double P90);

/// <summary>The result of <c>portsel validate ports</c>.</summary>
public sealed record PortsReport
{
    /// <summary>Probe backend (or the recorded one on replay).</summary>
    public required string Backend { get; init; }
    /// <summary>Kernel release the run was made on.</summary>
    public required string Kernel { get; init; }
    /// <summary>Namespace range.</summary>
    public required PortRange Range { get; init; }
    /// <summary>Per-destination sequence checks, in destination order.</summary>
    public required IReadOnlyList<SequenceCheck> Destinations { get; init; }
    /// <summary>Probe port ≠ getsockname port count (null on replay).</summary>
    public int? ProbeUserMismatches { get; init; }
    /// <summary>Cost fit on the first destination.</summary>
    public required ScanCostFit CostFit { get; init; }
    /// <summary>Prediction errors on the second destination (all, then per bucket).</summary>
    public required IReadOnlyList<ScanTimeError> ScanTimeErrors { get; init; }
    /// <summary>The same fit by ordinary least squares (the estimator used before LAD), for comparison.</summary>
    public ScanCostFit LeastSquaresFit { get; init; }
    /// <summary>Prediction errors of <see cref="LeastSquaresFit"/> on the second destination (all, then per bucket).</summary>
    public IReadOnlyList<ScanTimeError> LeastSquaresErrors { get; init; } = [];
    /// <summary>Lost probe events.</summary>
    public required long LostEvents { get; init; }
    /// <summary>Failed checks (empty = agreement).</summary>
    public required IReadOnlyList<string> Failures { get; init; }
    /// <summary>True when every check passed.</summary>
    public bool Agrees => Failures.Count == 0;

    /// <summary>Tolerance: the median relative scan-time error allowed in every occupancy bucket (issue #4: ≤ 15 % on a
    /// destination the fit did not see).</summary>
    public const double MedianErrorTolerance = 0.15;

    /// <summary>One verdict line.</summary>
    public string VerdictLine()
    {
        int tr = Destinations.Sum(d => d.Transitions), co = Destinations.Sum(d => d.Consistent);
        int dp = Destinations.Sum(d => d.DensePredictions), dh = Destinations.Sum(d => d.DenseHits);
        var err = ScanTimeErrors.FirstOrDefault(e => e.Bucket == "all");
        return FormattableString.Invariant(
            $"validate ports: {(Agrees ? "AGREE" : "DISAGREE")} — successes {string.Join("/", Destinations.Select(d => d.Successes))}, ") +
            FormattableString.Invariant($"parity switch at {string.Join("/", Destinations.Select(d => d.ParitySwitchAt?.ToString() ?? "-"))}, transitions {co}/{tr} consistent, ") +
            FormattableString.Invariant($"dense {dh}/{dp}, re-keys {Destinations.Sum(d => d.RekeyBoundaries.Count)}, cost {CostFit.NsPerProbe:0.0} ns/probe + {CostFit.FixedNs / 1000:0.00} µs, ") +
            FormattableString.Invariant($"scan-time error (LAD fit, unseen destination) median {err.Median:P1} p90 {err.P90:P1}") +
            string.Concat(ScanTimeErrors.Where(e => e.Bucket != "all").Select(e => FormattableString.Invariant($", {e.Bucket} {e.Median:P1}/{e.P90:P1}"))) + (Agrees ? "" : " — " + string.Join("; ", Failures));
    }

    /// <summary>The JSON object of the report.</summary>
    public JsonObject ToJson()
    {
        static JsonObject Errors(IReadOnlyList<ScanTimeError> errors)
        {
            var perBucket = new JsonObject();
            foreach (var e in errors.Where(e => e.Bucket != "all"))
                perBucket[e.Bucket] = new JsonObject { ["count"] = e.Count, ["median"] = Round(e.Median), ["p90"] = Round(e.P90) };
            var all = errors.FirstOrDefault(e => e.Bucket == "all");
            return new JsonObject { ["median"] = Round(all.Median), ["p90"] = Round(all.P90), ["count"] = all.Count, ["per_bucket"] = perBucket };
        }
        return new JsonObject
        {
            ["check"] = "ports",
            ["backend"] = Backend,
            ["kernel"] = Kernel,
            ["range"] = $"{Range.Low}-{Range.High}",
            ["successes_per_destination"] = new JsonArray(Destinations.Select(d => (JsonNode)d.Successes).ToArray()),
            ["parity_switch_at"] = new JsonArray(Destinations.Select(d => (JsonNode?)d.ParitySwitchAt).ToArray()),
            ["transitions"] = Destinations.Sum(d => d.Transitions),
            ["consistent_transitions"] = Destinations.Sum(d => d.Consistent),
            ["misses"] = new JsonArray(Destinations.SelectMany(d => d.Misses.Select(m => (JsonNode)$"{d.DestinationPort}#{m}")).Take(50).ToArray()),
            ["rekey_boundaries"] = Destinations.Sum(d => d.RekeyBoundaries.Count),
            ["dense_predictions"] = Destinations.Sum(d => d.DensePredictions),
            ["dense_hits"] = Destinations.Sum(d => d.DenseHits),
            ["probe_getsockname_mismatches"] = ProbeUserMismatches,
            ["cost_fit"] = new JsonObject
            {
                ["method"] = "least absolute deviations",
                ["ns_per_probe"] = Round(CostFit.NsPerProbe), ["fixed_us"] = Round(CostFit.FixedNs / 1000), ["samples"] = CostFit.Samples,
            },
            ["scan_time_error"] = Errors(ScanTimeErrors),
            ["least_squares_fit"] = new JsonObject
            {
                ["ns_per_probe"] = Round(LeastSquaresFit.NsPerProbe), ["fixed_us"] = Round(LeastSquaresFit.FixedNs / 1000),
                ["scan_time_error"] = Errors(LeastSquaresErrors),
            },
            ["lost_events"] = LostEvents,
            ["failures"] = new JsonArray(Failures.Select(f => (JsonNode)f).ToArray()),
            ["verdict"] = Agrees ? "agree" : "disagree",
        };
    }

    private static double Round(double v) => double.IsFinite(v) ? Math.Round(v, 4) : -1;
}

/// <summary>
/// <c>validate ports</c>: turns a recorded port fill (live result or trace file) into observed connects
/// per destination and compares them with the model: exact counts and parity halves, era-E transition
/// consistency (<see cref="PortSequenceCheck"/>), dense exact predictions, and a cost fit on the first
/// destination predicting the second's scan times.
/// </summary>
public static class PortsValidation
{
    /// <summary>
    /// Observed connects of a live fill: the probe's view joined with the user side (getsockname port, errno) by time —
    /// a probe connect belongs to the user connect() in progress when it started (the last one whose start is not
    /// later). A user connect the probe did not see (the cgroup backend records nothing for a connect that fails before
    /// SYN_SENT, e.g. no route; a lost record) is kept with its errno and no probe port; probe connects matched to no
    /// user connect are kept as they are.
    /// </summary>
    public static List<ObservedConnect> FromLive(PortFillResult r)
    {
        var probe = Observe(r.Events, r.Header.Hz.Hz, r.Header.Jiffies);
        var result = new List<ObservedConnect>(Math.Max(probe.Count, r.Connects.Count));
        var p = 0;
        for (var i = 0; i < r.Connects.Count; i++)
        {
            var u = r.Connects[i];
            if (u.StartNs <= 0) // failed before connect() (socket, setsockopt, bind): nothing for the probe to see
            {
                result.Add(new ObservedConnect(u.DestinationPort, null, u.Errno, null, null, false, null));
                continue;
            }
            while (p < probe.Count && probe[p].StartNs < (ulong)u.StartNs) result.Add(probe[p++].Observed);
            var next = NextStart(r.Connects, i);
            var userPort = u.Errno == 0 ? u.LocalPort : (int?)null;
            if (p < probe.Count && probe[p].StartNs < next)
                result.Add(probe[p++].Observed with { UserPort = userPort, Errno = u.Errno });
            else
                result.Add(new ObservedConnect(u.DestinationPort, null, u.Errno, null, null, false, userPort));
        }
        while (p < probe.Count) result.Add(probe[p++].Observed);
        return result;
    }

    private static ulong NextStart(IReadOnlyList<ConnectResult> connects, int i)
    {
        for (var k = i + 1; k < connects.Count; k++)
            if (connects[k].StartNs > 0) return (ulong)connects[k].StartNs;
        return ulong.MaxValue;
    }

    /// <summary>Observed connects from probe events (tracepoint, cgroup or function-level backends).</summary>
    public static List<ObservedConnect> FromEvents(IReadOnlyList<ProbeEvent> events, int hz, JiffiesAnchor? anchor) =>
        Observe(events, hz, anchor).Select(o => o.Observed).ToList();

    /// <summary>Each probe connect with the timestamp of its first event, in the order of the tids' first connects.</summary>
    private static List<(ObservedConnect Observed, ulong StartNs)> Observe(IReadOnlyList<ProbeEvent> events, int hz, JiffiesAnchor? anchor)
    {
        var result = new List<(ObservedConnect, ulong)>();
        var tids = events.Where(e => e.Kind is ProbeEventKind.ConnectEnter or ProbeEventKind.HashConnectEnter
            or ProbeEventKind.ScanStart or ProbeEventKind.PortChosen or ProbeEventKind.ScanFailed).Select(e => e.Tid).Distinct();
        int lastDport = 0;
        foreach (var tid in tids)
            foreach (var t in ConnectTrace.Assemble(events, tid))
            {
                var dport = t.PortChosen?.DestinationPort ?? t.ScanStart?.DestinationPort ?? t.ScanFailed?.DestinationPort
                    ?? t.HashConnectExit?.DestinationPort ?? 0;
                if (dport == 0) dport = (ushort)lastDport;
                lastDport = dport;
                var ts = (t.ScanStart ?? t.HashConnectEnter ?? t.Enter)?.TimestampNs;
                uint? seed = null;
                bool near = false;
                if (anchor is { } a && ts is { } tns && hz > 0)
                {
                    double dj = ((long)tns - a.MonotonicNs) * (double)hz / 1e9;
                    ulong j = (ulong)((long)a.Jiffies + (long)Math.Floor(dj));
                    seed = TimeSeed.FromJiffies(j, hz);
                    near = TimeSeed.FromJiffies(j - 1, hz) != TimeSeed.FromJiffies(j + 1, hz);
                }
                int errno = t.Return is int rv && rv < 0 ? -rv : t.Failed ? 99 : 0;
                var first = (t.Enter ?? t.HashConnectEnter ?? t.ScanStart ?? t.PortChosen ?? t.ScanFailed ?? t.HashConnectExit ?? t.Exit)?.TimestampNs ?? 0;
                result.Add((new ObservedConnect(dport, t.Failed ? null : t.ChosenPort, errno, t.ScanNs, seed, near, null), first));
            }
        return result;
    }

    /// <summary>Compares observed connects with the model.</summary>
    /// <exception cref="ArgumentException">Unsupported kernel era or range.</exception>
    public static PortsReport Compare(IReadOnlyList<ObservedConnect> connects, PortRange range, KernelProfile profile,
        string backend, string kernel, long lostEvents)
    {
        var dests = connects.Select(c => c.DestinationPort).Where(d => d != 0).Distinct().ToList();
        var checks = new List<SequenceCheck>();
        var perDest = new List<List<ObservedConnect>>();
        foreach (var d in dests)
        {
            var ok = connects.Where(c => c.DestinationPort == d && c.Port is not null).ToList();
            perDest.Add(ok);
            checks.Add(PortSequenceCheck.Run(profile, range, d, ok.Select(c => c.Port!.Value).ToList(),
                ok.Select(c => c.TimeSeed).ToList(), ok.Select(c => c.NearRekey).ToList()));
        }

        var failures = new List<string>();
        int R = range.Count;
        foreach (var c in checks)
        {
            if (c.Successes != R) failures.Add($"dport {c.DestinationPort}: {c.Successes} successes, expected {R}");
            if (c.ParitySwitchAt != R / 2 + 1 || !c.ParityHalvesClean) failures.Add($"dport {c.DestinationPort}: parity switch at {c.ParitySwitchAt?.ToString() ?? "none"}{(c.ParityHalvesClean ? "" : " (mixed)")}, expected {R / 2 + 1}");
            if (c.Misses.Count > 0) failures.Add($"dport {c.DestinationPort}: {c.Misses.Count} unexplained transitions (first at #{c.Misses[0]})");
            if (c.DenseHits != c.DensePredictions) failures.Add($"dport {c.DestinationPort}: dense predictions {c.DenseHits}/{c.DensePredictions}");
        }
        if (dests.Count < 2) failures.Add($"need two destinations for the cost prediction (got {dests.Count})");
        int? mismatches = connects.Any(c => c.UserPort is not null)
            ? connects.Count(c => c.UserPort is not null && c.Port != c.UserPort) : null;
        if (mismatches > 0) failures.Add($"{mismatches} probe ports differ from getsockname");
        if (lostEvents > 0) failures.Add($"{lostEvents} probe events lost");

        var fit = new ScanCostFit(0, 0, 0);
        var ls = new ScanCostFit(0, 0, 0, CostFitMethod.LeastSquares);
        var errors = new List<ScanTimeError>();
        var lsErrors = new List<ScanTimeError>();
        if (perDest.Count >= 1)
        {
            // Fit on every timed success of the first destination (both occupancy halves), nothing excluded.
            var samples = perDest[0].Select((c, k) => (checks[0].ModelProbes[k], c.ScanNs)).Where(s => s.ScanNs is > 0)
                .Select(s => (s.Item1, s.ScanNs!.Value)).ToList();
            fit = ScanCostFit.Fit(samples, CostFitMethod.LeastAbsoluteDeviations);
            ls = ScanCostFit.Fit(samples, CostFitMethod.LeastSquares);
        }
        if (perDest.Count >= 2)
        {
            errors = Evaluate(fit, perDest[1], checks[1], R);
            lsErrors = Evaluate(ls, perDest[1], checks[1], R);
            foreach (var e in errors.Where(e => e.Bucket != "all" && e.Count > 0 && e.Median > PortsReport.MedianErrorTolerance))
                failures.Add($"scan-time median error {e.Median:P0} above {PortsReport.MedianErrorTolerance:P0} at {e.Bucket} occupancy");
        }
        else errors.Add(new ScanTimeError("all", 0, double.NaN, double.NaN));

        return new PortsReport
        {
            Backend = backend, Kernel = kernel, Range = range, Destinations = checks, ProbeUserMismatches = mismatches,
            CostFit = fit, ScanTimeErrors = errors, LeastSquaresFit = ls, LeastSquaresErrors = lsErrors, LostEvents = lostEvents, Failures = failures,
        };
    }

    /// <summary>Relative errors of <paramref name="fit"/> on a destination it was not fitted on: all, 0–50 %, 50–100 % occupancy.</summary>
    private static List<ScanTimeError> Evaluate(ScanCostFit fit, IReadOnlyList<ObservedConnect> dest, SequenceCheck check, int R)
    {
        var rel = dest.Select((c, k) => (Occ: (double)k / R, Probes: check.ModelProbes[k], c.ScanNs))
            .Where(x => x.ScanNs is > 0)
            .Select(x => (x.Occ, Err: Math.Abs(fit.Predict(x.Probes) - x.ScanNs!.Value) / x.ScanNs.Value)).ToList();
        return
        [
            Summarize("all", rel.Select(x => x.Err)),
            Summarize("0-50%", rel.Where(x => x.Occ < 0.5).Select(x => x.Err)),
            Summarize("50-100%", rel.Where(x => x.Occ >= 0.5).Select(x => x.Err)),
        ];
    }

    private static ScanTimeError Summarize(string bucket, IEnumerable<double> errs)
    {
        var a = errs.Order().ToArray();
        if (a.Length == 0) return new(bucket, 0, double.NaN, double.NaN);
        return new(bucket, a.Length, a[a.Length / 2], a[Math.Min(a.Length - 1, (int)Math.Ceiling(0.9 * a.Length) - 1)]);
    }
}
