using System.Text.Json.Nodes;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Compare;

/// <summary>The result of <c>portsel validate reserved</c>.</summary>
public sealed record ReservedReport
{
    /// <summary>Kernel release.</summary>
    public required string Kernel { get; init; }
    /// <summary>Namespace range.</summary>
    public required PortRange Range { get; init; }
    /// <summary><c>ip_local_reserved_ports</c> as written.</summary>
    public required string Reserved { get; init; }
    /// <summary>Explicitly bound ports (L = listening).</summary>
    public required IReadOnlyList<(int Port, bool Listen)> Binds { get; init; }
    /// <summary>Observed successful connects.</summary>
    public required int Successes { get; init; }
    /// <summary>Model: successful connects (same for every seed tried).</summary>
    public required int PredictedSuccesses { get; init; }
    /// <summary>R − reserved in range − bound in range (the closed form).</summary>
    public required int ClosedForm { get; init; }
    /// <summary>Observed 1-based parity switch ordinal.</summary>
    public int? ParitySwitchAt { get; init; }
    /// <summary>Model parity switch ordinal.</summary>
    public int? PredictedParitySwitchAt { get; init; }
    /// <summary>True when no low-parity port follows the switch.</summary>
    public required bool ParityHalvesClean { get; init; }
    /// <summary>Observed ports that are reserved or held by an explicit bind (must be none).</summary>
    public required IReadOnlyList<int> ForbiddenChosen { get; init; }
    /// <summary>errno of the connect after the last success (99 = EADDRNOTAVAIL), or null when the run ended otherwise.</summary>
    public int? FinalErrno { get; init; }
    /// <summary>Failed checks.</summary>
    public required IReadOnlyList<string> Failures { get; init; }
    /// <summary>True when every check passed.</summary>
    public bool Agrees => Failures.Count == 0;

    /// <summary>One verdict line.</summary>
    public string VerdictLine() => FormattableString.Invariant(
        $"validate reserved: {(Agrees ? "AGREE" : "DISAGREE")} — successes {Successes} (model {PredictedSuccesses}, R − reserved − bound = {ClosedForm}), ") +
        FormattableString.Invariant($"parity switch at {ParitySwitchAt?.ToString() ?? "-"} (model {PredictedParitySwitchAt?.ToString() ?? "-"}), reserved/bound chosen {ForbiddenChosen.Count}, ") +
        $"then {(FinalErrno is int e ? Probe.LibC.ErrnoName(e) : "no failure")}" + (Agrees ? "" : " — " + string.Join("; ", Failures));

    /// <summary>The JSON object of the report.</summary>
    public JsonObject ToJson() => new()
    {
        ["check"] = "reserved",
        ["kernel"] = Kernel,
        ["range"] = $"{Range.Low}-{Range.High}",
        ["reserved_ports"] = Reserved,
        ["bound_ports"] = new JsonArray(Binds.Select(b => (JsonNode)(b.Listen ? $"{b.Port} (listening)" : $"{b.Port}")).ToArray()),
        ["successes"] = Successes,
        ["predicted_successes"] = PredictedSuccesses,
        ["r_minus_reserved_minus_bound"] = ClosedForm,
        ["parity_switch_at"] = ParitySwitchAt,
        ["predicted_parity_switch_at"] = PredictedParitySwitchAt,
        ["parity_halves_clean"] = ParityHalvesClean,
        ["reserved_or_bound_chosen"] = new JsonArray(ForbiddenChosen.Take(50).Select(p => (JsonNode)p).ToArray()),
        ["final_errno"] = FinalErrno is int e ? Probe.LibC.ErrnoName(e) : null,
        ["failures"] = new JsonArray(Failures.Select(f => (JsonNode)f).ToArray()),
        ["verdict"] = Agrees ? "agree" : "disagree",
    };
}

/// <summary>
/// <c>validate reserved</c>: a connect() fill with <c>ip_local_reserved_ports</c> set and a few ports held by explicit
/// bind() (one listening) compared with the model (<see cref="KernelHost"/>): connect() skips reserved ports before any
/// lock and never takes a BindOwned bucket (port-selection.md §2.2, §5.4), so the fill gets exactly R − reserved − bound
/// ports, all of low's parity first.
/// </summary>
public static class ReservedValidation
{
    /// <summary>Default namespace range.</summary>
    public static readonly PortRange DefaultRange = new(40000, 40999);
    /// <summary>Default reserved list (sysctl syntax).</summary>
    public const string DefaultReserved = "40100-40199,40500";
    /// <summary>Default explicit binds: two even (one listening) and one odd port.</summary>
    public static readonly IReadOnlyList<(int Port, bool Listen)> DefaultBinds = [(40010, false), (40011, false), (40600, true)];

    /// <summary>Compares the user-side results of the fill (in call order) with the model.</summary>
    public static ReservedReport Compare(IReadOnlyList<Scenarios.ConnectResult> connects, PortRange range, string reservedText,
        IReadOnlyList<(int Port, bool Listen)> binds, KernelProfile profile, int dport, string kernel)
    {
        var reserved = PortListSyntax.Parse(reservedText);
        var config = NamespaceConfig.DefaultsFor(profile) with { Range = range, Reserved = reserved };
        var runs = new[] { 1UL, 2UL, 3UL }.Select(s => AutobindRun.Run(profile, config, binds, SocketOptions.Default, dport, range.Count + 1, s)).ToList();
        var model = runs[0];
        var failures = new List<string>();
        if (runs.Any(r => r.Successes != model.Successes || r.ParitySwitchAt(range.Low) != model.ParitySwitchAt(range.Low)))
            failures.Add("model: counts depend on the random draws (model defect)");

        var ok = connects.Where(c => c.Succeeded).Select(c => (int)c.LocalPort).ToList();
        int firstFail = connects.ToList().FindIndex(c => !c.Succeeded);
        int? finalErrno = firstFail >= 0 ? connects[firstFail].Errno : null;
        var bound = binds.Select(b => b.Port).ToHashSet();
        var forbidden = ok.Where(p => reserved.Contains(p) || bound.Contains(p)).ToList();
        int closed = range.Count - Enumerable.Range(range.Low, range.Count).Count(p => reserved.Contains(p) || bound.Contains(p));
        int? sw = AutobindRun.ParitySwitch(ok, range.Low);
        bool clean = sw is null || ok.Skip(sw.Value - 1).All(p => (p & 1) != (range.Low & 1));

        if (ok.Count != model.Successes) failures.Add($"{ok.Count} successes, model {model.Successes}");
        if (sw != model.ParitySwitchAt(range.Low)) failures.Add($"parity switch at {sw?.ToString() ?? "none"}, model {model.ParitySwitchAt(range.Low)?.ToString() ?? "none"}");
        if (!clean) failures.Add("parity halves mixed");
        if (forbidden.Count > 0) failures.Add($"{forbidden.Count} reserved or bound ports chosen (first {forbidden[0]})");
        if (firstFail != ok.Count) failures.Add("a connect failed before the range was exhausted");
        if (model.FailureError == PortError.EADDRNOTAVAIL && finalErrno != Scenarios.RawSocket.EAddrNotAvail)
            failures.Add($"the fill ended with {(finalErrno is int e ? Probe.LibC.ErrnoName(e) : "no failure")}, model EADDRNOTAVAIL");

        return new ReservedReport
        {
            Kernel = kernel, Range = range, Reserved = reservedText, Binds = binds, Successes = ok.Count,
            PredictedSuccesses = model.Successes, ClosedForm = closed, ParitySwitchAt = sw,
            PredictedParitySwitchAt = model.ParitySwitchAt(range.Low), ParityHalvesClean = clean, ForbiddenChosen = forbidden,
            FinalErrno = finalErrno, Failures = failures,
        };
    }
}
