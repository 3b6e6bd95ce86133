using System.Text.Json.Nodes;
using PortSelection.Model.Kernel;
using PortSelection.Model.Listen;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Compare;

/// <summary>The model's prediction for one backlog case.</summary>
/// <param name="Established">Client successes before the first dropped SYN (<see cref="SequentialFill"/>), null = unbounded.</param>
/// <param name="RecvQ">Accept-queue length then.</param>
/// <param name="SendQ">Stored backlog (<see cref="ListenBacklog.EffectiveBacklog"/>).</param>
/// <param name="ListenOverflows">ListenOverflows after the timed-out clients' first SYNs.</param>
/// <param name="ListenDrops">ListenDrops likewise.</param>
public readonly record struct BacklogPrediction(long? Established, int RecvQ, int SendQ, long ListenOverflows, long ListenDrops);

/// <summary>One row of <c>validate backlog</c>.</summary>
/// <param name="Kernel">Kernel release.</param>
/// <param name="Case">The configuration.</param>
/// <param name="Predicted">Model.</param>
/// <param name="Observed">Live kernel.</param>
public sealed record BacklogRow(string Kernel, BacklogCase Case, BacklogPrediction Predicted, BacklogObservation Observed)
{
    /// <summary>True when established, Recv-Q, Send-Q (when observed) and the LO/LD deltas all match.</summary>
    public bool Match => Predicted.Established == Observed.Established && Predicted.RecvQ == Observed.RecvQ &&
        (Observed.SendQ is null || Observed.SendQ == Predicted.SendQ) &&
        Predicted.ListenOverflows == Observed.ListenOverflows && Predicted.ListenDrops == Observed.ListenDrops;

    /// <summary>JSON of the row.</summary>
    public JsonObject ToJson() => new()
    {
        ["kernel"] = Kernel, ["backlog"] = Case.Backlog, ["somaxconn"] = Case.Somaxconn, ["max_syn_backlog"] = Case.MaxSynBacklog,
        ["syncookies"] = Case.Syncookies,
        ["predicted"] = new JsonObject
        {
            ["established"] = Predicted.Established, ["recv_q"] = Predicted.RecvQ, ["send_q"] = Predicted.SendQ,
            ["listen_overflows"] = Predicted.ListenOverflows, ["listen_drops"] = Predicted.ListenDrops,
        },
        ["observed"] = new JsonObject
        {
            ["established"] = Observed.Established, ["recv_q"] = Observed.RecvQ, ["send_q"] = Observed.SendQ,
            ["listen_overflows"] = Observed.ListenOverflows, ["listen_drops"] = Observed.ListenDrops, ["attempts"] = Observed.Attempts,
        },
        ["match"] = Match,
    };
}

/// <summary>
/// Model side of <c>validate backlog</c>: the listen-queue rules (listen-queues.md §0, §8, §9.1) for a listener
/// that never accepts and clients one at a time, each surplus client's first SYN dropped once (no retransmission
/// inside the case's 150 ms timeouts).
/// </summary>
public static class BacklogComparison
{
    /// <summary>The default matrix (listen-queues.md §9.1 rows plus cookies-off and small-M variants).</summary>
    public static IReadOnlyList<BacklogCase> DefaultMatrix { get; } =
    [
        new(0, 4096, 2048, 1), new(1, 4096, 2048, 1), new(4, 4096, 2048, 1), new(8, 4096, 2048, 1),
        new(8, 4, 2048, 1), new(8, 4096, 4, 0), new(8, 4096, 2048, 2), new(16, 4096, 2048, 0), new(2, 4096, 16, 0),
    ];

    /// <summary>Predicts one case: <paramref name="failures"/> clients time out after the successes.</summary>
    public static BacklogPrediction Predict(KernelProfile kernel, BacklogCase c, int failures)
    {
        var profile = kernel.Listen;
        var sysctls = ListenSysctls.Defaults(profile) with { Somaxconn = c.Somaxconn, MaxSynBacklog = c.MaxSynBacklog, Syncookies = c.Syncookies };
        var established = SequentialFill.EstablishedBeforeFirstDrop(profile, sysctls, c.Backlog);
        var attempts = (int)Math.Min(established ?? 0, 10_000) + failures;
        var (now, _) = SequentialConnectRun.Run(profile, sysctls, c.Backlog, attempts, new ClientSynOptions(6, 4), spacingMs: 1, observeAfterMs: 1);
        return new BacklogPrediction(established, now.RecvQ, now.SendQ, now.Counters.ListenOverflows, now.Counters.ListenDrops);
    }
}
