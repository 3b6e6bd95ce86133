using System.Text.Json.Serialization;
using PortSelection.Model.Kernel;
using PortSelection.Model.Listen;
using PortSelection.Model.Queueing;

namespace PortSelection.Validator.Cli;

/// <summary>What <c>portsel backlog</c> reports (serialised as JSON with snake_case names).</summary>
internal sealed record BacklogReport
{
    [JsonPropertyName("kernel")] public required string Kernel { get; init; }
    [JsonPropertyName("listen_era")] public required string ListenEra { get; init; }
    [JsonPropertyName("listen_arg")] public required long ListenArg { get; init; }
    [JsonPropertyName("settings")] public required Dictionary<string, long> Settings { get; init; }
    [JsonPropertyName("sources")] public required Dictionary<string, string> Sources { get; init; }
    [JsonPropertyName("effective_backlog")] public required int EffectiveBacklog { get; init; }
    [JsonPropertyName("accept_capacity")] public required long AcceptCapacity { get; init; }
    [JsonPropertyName("syn_queue_capacity")] public required long SynQueueCapacity { get; init; }
    [JsonPropertyName("syn_queue_rule")] public required string SynQueueRule { get; init; }

    /// <summary>Null when no SYN is ever dropped (cookie SYN-ACKs while Y ≤ 1 on 4.4–4.9).</summary>
    [JsonPropertyName("established_before_first_drop")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required long? EstablishedBeforeFirstDrop { get; init; }

    [JsonPropertyName("syn_retransmit_s")] public required double[] SynRetransmitS { get; init; }
    [JsonPropertyName("connect_timeout_s")] public required double ConnectTimeoutS { get; init; }
    [JsonPropertyName("synack_retransmit_s")] public required double[] SynAckRetransmitS { get; init; }
    [JsonPropertyName("synack_request_expire_s")] public required double SynAckRequestExpireS { get; init; }

    [JsonPropertyName("queue_model")] public string? QueueModel { get; init; }
    [JsonPropertyName("p_block")] public double? PBlock { get; init; }
    [JsonPropertyName("p_block_without_retries")] public double? PBlockWithoutRetries { get; init; }
    [JsonPropertyName("effective_syn_rate")] public double? EffectiveSynRate { get; init; }
    [JsonPropertyName("throughput")] public double? Throughput { get; init; }
    [JsonPropertyName("connect_failure_probability")] public double? ConnectFailureProbability { get; init; }
    [JsonPropertyName("mean_accept_queue")] public double? MeanAcceptQueue { get; init; }
    [JsonPropertyName("erlang_c_wait_probability")] public double? ErlangCWaitProbability { get; init; }
    [JsonPropertyName("latency_p50_s")] public double? LatencyP50S { get; init; }
    [JsonPropertyName("latency_p99_s")] public double? LatencyP99S { get; init; }
    [JsonPropertyName("latency_p999_s")] public double? LatencyP999S { get; init; }
    [JsonPropertyName("syn_queue_mean")] public double? SynQueueMean { get; init; }
    [JsonPropertyName("syn_queue_needed")] public long? SynQueueNeeded { get; init; }
    [JsonPropertyName("recommendation")] public BacklogRecommendation? Recommendation { get; init; }
    [JsonPropertyName("notes")] public required List<string> Notes { get; init; }

    /// <summary>Computes the report from resolved inputs (pure: everything comes from the model).</summary>
    public static BacklogReport Build(BacklogInputs i)
    {
        var lp = i.Kernel.Listen;
        var sys = i.Sysctls;
        int b = ListenBacklog.EffectiveBacklog(i.ListenArg, sys.Somaxconn);
        var synSchedule = ClientSynSchedule.Compute(lp, i.Client);
        var synAck = SynAckSchedule.Compute(lp, sys.SynAckRetries, sys.RtoMaxMs);
        var notes = new List<string>();
        if (lp.YoungCheck)
            notes.Add("young-check era (≤ 4.9 vanilla): up to 2 phantom handshakes are answered at a full accept queue; the queueing figures assume every such SYN is dropped (≥ 4.10).");
        if (lp.SynQueueRule == Model.Kernel.SynQueueRule.RoundUpPow2Table)
            notes.Add("≤ 4.3: the SYN-queue table is sized at the first listen() and SYN-ACK timers tick every 200 ms (instants late by up to a few hundred ms).");
        if (sys.Syncookies == 2 && !lp.SyncookiesMode2)
            notes.Add("tcp_syncookies=2 is not implemented before 4.4; it acts as 1.");
        if (i.Client.LinearTimeouts != 0 && !lp.LinearTimeoutsSysctl)
            notes.Add("tcp_syn_linear_timeouts does not exist before 6.5; ignored.");

        var settings = new Dictionary<string, long>
        {
            ["somaxconn"] = sys.Somaxconn,
            ["tcp_max_syn_backlog"] = sys.MaxSynBacklog,
            ["tcp_syncookies"] = sys.Syncookies,
            ["tcp_abort_on_overflow"] = sys.AbortOnOverflow ? 1 : 0,
            ["tcp_syn_retries"] = i.Client.SynRetries,
            ["tcp_synack_retries"] = sys.SynAckRetries,
            ["tcp_syn_linear_timeouts"] = lp.LinearTimeoutsSysctl ? i.Client.LinearTimeouts : 0,
        };
        if (i.Client.UserTimeoutMs > 0) settings["tcp_user_timeout_ms"] = i.Client.UserTimeoutMs;
        var sources = i.Sources.ToDictionary(kv => kv.Key, kv => kv.Value.ToText());
        sources["kernel"] = i.KernelSource.ToText();

        var report = new BacklogReport
        {
            Kernel = i.Kernel.Version.ToString(),
            ListenEra = lp.Era.ToString(),
            ListenArg = i.ListenArg,
            Settings = settings,
            Sources = sources,
            EffectiveBacklog = b,
            AcceptCapacity = ListenBacklog.AcceptCapacity(b),
            SynQueueCapacity = SynQueueLimits.Capacity(lp, sys, b),
            SynQueueRule = lp.SynQueueRule.ToString(),
            EstablishedBeforeFirstDrop = SequentialFill.EstablishedBeforeFirstDrop(lp, sys, i.ListenArg),
            SynRetransmitS = synSchedule.RetransmitMs.Select(ms => ms / 1000.0).ToArray(),
            ConnectTimeoutS = synSchedule.GiveUpMs / 1000.0,
            SynAckRetransmitS = synAck.RetransmitMs.Select(ms => ms / 1000.0).ToArray(),
            SynAckRequestExpireS = synAck.ExpireMs / 1000.0,
            Notes = notes,
        };
        if (i.ArrivalRate is not double lambda || i.AcceptRate is not double mu) return report;

        var model = new AcceptQueueModel(lambda, mu, i.Workers, b);
        double rttS = i.RttMs / 1000.0;
        var point = BacklogPlanner.Evaluate(model, synSchedule, rttS);
        BacklogRecommendation? rec = null;
        if (i.Recommend && i.TargetP99 is double target)
        {
            var best = BacklogPlanner.Recommend(model, synSchedule, rttS, target);
            rec = best is PlanPoint p
                ? new BacklogRecommendation
                {
                    TargetP99S = target, Feasible = true, Backlog = p.Backlog, SomaxconnNeeded = p.Backlog,
                    SomaxconnSufficient = sys.Somaxconn >= p.Backlog, PBlock = p.Retrial.BlockingProbability,
                    LatencyP99S = p.P99.Seconds,
                }
                : new BacklogRecommendation { TargetP99S = target, Feasible = false };
        }
        return report with
        {
            QueueModel = i.Workers is int c ? $"M/M/{c}/{model.SystemCapacity} (c workers accept then process, K = c + B + 1)" : $"M/M/1/{model.SystemCapacity} (accept loop, K = B + 1)",
            PBlock = point.Retrial.BlockingProbability,
            PBlockWithoutRetries = model.Solve().BlockingProbability,
            EffectiveSynRate = point.Retrial.EffectiveArrivalRate,
            Throughput = lambda * (1 - point.Retrial.FailureProbability),
            ConnectFailureProbability = point.Retrial.FailureProbability,
            MeanAcceptQueue = point.Retrial.Queue.MeanAcceptQueue,
            ErlangCWaitProbability = i.Workers is int w ? ErlangC.WaitProbability(w, lambda / mu) : null,
            LatencyP50S = point.P50.Seconds,
            LatencyP99S = point.P99.Seconds,
            LatencyP999S = point.P999.Seconds,
            SynQueueMean = SynQueueOccupancy.Mean(point.Retrial.EffectiveArrivalRate, rttS),
            SynQueueNeeded = SynQueueOccupancy.RequiredCapacity(point.Retrial.EffectiveArrivalRate, rttS, 1e-6),
            Recommendation = rec,
        };
    }
}

/// <summary>The answer to <c>--recommend --target-p99</c>.</summary>
internal sealed class BacklogRecommendation
{
    [JsonPropertyName("target_p99_s")] public required double TargetP99S { get; init; }
    [JsonPropertyName("feasible")] public required bool Feasible { get; init; }
    [JsonPropertyName("backlog")] public int? Backlog { get; init; }
    [JsonPropertyName("somaxconn_needed")] public int? SomaxconnNeeded { get; init; }
    [JsonPropertyName("somaxconn_sufficient")] public bool? SomaxconnSufficient { get; init; }
    [JsonPropertyName("p_block")] public double? PBlock { get; init; }
    [JsonPropertyName("latency_p99_s")] public double? LatencyP99S { get; init; }
}
