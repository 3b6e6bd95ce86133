using System.CommandLine;
using System.Diagnostics;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary>
/// <c>portsel probe</c>: attaches the probe (fentry → kprobe → tracepoint → classic), traces a command it
/// starts or the given pids, and writes a JSON Lines trace (header, events, footer).
/// </summary>
public static class ProbeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var pids = new Option<int[]>("--pid") { Description = "Trace this process (tgid) or thread (tid); repeatable.", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string?>("--out") { Description = "Write the JSON Lines trace to FILE (default: stdout)." };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds (default: until Ctrl-C, the command ends, or every pid is gone)." };
        var backend = new Option<string>("--backend") { Description = "auto (fentry → kprobe → tracepoint → classic), fentry, kprobe, tracepoint (tp_btf), classic (tracefs tracepoints) or cgroup (connect records only: moves the traced processes into a private cgroup v2 while tracing).", DefaultValueFactory = _ => "auto" };
        var listenPorts = new Option<int[]>("--listen-port") { Description = "Also report SYN-ACK retransmissions of listeners on this port; repeatable.", AllowMultipleArgumentsPerToken = true };
        var verbose = new Option<bool>("--verbose") { Description = "Print libbpf's messages to stderr." };
        var detail = new Option<bool>("--detail") { Description = "One ring-buffer record per event, including every TCP state change of the traced tasks (default: one compact record per connect, expanded into the same connect events)." };
        var command = new Argument<string[]>("command") { Description = "Command to start and trace (after --), e.g. -- curl http://127.0.0.1:8080/", Arity = ArgumentArity.ZeroOrMore };

        var cmd = new Command("probe", "Attach the connect()/port-selection probe and record a JSON Lines trace.");
        cmd.Options.Add(pids);
        cmd.Options.Add(output);
        cmd.Options.Add(duration);
        cmd.Options.Add(backend);
        cmd.Options.Add(listenPorts);
        cmd.Options.Add(verbose);
        cmd.Options.Add(detail);
        cmd.Arguments.Add(command);
        cmd.SetAction(parse => Run(
            parse.GetValue(pids) ?? [], parse.GetValue(output), parse.GetValue(duration), parse.GetValue(backend) ?? "auto",
            parse.GetValue(listenPorts) ?? [], parse.GetValue(verbose), parse.GetValue(detail), parse.GetValue(command) ?? []));
        return cmd;
    }

    /// <summary>Parses a --backend value into the order to try; <c>auto</c> is <paramref name="auto"/> (default: the
    /// general order <see cref="ProbeBackendSpec.DefaultOrder"/>).</summary>
    public static IReadOnlyList<ProbeBackend> ParseBackends(string value, IReadOnlyList<ProbeBackend>? auto = null) => value.ToLowerInvariant() switch
    {
        "auto" => auto ?? ProbeBackendSpec.DefaultOrder,
        "fentry" => [ProbeBackend.Fentry],
        "kprobe" => [ProbeBackend.Kprobe],
        "tracepoint" or "tp" or "tp_btf" => [ProbeBackend.Tracepoint],
        "classic" => [ProbeBackend.Classic],
        "cgroup" => [ProbeBackend.Cgroup],
        _ => throw new UsageException($"--backend must be auto, fentry, kprobe, tracepoint, classic or cgroup (got '{value}')"),
    };

    private static int Run(int[] pids, string? outPath, double? durationSec, string backendName, int[] listenPorts, bool verbose, bool detail, string[] command)
    {
        var backends = ParseBackends(backendName);
        if (pids.Length == 0 && command.Length == 0)
            throw new UsageException("give --pid PID or a command to run (portsel probe -- CMD ARGS...)");
        if (pids.Any(p => p <= 0)) throw new UsageException("--pid must be positive");
        if (listenPorts.Any(p => p is <= 0 or > 65535)) throw new UsageException("--listen-port must be 1..65535");
        if (durationSec is { } d && (d <= 0 || d > 86_400)) throw new UsageException("--duration must be in (0, 86400] seconds");
        foreach (var p in pids)
            if (!NamespaceJanitor.IsAlive(p)) throw new UsageException($"no process or thread {p}");

        BpfLog.Verbose = verbose;
        LiveResources.HandleInterrupt = false; // Ctrl-C stops the loop below; `using` disposes
        ProbeSession session;
        try
        {
            // Traced processes' children are followed (sched_process_fork), as a tracing tool is expected to.
            session = ProbeSession.Open(new ProbeOptions
            {
                Backends = backends, Mode = detail ? ProbeMode.Detail : ProbeMode.Compact, FollowChildren = true,
            });
        }
        catch (ProbeUnavailableException e)
        {
            Console.Error.WriteLine($"portsel: {e.Message}");
            return CliApp.Unavailable;
        }

        using var _ = session;
        foreach (var a in session.Attempts)
            Console.Error.WriteLine($"portsel: backend {a.Backend.ToString().ToLowerInvariant()}: {(a.Succeeded ? "" : "failed: ")}{a.Reason}");

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
        Console.CancelKeyPress += onCancel;
        Process? child = null;
        Stream? file = null;
        try
        {
            file = outPath is null ? Console.OpenStandardOutput() : new FileStream(outPath, FileMode.Create, FileAccess.Write, FileShare.Read);
            using var writer = new TraceWriter(file);
            var traced = new List<int>(pids);
            foreach (var p in pids) session.Trace(p);
            foreach (var lp in listenPorts) session.TraceListenPort((ushort)lp);

            if (command.Length > 0)
            {
                // The shell waits for one line, so its pid is traced before the command runs;
                // `exec` keeps that pid. The command's stdin is then at EOF.
                // When the trace goes to stdout, the command's stdout is forwarded to our stderr.
                var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = outPath is null };
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add("read _portsel_go; exec \"$@\"");
                psi.ArgumentList.Add("portsel-probe");
                foreach (var a in command) psi.ArgumentList.Add(a);
                child = Process.Start(psi) ?? throw new UsageException($"cannot start {command[0]}");
                if (outPath is null)
                {
                    child.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
                    child.BeginOutputReadLine();
                }
                session.Trace(child.Id);
                traced.Add(child.Id);
                child.StandardInput.WriteLine();
                child.StandardInput.Close();
            }

            writer.WriteHeader(new TraceHeader
            {
                KernelRelease = KernelClock.Release(),
                Hz = KernelClock.Hz(),
                Jiffies = KernelClock.ReadJiffiesAnchor(),
                Backend = session.Backend,
                Mode = session.Mode,
                Attempts = session.Attempts,
                Cgroup = session.CgroupPath,
                Sysctls = ReadHostSysctls(),
                Traced = traced,
            });

            var sw = Stopwatch.StartNew();
            var limit = durationSec is { } s ? TimeSpan.FromSeconds(s) : TimeSpan.FromDays(1);
            long written = 0;
            var lastProgress = TimeSpan.Zero;
            while (!stop.IsCancellationRequested && sw.Elapsed < limit)
            {
                foreach (var e in session.TakeEvents()) { writer.WriteEvent(e); written++; }
                if (child is not null && child.HasExited) break;
                if (child is null && pids.All(p => !NamespaceJanitor.IsAlive(p))) break;
                if (sw.Elapsed - lastProgress >= TimeSpan.FromSeconds(1))
                {
                    lastProgress = sw.Elapsed;
                    Console.Error.WriteLine($"portsel: {sw.Elapsed.TotalSeconds:0}s events {written} lost {session.LostEvents}");
                }
                stop.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(50));
            }
            foreach (var e in session.TakeEvents()) { writer.WriteEvent(e); written++; }
            writer.WriteFooter(written, session.LostEvents, session.LostThreadStates);
            if (child is { HasExited: true })
            {
                child.WaitForExit(); // flush forwarded output
                Console.Error.WriteLine($"portsel: command exited with code {child.ExitCode}");
            }
            Console.Error.WriteLine($"portsel: {written} events, {session.LostEvents} lost, backend {session.Backend.ToString().ToLowerInvariant()}");
            return CliApp.Ok;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            if (child is { HasExited: false })
            {
                Console.Error.WriteLine($"portsel: stopping the command we started (pid {child.Id})");
                try { child.Kill(); child.WaitForExit(5000); } catch (InvalidOperationException) { }
            }
            child?.Dispose();
            if (outPath is not null) file?.Dispose();
        }
    }

    private static Dictionary<string, string> ReadHostSysctls()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var k in NetworkNamespace.RecordedSysctls)
        {
            var path = NetworkNamespace.SysctlPath(k);
            try { if (File.Exists(path)) d[k] = File.ReadAllText(path).Trim(); }
            catch (IOException) { }
        }
        return d;
    }
}
