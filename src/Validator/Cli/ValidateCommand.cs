using System.CommandLine;
using System.Text.Json.Nodes;
using PortSelection.Model.Kernel;
using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Cli;

/// <summary>
/// <c>portsel validate CHECK</c>: runs a live experiment in a private namespace (or replays a recorded
/// trace) and compares it with the model. Exit 0 agree, 1 disagree, 2 bad input, 3 live work impossible.
/// </summary>
public static class ValidateCommand
{
    /// <summary>The checks, in the order <c>all</c> runs them.</summary>
    public static readonly string[] Checks = ["ports", "backlog", "reserved", "step1", "bind", "timewait", "synretry"];

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var check = new Argument<string>("check") { Description = $"What to validate: {string.Join(", ", Checks)} or all." };
        check.AcceptOnlyFromAmong([.. Checks, "all"]);
        var range = new Option<string?>("--range") { Description = "Namespace ip_local_port_range LOW-HIGH (ports, reserved, step1: default 40000-40999)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON on stdout." };
        var trace = new Option<string?>("--trace") { Description = "ports, reserved, step1, timewait, bind: replay this recording (from --record) offline with the same comparison." };
        var record = new Option<string?>("--record") { Description = "ports, reserved, step1 (JSON Lines probe trace), timewait, bind (JSON observations): write the live run's recording to FILE." };
        var kernel = new Option<string?>("--kernel") { Description = "Kernel release to model (only with --trace; default: the trace's)." };
        var dports = new Option<int[]>("--dport") { Description = "ports: the two destination ports (default 5290 5291); use ports no concurrent run uses.", AllowMultipleArgumentsPerToken = true };
        var backend = new Option<string>("--backend") { Description = "ports, reserved, step1: probe backend auto (fentry → kprobe → cgroup → tracepoint → classic), fentry, kprobe, cgroup, tracepoint or classic.", DefaultValueFactory = _ => "auto" };
        var cmd = new Command("validate", "Compare the model with the LIVE kernel (private namespace portsel-<pid>-<n>, loopback, per-netns sysctls) or with a recorded trace; prints a verdict line, exit 1 on disagreement.");
        cmd.Arguments.Add(check);
        foreach (var o in new Option[] { range, json, trace, record, kernel, dports, backend }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var what = parse.GetValue(check)!;
            var opts = new ValidateOptions
            {
                Range = parse.GetValue(range),
                Trace = parse.GetValue(trace),
                Record = parse.GetValue(record),
                Kernel = parse.GetValue(kernel),
                DestinationPorts = parse.GetValue(dports) is { Length: > 0 } d ? d : [5290, 5291],
                Backends = ProbeCommand.ParseBackends(parse.GetValue(backend) ?? "auto", ProbeBackendSpec.ConnectRecordOrder),
            };
            if (opts.Kernel is not null && opts.Trace is null) throw new UsageException("--kernel is only for replay (--trace FILE)");
            if (opts.Kernel is not null && !KernelProfile.TryFromRelease(opts.Kernel, out _, out var kerr)) throw new UsageException($"--kernel: {kerr}");
            if (opts.Trace is not null && NotReplayable(what) is { } why) throw new UsageException(why);
            if (opts.Record is not null && NotReplayable(what) is { } why2) throw new UsageException(why2.Replace("--trace", "--record", StringComparison.Ordinal));
            if (opts.Trace is not null && !File.Exists(opts.Trace)) throw new UsageException($"--trace: no such file '{opts.Trace}'");
            if (opts.DestinationPorts.Length != 2 || opts.DestinationPorts.Any(p => p is <= 0 or > 65535) || opts.DestinationPorts[0] == opts.DestinationPorts[1])
                throw new UsageException("--dport takes two different ports 1..65535");
            var list = what == "all" ? (opts.Trace is null ? Checks : ["ports"]) : [what];
            var reports = new JsonArray();
            var worst = CliApp.Ok;
            foreach (var c in list)
            {
                CheckOutcome outcome;
                try
                {
                    outcome = c switch
                    {
                        "ports" => ValidatePorts.Run(opts),
                        "backlog" => ValidateBacklog.Run(opts),
                        "reserved" => ValidateReserved.Run(opts),
                        "step1" => ValidateStep1.Run(opts),
                        "bind" => ValidateBind.Run(opts),
                        "timewait" => ValidateTimeWait.Run(opts),
                        "synretry" => ValidateSynRetry.Run(opts),
                        _ => throw new UsageException($"unknown check '{c}'"),
                    };
                }
                catch (ProbeUnavailableException e)
                {
                    Console.Error.WriteLine($"portsel: {e.Message}");
                    return CliApp.Unavailable;
                }
                Console.Error.WriteLine($"portsel: {outcome.Verdict}");
                reports.Add(outcome.Json);
                if (!outcome.Agrees) worst = CliApp.Disagreement;
            }
            if (parse.GetValue(json))
                Json.Print(list.Length == 1 ? reports[0]!.DeepClone() : new JsonObject { ["checks"] = reports.DeepClone(), ["verdict"] = worst == CliApp.Ok ? "agree" : "disagree" });
            return worst;
        });
        return cmd;
    }

    /// <summary>Checks that replay a recorded probe trace (<c>--trace</c>) and can record one (<c>--record</c>).</summary>
    public static readonly string[] Replayable = ["ports", "reserved", "step1", "timewait", "bind"];

    /// <summary>Null when <paramref name="check"/> can be replayed from a trace; otherwise the one-line reason it cannot.</summary>
    public static string? NotReplayable(string check) => check switch
    {
        "ports" or "reserved" or "step1" or "timewait" or "bind" or "all" => null,
        "backlog" => "validate backlog: --trace cannot be replayed: it reads the listener's queue counters (ss, /proc/net), not probe events",
        "synretry" => "validate synretry: --trace cannot be replayed: it times captured SYN packets on lo, not probe events",
        _ => $"validate {check}: --trace is not supported",
    };
}

/// <summary>Options shared by the validate checks.</summary>
public sealed record ValidateOptions
{
    /// <summary>--range text, or null for the check's default.</summary>
    public string? Range { get; init; }
    /// <summary>Trace to replay, or null for a live run.</summary>
    public string? Trace { get; init; }
    /// <summary>Where to write the live trace, or null.</summary>
    public string? Record { get; init; }
    /// <summary>Kernel release to model on replay.</summary>
    public string? Kernel { get; init; }
    /// <summary>Destination ports of the ports check.</summary>
    public int[] DestinationPorts { get; init; } = [5290, 5291];
    /// <summary>Probe backends to try, in order (ports, reserved, step1; default: the connect-record order).</summary>
    public IReadOnlyList<ProbeBackend> Backends { get; init; } = ProbeBackendSpec.ConnectRecordOrder;
}

/// <summary>The result of one check: verdict line, JSON, agreement.</summary>
/// <param name="Verdict">One line.</param>
/// <param name="Json">The JSON report.</param>
/// <param name="Agrees">True when the kernel agreed with the model within tolerance.</param>
public sealed record CheckOutcome(string Verdict, JsonObject Json, bool Agrees);
