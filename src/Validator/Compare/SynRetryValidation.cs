using System.Text.Json.Nodes;
using PortSelection.Model.Kernel;
using PortSelection.Model.Listen;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Compare;

/// <summary>The result of <c>portsel validate synretry</c>.</summary>
/// <param name="Kernel">Kernel release.</param>
/// <param name="Observation">What the capture saw.</param>
/// <param name="Model">The model's schedule (<see cref="ClientSynSchedule"/>).</param>
/// <param name="Failures">Failed checks.</param>
public sealed record SynRetryReport(string Kernel, SynRetryObservation Observation, ClientSynSchedule Model, IReadOnlyList<string> Failures)
{
    /// <summary>True when every check passed.</summary>
    public bool Agrees => Failures.Count == 0;

    /// <summary>One verdict line.</summary>
    public string VerdictLine() => FormattableString.Invariant(
        $"validate synretry: {(Agrees ? "AGREE" : "DISAGREE")} — SYNs at {string.Join(", ", Observation.SynAtMs.Select(t => (t / 1000).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))} s ") +
        FormattableString.Invariant($"(model {string.Join(", ", Enumerable.Range(0, Model.Attempts).Select(k => Model.AttemptMs(k)!.Value / 1000.0))}), ") +
        FormattableString.Invariant($"{Probe.LibC.ErrnoName(Observation.ConnectErrno)} at {Observation.ConnectEndMs / 1000:0.000} s (model ETIMEDOUT at {Model.GiveUpMs / 1000.0} s), tolerance max(40 ms, 8 %)") +
        (Agrees ? "" : " — " + string.Join("; ", Failures));

    /// <summary>The JSON object of the report.</summary>
    public JsonObject ToJson() => new()
    {
        ["check"] = "synretry",
        ["kernel"] = Kernel,
        ["tcp_syncnt"] = Observation.SynCount,
        ["tcp_syn_linear_timeouts"] = Observation.LinearTimeouts,
        ["syn_at_ms"] = new JsonArray(Observation.SynAtMs.Select(t => (JsonNode)Math.Round(t, 1)).ToArray()),
        ["model_syn_at_ms"] = new JsonArray(Enumerable.Range(0, Model.Attempts).Select(k => (JsonNode)Model.AttemptMs(k)!.Value).ToArray()),
        ["connect_errno"] = Probe.LibC.ErrnoName(Observation.ConnectErrno),
        ["connect_end_ms"] = Math.Round(Observation.ConnectEndMs, 1),
        ["model_give_up_ms"] = Model.GiveUpMs,
        ["failures"] = new JsonArray(Failures.Select(f => (JsonNode)f).ToArray()),
        ["verdict"] = Agrees ? "agree" : "disagree",
    };
}

/// <summary>
/// <c>validate synretry</c>: captured SYN retransmission instants and the ETIMEDOUT instant against
/// <see cref="ClientSynSchedule"/> for the running kernel's listen-queue profile, within
/// <see cref="TimingTolerance"/> (max(40 ms, 8 %) of the modelled time since the first SYN; listen-queues.md §6.3, §6.4).
/// </summary>
public static class SynRetryValidation
{
    /// <summary>Compares an observation with the model.</summary>
    public static SynRetryReport Compare(KernelProfile profile, SynRetryObservation o, string kernel)
    {
        var lq = profile.Listen;
        var model = ClientSynSchedule.Compute(lq, new ClientSynOptions(o.SynCount, o.LinearTimeouts ?? lq.LinearTimeoutsDefault));
        var failures = new List<string>();
        if (o.SynAtMs.Count != model.Attempts) failures.Add($"{o.SynAtMs.Count} SYNs captured, model {model.Attempts}");
        for (int k = 1; k < Math.Min(o.SynAtMs.Count, model.Attempts); k++)
        {
            long m = model.AttemptMs(k)!.Value;
            if (!TimingTolerance.Agrees(o.SynAtMs[k], m))
                failures.Add(FormattableString.Invariant($"SYN #{k} at {o.SynAtMs[k]:0} ms, model {m} ± {TimingTolerance.ToleranceMs(m):0} ms"));
        }
        if (o.ConnectErrno != 110) failures.Add($"connect() ended with {Probe.LibC.ErrnoName(o.ConnectErrno)}, model ETIMEDOUT");
        else if (!TimingTolerance.Agrees(o.ConnectEndMs, model.GiveUpMs))
            failures.Add(FormattableString.Invariant($"ETIMEDOUT at {o.ConnectEndMs:0} ms, model {model.GiveUpMs} ± {TimingTolerance.ToleranceMs(model.GiveUpMs):0} ms"));
        return new SynRetryReport(kernel, o, model, failures);
    }
}
