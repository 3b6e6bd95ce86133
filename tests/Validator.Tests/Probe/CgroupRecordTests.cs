using PortSelection.Model.Kernel;
using PortSelection.Model.Occupancy;
using PortSelection.Model.Ports;
using PortSelection.Validator.Cli;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Tests.Probe;

/// <summary>Offline: the cgroup backend's record (the compact struct with kind CgroupRecord), how its events assemble into
/// connects, how a live fill joins them with the user side, and the backend's place in the orders and options.</summary>
public sealed class CgroupRecordTests
{
    private static ProbeConnectRecord Chosen(ulong start, ulong end, ulong cookie, ushort sport = 40002) => new()
    {
        ScanStartNs = start, ScanEndNs = end, Kind = ProbeEventKind.CgroupRecord, SourceAddressRaw = 0x0100007F,
        DestinationAddressRaw = 0x0100007F, SourcePort = sport, DestinationPort = 5611, Family = 2, Outcome = ScanOutcome.PortChosen,
        State = (byte)TcpSocketState.SynSent, Pid = 70, Tid = 77, Socket = cookie, CpuEnter = 1, CpuExit = 0,
    };

    private static ProbeConnectRecord Failed(ulong start, ulong released, ulong cookie) => new()
    {
        ScanStartNs = start, ExitNs = released, Kind = ProbeEventKind.CgroupRecord, DestinationAddressRaw = 0x0100007F,
        DestinationPort = 5611, Family = 2, Outcome = ScanOutcome.Failed, State = (byte)TcpSocketState.Close,
        Pid = 70, Tid = 77, Socket = cookie,
    };

    [Fact]
    public void A_chosen_port_expands_into_scan_start_and_port_chosen_without_syscall_events()
    {
        var events = Chosen(1_000_000, 1_004_500, 0x1001).ToEvents().ToList();
        Assert.Equal([ProbeEventKind.ScanStart, ProbeEventKind.PortChosen], events.Select(e => e.Kind));
        Assert.Equal(0, events[0].SourcePort);
        Assert.Equal((byte)TcpSocketState.SynSent, events[0].NewState);
        var t = Assert.Single(ConnectTrace.Assemble(events, 77));
        Assert.Equal((ushort)40002, t.ChosenPort);
        Assert.False(t.Failed);
        Assert.Equal(4_500L, t.ScanNs);
        Assert.Null(t.SyscallNs);
        Assert.Null(t.Return);
        Assert.Equal(0x1001UL, t.PortChosen!.Value.Socket);
    }

    [Fact]
    public void A_failure_is_stamped_at_release_and_has_no_scan_time()
    {
        var events = Failed(2_000_000, 2_090_000, 0x1002).ToEvents().ToList();
        Assert.Equal([ProbeEventKind.ScanStart, ProbeEventKind.ScanFailed], events.Select(e => e.Kind));
        Assert.Equal(2_090_000UL, events[1].TimestampNs);
        Assert.Equal(ProbeEvent.AuxSeenAtRelease, events[1].Aux);
        var t = Assert.Single(ConnectTrace.Assemble(events, 77));
        Assert.True(t.Failed);
        Assert.Null(t.ChosenPort);
        Assert.Null(t.ScanNs);
        Assert.Equal((ushort)5611, t.ScanFailed!.Value.DestinationPort);
    }

    [Fact]
    public void Connects_pair_by_socket_when_a_failure_is_released_after_later_connects()
    {
        // Socket A fails (no SYN) but is closed only after socket B connected; C's start was not kept (end only).
        var events = Failed(1_000, 9_000, 0xA).ToEvents()
            .Concat(Chosen(3_000, 7_000, 0xB, sport: 40010).ToEvents())
            .Concat(Chosen(10_000, 12_000, 0xC, sport: 40012).ToEvents().Skip(1))
            .Reverse().ToList(); // any order
        var traces = ConnectTrace.Assemble(events, 77);
        Assert.Equal(3, traces.Count);
        Assert.Equal([0, 1, 2], traces.Select(t => t.Index));
        Assert.True(traces[0].Failed);
        Assert.Equal(0xAUL, traces[0].ScanStart!.Value.Socket);
        Assert.Equal((ushort)40010, traces[1].ChosenPort);
        Assert.Equal(4_000L, traces[1].ScanNs);
        Assert.Null(traces[2].ScanStart);
        Assert.Equal((ushort)40012, traces[2].ChosenPort);
        Assert.Null(traces[2].ScanNs);
    }

    [Fact]
    public void Tracepoint_events_still_assemble_per_syscall()
    {
        var r = new ProbeConnectRecord
        {
            EnterNs = 100, ScanStartNs = 200, ScanEndNs = 300, ExitNs = 400, Kind = ProbeEventKind.ConnectRecord,
            SourcePort = 40001, DestinationPort = 5611, Family = 2, Outcome = ScanOutcome.PortChosen, Tid = 77,
        };
        var t = Assert.Single(ConnectTrace.Assemble(r.ToEvents(), 77));
        Assert.Equal(300L, t.SyscallNs);
        Assert.Equal(100L, t.ScanNs);
    }

    [Fact]
    public void Live_fill_joins_probe_and_user_connects_by_time()
    {
        // User connects: #0 ok, #1 failed before the probe saw anything (no record), #2 ok, #3 EADDRNOTAVAIL (record at release).
        var connects = new List<ConnectResult>
        {
            new(0, 5611, 0, "", 40002, 1_000, 2_000),
            new(1, 5611, 101, "connect", 0, 3_000, 3_500),
            new(2, 5611, 0, "", 40004, 5_000, 6_000),
            new(3, 5611, 99, "connect", 0, 7_000, 7_800),
        };
        var events = Chosen(1_100, 1_800, 0x1, sport: 40002).ToEvents()
            .Concat(Chosen(5_100, 5_900, 0x3, sport: 40004).ToEvents())
            .Concat(Failed(7_100, 7_900, 0x4).ToEvents()).ToList();
        var obs = PortsValidation.FromLive(Fill(connects, events));
        Assert.Equal(4, obs.Count);
        Assert.Equal([40002, null, 40004, null], obs.Select(o => o.Port));
        Assert.Equal([40002, null, 40004, null], obs.Select(o => o.UserPort));
        Assert.Equal([0, 101, 0, 99], obs.Select(o => o.Errno));
        Assert.Equal([700L, null, 800L, null], obs.Select(o => o.ScanNs));
        Assert.All(obs, o => Assert.Equal(5611, o.DestinationPort));
    }

    [Fact]
    public void A_lost_record_shows_as_a_probe_getsockname_mismatch()
    {
        var connects = new List<ConnectResult> { new(0, 5611, 0, "", 40002, 1_000, 2_000), new(1, 5611, 0, "", 40004, 3_000, 4_000) };
        var obs = PortsValidation.FromLive(Fill(connects, [.. Chosen(3_100, 3_900, 0x2, sport: 40004).ToEvents()]));
        Assert.Equal([null, 40004], obs.Select(o => o.Port));
        Assert.Equal([40002, 40004], obs.Select(o => o.UserPort));
    }

    [Fact]
    public void Recorded_cgroup_fill_replays_and_agrees()
    {
        // Data/ports-64-cgroup.jsonl: `portsel validate ports --range 40000-40063 --dport 5297 5298 --record ...` on 6.18.44,
        // cgroup backend (no syscall events; the final EADDRNOTAVAIL is a scan_failed seen at release).
        var t = TraceFile.Read(Path.Combine(AppContext.BaseDirectory, "Data", "ports-64-cgroup.jsonl"));
        Assert.Equal("cgroup", t.Backend);
        Assert.DoesNotContain(t.Events, e => e.Kind is ProbeEventKind.ConnectEnter or ProbeEventKind.ConnectExit);
        var obs = PortsValidation.FromEvents(t.Events, t.Hz, t.Jiffies);
        var last = obs[^1];
        Assert.Null(last.Port);
        Assert.Equal(99, last.Errno);
        Assert.Null(last.ScanNs);
        var r = PortsValidation.Compare(obs, new PortRange(40000, 40063), KernelProfile.FromRelease(t.KernelRelease), t.Backend, t.KernelRelease, t.LostEvents);
        Assert.True(r.Agrees, string.Join("; ", r.Failures));
        Assert.Equal([64, 64], r.Destinations.Select(d => d.Successes));
        Assert.All(r.Destinations, d => Assert.Equal(33, d.ParitySwitchAt));
        Assert.InRange(r.CostFit.NsPerProbe, 5, 200);
    }

    [Fact]
    public void Orders_modes_and_options_know_the_cgroup_backend()
    {
        var spec = ProbeBackendSpec.For(ProbeBackend.Cgroup);
        Assert.Equal("connect_cgroup.bpf.o", spec.ObjectFile);
        Assert.Equal(ProbeAttach.Cgroup, spec.Attach);
        Assert.Equal(ProbeMode.Compact, spec.EffectiveMode(ProbeMode.Compact));
        Assert.Equal(ProbeMode.Floor, spec.EffectiveMode(ProbeMode.Floor));
        Assert.Null(spec.EffectiveMode(ProbeMode.Detail));
        Assert.Null(spec.EffectiveMode(ProbeMode.HookFloor));
        Assert.Equal(ProbeMode.HookFloor, ProbeBackendSpec.For(ProbeBackend.Tracepoint).EffectiveMode(ProbeMode.HookFloor));
        Assert.Equal(ProbeMode.Detail, ProbeBackendSpec.For(ProbeBackend.Kprobe).EffectiveMode(ProbeMode.Compact));

        Assert.DoesNotContain(ProbeBackend.Cgroup, ProbeBackendSpec.DefaultOrder);
        Assert.Equal([ProbeBackend.Fentry, ProbeBackend.Kprobe, ProbeBackend.Cgroup, ProbeBackend.Tracepoint, ProbeBackend.Classic],
            ProbeBackendSpec.ConnectRecordOrder);
        Assert.Equal([ProbeBackend.Cgroup], ProbeCommand.ParseBackends("cgroup"));
        Assert.Equal(ProbeBackendSpec.ConnectRecordOrder, ProbeCommand.ParseBackends("auto", ProbeBackendSpec.ConnectRecordOrder));
        Assert.Equal(ProbeBackendSpec.ConnectRecordOrder, new ValidateOptions().Backends);
    }

    [Fact]
    public void Bench_modes_take_an_optional_backend()
    {
        var modes = BenchProbeCommand.ParseModes(BenchProbeCommand.DefaultModes);
        Assert.Equal(["cgroup:compact", "cgroup:floor", "tracepoint:compact", "tracepoint:detail", "tracepoint:floor", "tracepoint:hook-floor"],
            modes.Select(m => m.Name));
        Assert.Equal([ProbeBackend.Cgroup], modes[0].Backends);
        Assert.Equal(ProbeMode.Floor, modes[1].Mode);

        var aliases = BenchProbeCommand.ParseModes("cgroup, cgroup-floor ,detail", "tracepoint");
        Assert.Equal(["cgroup:compact", "cgroup:floor", "detail"], aliases.Select(m => m.Name));
        Assert.Equal([ProbeBackend.Tracepoint], aliases[2].Backends);
        Assert.Equal(ProbeBackendSpec.ConnectRecordOrder, BenchProbeCommand.ParseModes("compact").Single().Backends);

        Assert.Throws<UsageException>(() => BenchProbeCommand.ParseModes("cgroup:turbo"));
        Assert.Throws<UsageException>(() => BenchProbeCommand.ParseModes("nosuch:compact"));
        Assert.Throws<UsageException>(() => BenchProbeCommand.ParseModes("cgroup,cgroup:compact"));
        Assert.Throws<UsageException>(() => BenchProbeCommand.ParseModes(" , "));
    }

    [Theory]
    [InlineData("0::/\n", "/")]
    [InlineData("12:memory:/x\n0::/portsel-1-2\n", "/portsel-1-2")]
    [InlineData("4:memory:/process_api/abc\n", null)]
    public void The_v2_path_is_the_0_line(string text, string? expected) => Assert.Equal(expected, ProbeCgroup.ParseV2Path(text));

    private static PortFillResult Fill(IReadOnlyList<ConnectResult> connects, IReadOnlyList<ProbeEvent> events) => new()
    {
        Namespace = "portsel-1-1", Backend = ProbeBackend.Cgroup, Attempts = [], Connects = connects,
        Traces = ConnectTrace.Assemble(events, 77), Events = events, LostEvents = 0, StopReason = "count", WorkloadTid = 77,
        Sysctls = new Dictionary<string, string>(),
        Header = new TraceHeader { KernelRelease = "6.18.44", Hz = new KernelHz(250, "test"), Backend = ProbeBackend.Cgroup, Attempts = [] },
    };
}
