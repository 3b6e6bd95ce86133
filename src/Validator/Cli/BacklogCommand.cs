using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary>
/// <c>portsel backlog</c>: listen-queue sizing, SYN / SYN-ACK timing and capacity planning for one listener
/// (model: PortSelection.Model.Listen and .Queueing; rules: shared/kernel/listen-queues.md).
/// </summary>
public static class BacklogCommand
{
    /// <summary>Builds the command, reading defaults from the running system's <c>/proc/sys</c>.</summary>
    public static Command Create() => Create(() => HostSysctls.Read());

    /// <summary>Builds the command with an injectable source of host sysctls (tests).</summary>
    /// <param name="readHost">Reads the running system's sysctls (never writes).</param>
    internal static Command Create(Func<HostSysctls> readHost)
    {
        var kernel = new Option<string?>("--kernel")
        {
            Description = "Kernel release to model, e.g. 6.18, 5.10.35 or 4.9.0 (default: the running kernel, /proc/sys/kernel/osrelease). " +
                          "Selects the era's rules and defaults; the running system's sysctls are used only when this is the running kernel.",
            HelpName = "release",
        };
        var backlog = new Option<int?>("--backlog")
        {
            Description = "The listen() argument (any int; negative or > somaxconn ⇒ somaxconn, compared as unsigned). " +
                          "Default: INT_MAX, what .NET Socket.Listen() passes. Example: --backlog 511",
            HelpName = "n",
        };
        var somaxconn = new Option<int?>("--somaxconn") { Description = "net.core.somaxconn (connections; default host value, else 128 before 5.4 / 4096 from 5.4). Example: --somaxconn 4096", HelpName = "n" };
        var maxSyn = new Option<int?>("--max-syn-backlog") { Description = "net.ipv4.tcp_max_syn_backlog M (requests; with cookies off at most M − ⌊M/4⌋ + 1 requests). Example: --max-syn-backlog 2048", HelpName = "n" };
        var cookies = new Option<int?>("--syncookies") { Description = "net.ipv4.tcp_syncookies: 0 never, 1 when the SYN queue is full (default from 3.x), 2 always (4.4+). Example: --syncookies 0", HelpName = "0|1|2" };
        var abort = new Option<bool?>("--abort-on-overflow") { Description = "net.ipv4.tcp_abort_on_overflow: RST instead of keeping the request when the 3rd ACK finds the accept queue full (flag, or true/false).", Arity = ArgumentArity.ZeroOrOne };
        var synRetries = new Option<int?>("--syn-retries") { Description = "Client tcp_syn_retries or TCP_SYNCNT N (1..127; default 6 from 3.7, 5 before). Example: --syn-retries 2", HelpName = "n" };
        var synAckRetries = new Option<int?>("--synack-retries") { Description = "Server tcp_synack_retries R (0..127, default 5): SYN-ACKs at 1, 3, 7, 15, 31 s, request dropped at 63 s.", HelpName = "n" };
        var linear = new Option<int?>("--syn-linear-timeouts") { Description = "tcp_syn_linear_timeouts L (6.5+, default 4): the first L SYN retransmissions are 1 s apart. Example: --syn-linear-timeouts 0", HelpName = "n" };
        var userTimeout = new Option<long?>("--user-timeout") { Description = "Client TCP_USER_TIMEOUT in ms (honoured in SYN_SENT from ~4.19). Example: --user-timeout 2500", HelpName = "ms" };
        var arrival = new Option<double?>("--arrival-rate") { Description = "Capacity planning: new connections per second offered to the listener (λ). Example: --arrival-rate 9000", HelpName = "conn/s" };
        var accept = new Option<double?>("--accept-rate") { Description = "Capacity planning: accept() completions per second of the accept loop, or connections per second of one worker with --workers (μ). Example: --accept-rate 10000", HelpName = "conn/s" };
        var workers = new Option<int?>("--workers") { Description = "Capacity planning: c threads that each accept() and then process a connection (model M/M/c/(c+B+1)); without it one pure accept loop (M/M/1/(B+1)). Example: --workers 8", HelpName = "c" };
        var rtt = new Option<double?>("--rtt") { Description = "Client–server round-trip time in ms, added to connect() latency (default 1). Example: --rtt 20", HelpName = "ms" };
        var recommend = new Option<bool>("--recommend") { Description = "Answer the planner's question: the smallest backlog (and the somaxconn it needs) whose p99 connect latency meets --target-p99." };
        var target = new Option<double?>("--target-p99") { Description = "Target p99 connect() latency in seconds, used with --recommend. Example: --target-p99 0.5", HelpName = "s" };
        var json = new Option<bool>("--json") { Description = "Print JSON (snake_case fields) instead of text." };
        var ignoreHost = new Option<bool>("--ignore-host") { Description = "Do not read the running system's sysctls; use the era defaults (reproducible output)." };

        var cmd = new Command("backlog",
            "Listen queues of one listener: effective backlog, accept- and SYN-queue capacity, handshakes before the first SYN drop, " +
            "client SYN and server SYN-ACK retransmission instants; with --arrival-rate/--accept-rate the drop probability, throughput, " +
            "mean accept queue and connect-latency percentiles; with --recommend the backlog that meets a p99 target.\n" +
            "Examples:\n  portsel backlog --kernel 6.18 --backlog 128\n" +
            "  portsel backlog --kernel 5.10 --backlog 511 --arrival-rate 9000 --accept-rate 10000 --rtt 2 --json\n" +
            "  portsel backlog --kernel 6.18 --arrival-rate 9000 --accept-rate 10000 --recommend --target-p99 0.5");
        foreach (var o in new Option[] { kernel, backlog, somaxconn, maxSyn, cookies, abort, synRetries, synAckRetries, linear, userTimeout,
                                         arrival, accept, workers, rtt, recommend, target, json, ignoreHost })
            cmd.Options.Add(o);

        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var flags = new BacklogInputs.Flags(
                    parse.GetValue(kernel), parse.GetValue(backlog), parse.GetValue(somaxconn), parse.GetValue(maxSyn),
                    parse.GetValue(cookies), AbortValue(parse, abort), parse.GetValue(synRetries), parse.GetValue(synAckRetries),
                    parse.GetValue(linear), parse.GetValue(userTimeout), parse.GetValue(arrival), parse.GetValue(accept),
                    parse.GetValue(workers), parse.GetValue(rtt), parse.GetValue(recommend), parse.GetValue(target), parse.GetValue(ignoreHost));
                var inputs = BacklogInputs.Resolve(flags, parse.GetValue(ignoreHost) ? HostSysctls.None : readHost());
                var report = BacklogReport.Build(inputs);
                output.Write(parse.GetValue(json) ? ToJson(report) : ToText(report));
                return CliApp.Ok;
            }
            catch (UsageException e)
            {
                error.WriteLine($"portsel backlog: {e.Message}");
                return CliApp.BadInput;
            }
        });
        return cmd;
    }

    private static bool? AbortValue(ParseResult parse, Option<bool?> abort)
    {
        var r = parse.GetResult(abort);
        if (r is null) return null;
        return parse.GetValue(abort) ?? true;   // bare flag ⇒ true
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    internal static string ToJson(BacklogReport r) => JsonSerializer.Serialize(r, JsonOptions) + "\n";

    internal static string ToText(BacklogReport r)
    {
        var ci = CultureInfo.InvariantCulture;
        string S(string key) => r.Sources.TryGetValue(key, out var s) ? s : "?";
        string V(string key) => $"{r.Settings[key]} [{S(key)}]";
        string Secs(double[] xs) => string.Join(", ", xs.Select(x => x.ToString("0.###", ci)));
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"kernel {r.Kernel} [{S("kernel")}], listen era {r.ListenEra}");
        sb.AppendLine(ci, $"  listen() arg {(r.ListenArg == int.MaxValue ? "INT_MAX" : r.ListenArg.ToString(ci))} [{S("backlog")}], somaxconn {V("somaxconn")}, tcp_max_syn_backlog {V("tcp_max_syn_backlog")},");
        sb.AppendLine(ci, $"  tcp_syncookies {V("tcp_syncookies")}, tcp_abort_on_overflow {V("tcp_abort_on_overflow")}, tcp_syn_retries {V("tcp_syn_retries")}, tcp_synack_retries {V("tcp_synack_retries")}, tcp_syn_linear_timeouts {V("tcp_syn_linear_timeouts")}");
        sb.AppendLine(ci, $"effective backlog B              {r.EffectiveBacklog}");
        sb.AppendLine(ci, $"accept-queue capacity            {r.AcceptCapacity}   (full when A > B)");
        sb.AppendLine(ci, $"SYN-queue capacity               {r.SynQueueCapacity}   ({r.SynQueueRule})");
        sb.AppendLine(ci, $"established before 1st SYN drop  {(r.EstablishedBeforeFirstDrop is long n ? n.ToString(ci) : "unbounded (cookie SYN-ACKs while young ≤ 1)")}   (clients one at a time, listener never accepts)");
        sb.AppendLine(ci, $"client SYN retransmissions (s)   {Secs(r.SynRetransmitS)}; ETIMEDOUT at {r.ConnectTimeoutS.ToString("0.###", ci)} s");
        sb.AppendLine(ci, $"server SYN-ACK retransmissions   {Secs(r.SynAckRetransmitS)} s; request dropped at {r.SynAckRequestExpireS.ToString("0.###", ci)} s");
        if (r.PBlock is double pb)
        {
            sb.AppendLine(ci, $"queue model                      {r.QueueModel}");
            sb.AppendLine(ci, $"P(SYN dropped)                   {pb:G4}   (with client retries; {r.PBlockWithoutRetries:G4} without), SYN rate {r.EffectiveSynRate:F1}/s");
            sb.AppendLine(ci, $"throughput                       {r.Throughput:F1} conn/s, connect() failure probability {r.ConnectFailureProbability:G3}");
            sb.AppendLine(ci, $"mean accept queue (Recv-Q)       {r.MeanAcceptQueue:F3}");
            if (r.ErlangCWaitProbability is double ec) sb.AppendLine(ci, $"Erlang C P(wait), infinite queue {ec:G4}");
            sb.AppendLine(ci, $"connect latency p50/p99/p99.9    {r.LatencyP50S:0.###} / {r.LatencyP99S:0.###} / {r.LatencyP999S:0.###} s");
            sb.AppendLine(ci, $"SYN queue (Little)               mean {r.SynQueueMean:F2} requests, {r.SynQueueNeeded} needed for P(overflow) ≤ 1e-6");
        }
        if (r.Recommendation is { } rec)
        {
            if (rec.Feasible)
                sb.AppendLine(ci, $"recommendation                   backlog {rec.Backlog} (p99 {rec.LatencyP99S:0.###} s ≤ {rec.TargetP99S} s, P(SYN dropped) {rec.PBlock:G3}); somaxconn ≥ {rec.SomaxconnNeeded} ({(rec.SomaxconnSufficient == true ? "current value suffices" : "raise it")})");
            else
                sb.AppendLine(ci, $"recommendation                   no backlog ≤ 65535 meets p99 ≤ {rec.TargetP99S} s (add workers or accept faster; the target must exceed the RTT)");
        }
        foreach (var note in r.Notes) sb.AppendLine(ci, $"note: {note}");
        return sb.ToString();
    }
}
