using PortSelection.Model.Ports;
using PortSelection.Validator.Cli;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Tests.Cli;

namespace PortSelection.Validator.Tests.Compare;

/// <summary>Offline: replay of recorded reserved and step-1 fills (Compare/Data/, recorded on 6.18.44 with the tracepoint
/// backend by `portsel validate step1 --range 40000-40063 --record step1-64.jsonl` and
/// `portsel validate reserved --range 40000-40111 --record reserved-112.jsonl`), of recorded timewait and bind observations
/// (`validate timewait --record timewait.json`, `validate bind --record bind-10.json`), and the checks that cannot be replayed.</summary>
public sealed class ChecksReplayTests
{
    private static string DataPath(string name) => Path.Combine(AppContext.BaseDirectory, "Compare", "Data", name);

    [Fact]
    public void Recorded_step1_fill_agrees_on_replay()
    {
        var t = TraceFile.Read(DataPath("step1-64.jsonl"));
        var range = TraceReplay.Range(null, t, new PortRange(1, 1));
        Assert.Equal(new PortRange(40000, 40063), range);
        var r = ValidateStep1.Replay(t, range);
        Assert.True(r.Agrees, r.VerdictLine());
        Assert.Contains("successes 64 (model 64)", r.VerdictLine(), StringComparison.Ordinal);
        Assert.Contains("transitions 63/63", r.VerdictLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void Recorded_reserved_fill_agrees_on_replay()
    {
        var t = TraceFile.Read(DataPath("reserved-112.jsonl"));
        Assert.Equal(ReservedValidation.DefaultReserved, t.Sysctls["net.ipv4.ip_local_reserved_ports"].Replace("\t", "", StringComparison.Ordinal));
        var r = ValidateReserved.Replay(t, TraceReplay.Range(null, t, ReservedValidation.DefaultRange));
        Assert.True(r.Agrees, r.VerdictLine());
        Assert.Equal(98, r.Successes);
        Assert.Equal(98, r.ClosedForm);
        Assert.Empty(r.ForbiddenChosen);
        Assert.Equal(50, r.ParitySwitchAt);
    }

    [Fact]
    public void A_tampered_reserved_trace_disagrees()
    {
        var t = TraceFile.Read(DataPath("reserved-112.jsonl"));
        // Pretend the kernel chose a reserved port for the first connect.
        var i = t.Events.ToList().FindIndex(e => e.Kind == ProbeEventKind.PortChosen);
        var events = t.Events.ToList();
        events[i] = events[i] with { SourcePort = 40100 };
        var r = ValidateReserved.Replay(t with { Events = events }, new PortRange(40000, 40111));
        Assert.False(r.Agrees);
        Assert.Contains(40100, r.ForbiddenChosen);
    }

    [Theory]
    [InlineData("step1")]
    [InlineData("reserved")]
    public void Cli_replays_the_recorded_trace(string check)
    {
        var file = DataPath(check == "step1" ? "step1-64.jsonl" : "reserved-112.jsonl");
        var (exit, _, err) = Portsel.Run("validate", check, "--trace", file);
        Assert.True(exit == 0, err);
        Assert.Contains("AGREE", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Recorded_timewait_observations_agree_on_replay()
    {
        var (release, rec) = ObservationFile.Read<TimeWaitRecording>(DataPath("timewait.json"), "timewait");
        Assert.Equal([2, 0], rec.Runs.Select(r => r.TcpTwReuse));
        var r = ValidateTimeWait.Compare(PortSelection.Model.Kernel.KernelProfile.FromRelease(release), release, rec);
        Assert.True(r.Agrees, r.VerdictLine());
        // Tampered: pretend tcp_tw_reuse = 0 let the 1.15 s reconnect through; the model says EADDRNOTAVAIL.
        var zero = rec.Runs[1];
        var bad = zero with { Attempts = [.. zero.Attempts.Select(a => a with { Errno = 0, Port = zero.FirstPort })] };
        var r2 = ValidateTimeWait.Compare(PortSelection.Model.Kernel.KernelProfile.FromRelease(release), release, rec with { Runs = [rec.Runs[0], bad] });
        Assert.False(r2.Agrees);
    }

    [Fact]
    public void Recorded_bind_sequences_agree_on_replay()
    {
        var (release, rec) = ObservationFile.Read<BindRecording>(DataPath("bind-10.json"), "bind");
        Assert.Equal(11, rec.Plain.Count);
        var r = ValidateBind.Compare(PortSelection.Model.Kernel.KernelProfile.FromRelease(release), release, rec);
        Assert.True(r.Agrees, r.VerdictLine());
        // Tampered: an even port first without SO_REUSEADDR is impossible (bind(0) prefers the odd parity).
        var bad = rec with { Plain = [rec.Plain[5], .. rec.Plain.Where((_, i) => i != 5)] };
        Assert.False(ValidateBind.Compare(PortSelection.Model.Kernel.KernelProfile.FromRelease(release), release, bad).Agrees);
    }

    [Theory]
    [InlineData("timewait", "timewait.json")]
    [InlineData("bind", "bind-10.json")]
    public void Cli_replays_the_recorded_observations(string check, string file)
    {
        var (exit, _, err) = Portsel.Run("validate", check, "--trace", DataPath(file));
        Assert.True(exit == 0, err);
        Assert.Contains("AGREE", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recording_of_another_check_is_refused_in_one_line()
    {
        var (exit, _, err) = Portsel.Run("validate", "bind", "--trace", DataPath("timewait.json"));
        Assert.Equal(2, exit);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("recorded by `validate timewait`", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("backlog")]
    [InlineData("synretry")]
    public void Checks_without_probe_events_refuse_trace_in_one_line(string check)
    {
        var (exit, _, err) = Portsel.Run("validate", check, "--trace", DataPath("step1-64.jsonl"));
        Assert.Equal(2, exit);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("cannot be replayed", err, StringComparison.Ordinal);
        Assert.Contains($"validate {check}", err, StringComparison.Ordinal);
    }
}
