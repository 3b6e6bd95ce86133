using System.Text.Json.Nodes;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Validator.Compare;

/// <summary>The result of <c>portsel validate step1</c>.</summary>
public sealed record Step1Report
{
    /// <summary>Kernel release.</summary>
    public required string Kernel { get; init; }
    /// <summary>Namespace range.</summary>
    public required PortRange Range { get; init; }
    /// <summary>Observed successes.</summary>
    public required int Successes { get; init; }
    /// <summary>Model successes.</summary>
    public required int PredictedSuccesses { get; init; }
    /// <summary>errno of connect number successes + 1.</summary>
    public int? FinalErrno { get; init; }
    /// <summary>Parity changes between consecutive ports among the first R/2 (observed).</summary>
    public required int ParityChangesFirstHalf { get; init; }
    /// <summary>True when the model's first R/2 ports contain both parities (step 1 interleaves).</summary>
    public required bool PredictedInterleave { get; init; }
    /// <summary>Consistency of the transitions with <c>T += max(i, r) + 1</c>.</summary>
    public required Step1Check Sequence { get; init; }
    /// <summary>Histogram of deltas 1..8 between consecutive ports where the scan found the first candidate free (i = 0 feasible), index 0 = delta 1.</summary>
    public required IReadOnlyList<int> SmallDeltas { get; init; }
    /// <summary>Failed checks.</summary>
    public required IReadOnlyList<string> Failures { get; init; }
    /// <summary>True when every check passed.</summary>
    public bool Agrees => Failures.Count == 0;

    /// <summary>One verdict line.</summary>
    public string VerdictLine() => FormattableString.Invariant(
        $"validate step1: {(Agrees ? "AGREE" : "DISAGREE")} — successes {Successes} (model {PredictedSuccesses}), then {(FinalErrno is int e ? Probe.LibC.ErrnoName(e) : "no failure")}, ") +
        FormattableString.Invariant($"parity changes in first half {ParityChangesFirstHalf}, transitions {Sequence.Consistent}/{Sequence.Transitions} consistent with T += max(i, r) + 1, re-keys {Sequence.RekeyBoundaries.Count}") +
        (Agrees ? "" : " — " + string.Join("; ", Failures));

    /// <summary>The JSON object of the report.</summary>
    public JsonObject ToJson() => new()
    {
        ["check"] = "step1",
        ["kernel"] = Kernel,
        ["range"] = $"{Range.Low}-{Range.High}",
        ["socket_option"] = "IP_LOCAL_PORT_RANGE=0xFFFF0000",
        ["successes"] = Successes,
        ["predicted_successes"] = PredictedSuccesses,
        ["final_errno"] = FinalErrno is int e ? Probe.LibC.ErrnoName(e) : null,
        ["parity_changes_first_half"] = ParityChangesFirstHalf,
        ["predicted_interleave"] = PredictedInterleave,
        ["transitions"] = Sequence.Transitions,
        ["consistent_transitions"] = Sequence.Consistent,
        ["misses"] = new JsonArray(Sequence.Misses.Take(50).Select(m => (JsonNode)m).ToArray()),
        ["rekey_boundaries"] = Sequence.RekeyBoundaries.Count,
        ["delta_histogram_1_to_8"] = new JsonArray(SmallDeltas.Select(d => (JsonNode)d).ToArray()),
        ["failures"] = new JsonArray(Failures.Select(f => (JsonNode)f).ToArray()),
        ["verdict"] = Agrees ? "agree" : "disagree",
    };
}

/// <summary>
/// <c>validate step1</c>: every socket sets <c>IP_LOCAL_PORT_RANGE = 0xFFFF0000</c> (both halves ignored by the clamp, but
/// "set": step 1 since 6.8, port-selection.md §3.7, §8.2). The model (<see cref="KernelHost"/>) predicts R successes,
/// EADDRNOTAVAIL at R + 1 and interleaved parities; every transition must fit <c>T += max(i, r) + 1</c>.
/// </summary>
public static class Step1Validation
{
    /// <summary>The option value used: lo = 0, hi = 65535.</summary>
    public static readonly PerSocketRange Option = new(0xFFFF0000);

    /// <summary>Compares the observed connects of a one-destination fill with the model.</summary>
    public static Step1Report Compare(IReadOnlyList<ObservedConnect> connects, PortRange range, KernelProfile profile, int dport, string kernel)
    {
        var config = NamespaceConfig.DefaultsFor(profile) with { Range = range, Reserved = PortBitmap.Empty };
        var model = AutobindRun.Run(profile, config, [], new SocketOptions { LocalPortRange = Option }, dport, range.Count + 1, 7);
        var ok = connects.Where(c => c.Port is not null).ToList();
        var ports = ok.Select(c => c.Port!.Value).ToList();
        int firstFail = connects.ToList().FindIndex(c => c.Port is null);
        int? finalErrno = firstFail >= 0 ? connects[firstFail].Errno : null;
        int half = range.Count / 2;
        int changes = 0;
        for (int k = 1; k < Math.Min(half, ports.Count); k++) if ((ports[k] & 1) != (ports[k - 1] & 1)) changes++;
        bool modelInterleave = model.Ports.Take(half).Select(p => p & 1).Distinct().Count() == 2;
        var seq = Step1SequenceCheck.Run(range, ports, ok.Select(c => c.TimeSeed).ToList(), ok.Select(c => c.NearRekey).ToList());
        var hist = new int[8];
        var seen = new HashSet<int>();
        for (int k = 0; k < ports.Count; k++)
        {
            if (k > 0)
            {
                int d = ((ports[k] - ports[k - 1]) % range.Count + range.Count) % range.Count;
                if (d is >= 1 and <= 8) hist[d - 1]++;
            }
            seen.Add(ports[k]);
        }

        var failures = new List<string>();
        if (ports.Count != model.Successes) failures.Add($"{ports.Count} successes, model {model.Successes}");
        if (model.FailureError == PortError.EADDRNOTAVAIL && (firstFail != ports.Count || finalErrno != Scenarios.RawSocket.EAddrNotAvail))
            failures.Add($"connect #{ports.Count + 1} ended with {(finalErrno is int e ? Probe.LibC.ErrnoName(e) : "no failure")}, model EADDRNOTAVAIL");
        if (modelInterleave && changes == 0) failures.Add("parities do not interleave in the first half (step 2 behaviour)");
        if (seq.Misses.Count > 0) failures.Add($"{seq.Misses.Count} transitions not explained by T += max(i, r) + 1 (first at #{seq.Misses[0]})");
        if (ok.Any(c => c.UserPort is int u && u != c.Port)) failures.Add("probe ports differ from getsockname");
        return new Step1Report
        {
            Kernel = kernel, Range = range, Successes = ports.Count, PredictedSuccesses = model.Successes, FinalErrno = finalErrno,
            ParityChangesFirstHalf = changes, PredictedInterleave = modelInterleave, Sequence = seq, SmallDeltas = hist, Failures = failures,
        };
    }
}
