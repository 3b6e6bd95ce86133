using System.Diagnostics;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Tests.Probe;

/// <summary>Live: the cgroup backend (cgroup/connect4 + cgroup_skb/egress + cgroup/sock_release on a private threaded
/// cgroup). Destination ports 5621–5625 (unique to these tests: the kernel's perturb table is global).</summary>
[Collection(LiveCollection.Name)]
public sealed class CgroupBackendLiveTests(ITestOutputHelper output)
{
    private static ProbeSession Open(ProbeMode mode = ProbeMode.Compact) =>
        LiveEnvironment.OrSkip(() => ProbeSession.Open(new ProbeOptions { Backends = [ProbeBackend.Cgroup], Mode = mode }));

    private static string? V2PathOf(int tid) => ProbeCgroup.ParseV2Path(File.ReadAllText($"/proc/self/task/{tid}/cgroup"));

    [Fact]
    public void Records_a_fill_with_the_ports_getsockname_saw_and_the_final_failure()
    {
        LiveEnvironment.RequireOrSkip();
        var result = LiveEnvironment.OrSkip(() => PortFillScenario.Run(new PortFillRequest
        {
            RangeLow = 43300,
            RangeHigh = 43399,
            Destinations = [5621],
            Count = 101,
            TimeLimit = TimeSpan.FromSeconds(30),
            Probe = new ProbeOptions { Backends = [ProbeBackend.Cgroup] },
        }));
        Assert.Equal(ProbeBackend.Cgroup, result.Backend);
        Assert.Equal(ProbeMode.Compact, result.Header.Mode);
        Assert.Matches($@"/{NetworkNamespace.Prefix}{Environment.ProcessId}-\d+$", result.Header.Cgroup);
        Assert.False(Directory.Exists(result.Header.Cgroup), "the private cgroup outlived the fill");
        Assert.Equal(0, result.LostEvents);
        Assert.DoesNotContain(result.Events, e => e.Kind is ProbeEventKind.ConnectEnter or ProbeEventKind.ConnectExit);
        Assert.Equal(101, result.Connects.Count);
        Assert.Equal(101, result.Traces.Count);
        for (var i = 0; i < 100; i++)
        {
            var t = result.Traces[i];
            Assert.Equal(0, result.Connects[i].Errno);
            Assert.Equal(result.Connects[i].LocalPort, t.ChosenPort);
            Assert.False(t.Failed);
            Assert.InRange(t.ScanNs!.Value, 500, 10_000_000);
            Assert.Equal((ushort)5621, t.ScanStart!.Value.DestinationPort);
            Assert.Equal("127.0.0.1", t.PortChosen!.Value.SourceAddress);
            Assert.Equal(t.ScanStart!.Value.Socket, t.PortChosen!.Value.Socket);
            // the bracket lies inside the user's connect() call (same clock)
            Assert.InRange((long)t.ScanStart!.Value.TimestampNs, result.Connects[i].StartNs, result.Connects[i].EndNs);
            Assert.InRange((long)t.PortChosen!.Value.TimestampNs, result.Connects[i].StartNs, result.Connects[i].EndNs);
        }
        Assert.Equal(RawSocket.EAddrNotAvail, result.Connects[100].Errno);
        var last = result.Traces[100];
        Assert.True(last.Failed);
        Assert.Null(last.ChosenPort);
        Assert.Null(last.ScanNs);
        Assert.Equal(ProbeEvent.AuxSeenAtRelease, last.ScanFailed!.Value.Aux);
        Assert.Equal((ushort)5621, last.ScanFailed!.Value.DestinationPort);
        Assert.Empty(LiveSuiteFixture.OurCgroups());
        Assert.Equal(0, LiveResources.Count);
        output.WriteLine($"scan bracket median {result.Traces.Take(100).Select(t => t.ScanNs!.Value).Order().ElementAt(50)} ns");
    }

    [Fact]
    public void Sees_only_sockets_of_traced_threads_and_moves_them_back()
    {
        LiveEnvironment.RequireOrSkip();
        using var session = Open();
        Assert.Equal(ProbeBackend.Cgroup, session.Backend);
        Assert.NotNull(session.CgroupPath);
        using var ns = NetworkNamespace.Create(new Dictionary<string, string> { ["net.ipv4.ip_local_port_range"] = "44100 44199" });
        using var other = new NetnsThread(ns.Path); // same namespace, never traced
        var tid = ns.Thread.Tid;
        var before = V2PathOf(tid);
        var traced = new ConnectFiller();
        var untraced = new ConnectFiller();
        Listener? listener = null;
        try
        {
            ns.Thread.Invoke(() => { listener = Listener.Open(5622, 64); }); // opened before tracing: outside the cgroup
            Assert.Equal(0, session.Trace(tid));
            Assert.EndsWith("/" + Path.GetFileName(session.CgroupPath), V2PathOf(tid));
            Assert.Equal(before, V2PathOf(other.Tid));
            ns.Thread.Invoke(() => traced.Run(Enumerable.Repeat((ushort)5622, 3).ToList(), new ConnectSocketOptions(), TimeSpan.FromSeconds(10)));
            other.Invoke(() => untraced.Run(Enumerable.Repeat((ushort)5622, 4).ToList(), new ConnectSocketOptions(), TimeSpan.FromSeconds(10)));
            Assert.Equal(0, session.Untrace(tid));
            Assert.Equal(before, V2PathOf(tid));
            ns.Thread.Invoke(() => traced.Run(Enumerable.Repeat((ushort)5622, 2).ToList(), new ConnectSocketOptions(), TimeSpan.FromSeconds(10)));

            var events = session.TakeEvents();
            Assert.All(events, e => Assert.Equal((uint)tid, e.Tid));
            var traces = ConnectTrace.Assemble(events, (uint)tid);
            Assert.Equal(traced.Results.Take(3).Select(r => (ushort?)r.LocalPort), traces.Select(t => t.ChosenPort));
            Assert.Equal(0, session.LostEvents);
        }
        finally
        {
            ns.Thread.Invoke(() =>
            {
                traced.Dispose();
                untraced.Dispose();
                listener?.Dispose();
            });
        }
    }

    [Fact]
    public void Floor_mode_attaches_and_records_nothing()
    {
        LiveEnvironment.RequireOrSkip();
        using var session = Open(ProbeMode.Floor);
        Assert.Equal(ProbeMode.Floor, session.Mode);
        using var ns = NetworkNamespace.Create();
        var filler = new ConnectFiller();
        Listener? listener = null;
        try
        {
            ns.Thread.Invoke(() => { listener = Listener.Open(5623, 16); });
            Assert.Equal(0, session.Trace(ns.Thread.Tid));
            ns.Thread.Invoke(() => filler.Run(Enumerable.Repeat((ushort)5623, 3).ToList(), new ConnectSocketOptions(), TimeSpan.FromSeconds(10)));
            Assert.All(filler.Results, r => Assert.Equal(0, r.Errno));
            Assert.Empty(session.TakeEvents());
            Assert.Equal(0, session.ReceivedRecords);
        }
        finally
        {
            ns.Thread.Invoke(() => { filler.Dispose(); listener?.Dispose(); });
        }
    }

    [Fact]
    public void Dispose_moves_a_thread_still_traced_back_and_removes_the_cgroup()
    {
        LiveEnvironment.RequireOrSkip();
        using var ns = NetworkNamespace.Create();
        var tid = ns.Thread.Tid;
        var before = V2PathOf(tid);
        string path;
        using (var session = Open())
        {
            path = session.CgroupPath!;
            Assert.True(Directory.Exists(path));
            Assert.Equal("threaded", File.ReadAllText(Path.Combine(path, "cgroup.type")).Trim());
            Assert.Equal(0, session.Trace(tid));
            Assert.Equal(-3, session.Trace(int.MaxValue)); // ESRCH: no such thread or process
        } // no Untrace
        Assert.Equal(before, V2PathOf(tid));
        Assert.False(Directory.Exists(path));
        Assert.Empty(LiveSuiteFixture.OurCgroups());
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public void A_signalled_probe_leaves_no_cgroup(string signal)
    {
        LiveEnvironment.RequireOrSkip();
        using var run = ProbeRun.Start();
        var cgroup = run.WaitForCgroup();
        var sleeper = run.SleeperPid(cgroup);
        Signal(run.Process.Id, signal);
        Assert.True(run.Process.WaitForExit(15_000), "portsel probe did not stop");
        output.WriteLine($"SIG{signal}: exit {run.Process.ExitCode}"); // (stderr stays open while an orphaned sleeper lives)
        Assert.False(Directory.Exists(cgroup), $"{cgroup} left after SIG{signal}");
        Assert.DoesNotContain(NamespaceJanitor.ListCgroups(), p => NamespaceJanitor.CreatorPid(Path.GetFileName(p)) == run.Process.Id);
        if (sleeper > 0 && Directory.Exists($"/proc/{sleeper}"))
            Assert.DoesNotContain(NetworkNamespace.Prefix, File.ReadAllText($"/proc/{sleeper}/cgroup"), StringComparison.Ordinal);
    }

    [Fact]
    public void Cleanup_removes_the_cgroup_of_a_killed_probe_and_frees_its_process()
    {
        LiveEnvironment.RequireOrSkip();
        using var run = ProbeRun.Start();
        var cgroup = run.WaitForCgroup();
        var sleeper = run.SleeperPid(cgroup);
        Assert.True(sleeper > 0, "the traced command is not in the cgroup");
        Signal(run.Process.Id, "KILL");
        Assert.True(run.Process.WaitForExit(15_000));
        Assert.True(Directory.Exists(cgroup), "SIGKILL cannot be caught: the cgroup stays until `portsel cleanup`");

        var report = NamespaceJanitor.Cleanup();
        Assert.Contains(report, r => r.Kind == "cgroup" && r.Name == cgroup && r.Action == "removed");
        Assert.False(Directory.Exists(cgroup));
        Assert.DoesNotContain(NetworkNamespace.Prefix, File.ReadAllText($"/proc/{sleeper}/cgroup"), StringComparison.Ordinal);
    }

    [Fact]
    public void Cleanup_keeps_the_cgroup_of_a_live_creator()
    {
        LiveEnvironment.RequireOrSkip();
        using var session = Open();
        var report = NamespaceJanitor.Cleanup();
        Assert.Contains(report, r => r.Kind == "cgroup" && r.Name == session.CgroupPath && r.Action.StartsWith("kept", StringComparison.Ordinal));
        Assert.True(Directory.Exists(session.CgroupPath));
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit(5000);
    }

    /// <summary><c>portsel probe --backend cgroup -- sleep 60</c> in a child process (the sleeper is moved into the
    /// probe's cgroup); disposing kills what is left of it.</summary>
    private sealed class ProbeRun : IDisposable
    {
        public required Process Process { get; init; }
        private int _sleeper;

        public static ProbeRun Start()
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "portsel.dll"), "probe", "--backend", "cgroup", "--out", "/dev/null", "--duration", "60", "--", "sleep", "60" })
                psi.ArgumentList.Add(a);
            return new ProbeRun { Process = Process.Start(psi)! };
        }

        public string WaitForCgroup()
        {
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < TimeSpan.FromSeconds(20))
            {
                var mine = NamespaceJanitor.ListCgroups().Where(p => NamespaceJanitor.CreatorPid(Path.GetFileName(p)) == Process.Id).ToList();
                if (mine.Count == 1 && File.Exists(Path.Combine(mine[0], "cgroup.threads")) &&
                    File.ReadAllText(Path.Combine(mine[0], "cgroup.threads")).Trim().Length > 0)
                    return mine[0];
                if (Process.HasExited) Assert.Fail($"portsel probe exited early: {Process.StandardError.ReadToEnd()}");
                Thread.Sleep(50);
            }
            Assert.Fail("portsel probe did not create its cgroup within 20 s");
            return "";
        }

        public int SleeperPid(string cgroup)
        {
            var ids = File.ReadAllText(Path.Combine(cgroup, "cgroup.threads")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            _sleeper = ids.Length > 0 ? int.Parse(ids[0], System.Globalization.CultureInfo.InvariantCulture) : 0;
            return _sleeper;
        }

        public void Dispose()
        {
            try { if (!Process.HasExited) { Process.Kill(entireProcessTree: true); Process.WaitForExit(5000); } }
            catch (InvalidOperationException) { }
            if (_sleeper > 0)
            {
                try { Process.GetProcessById(_sleeper).Kill(); }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
            }
            Process.Dispose();
        }
    }
}
