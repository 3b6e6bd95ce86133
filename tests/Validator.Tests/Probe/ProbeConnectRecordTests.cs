using PortSelection.Model.Occupancy;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Tests.Probe;

/// <summary>The compact record mirrors <c>struct portsel_connect</c> and expands into the detail-mode events.</summary>
public sealed class ProbeConnectRecordTests
{
    // C field name -> (C# property, offset). The same offsets are _Static_assert-ed in bpf/portsel_event.h.
    public static readonly TheoryData<string, string, int> Fields = new()
    {
        { "enter_ns", nameof(ProbeConnectRecord.EnterNs), 0 },
        { "scan_start_ns", nameof(ProbeConnectRecord.ScanStartNs), 8 },
        { "scan_end_ns", nameof(ProbeConnectRecord.ScanEndNs), 16 },
        { "exit_ns", nameof(ProbeConnectRecord.ExitNs), 24 },
        { "kind", nameof(ProbeConnectRecord.Kind), 32 },
        { "ret", nameof(ProbeConnectRecord.Return), 36 },
        { "saddr", nameof(ProbeConnectRecord.SourceAddressRaw), 40 },
        { "daddr", nameof(ProbeConnectRecord.DestinationAddressRaw), 44 },
        { "sport", nameof(ProbeConnectRecord.SourcePort), 48 },
        { "dport", nameof(ProbeConnectRecord.DestinationPort), 50 },
        { "family", nameof(ProbeConnectRecord.Family), 52 },
        { "outcome", nameof(ProbeConnectRecord.Outcome), 54 },
        { "state", nameof(ProbeConnectRecord.State), 55 },
        { "pid", nameof(ProbeConnectRecord.Pid), 56 },
        { "tid", nameof(ProbeConnectRecord.Tid), 60 },
        { "sk", nameof(ProbeConnectRecord.Socket), 64 },
        { "cpu_enter", nameof(ProbeConnectRecord.CpuEnter), 72 },
        { "cpu_exit", nameof(ProbeConnectRecord.CpuExit), 76 },
    };

    [Fact]
    public void Size_is_80_bytes_as_in_C()
    {
        Assert.Equal(80, ProbeConnectRecord.Size);
        Assert.Equal(80, Marshal.SizeOf<ProbeConnectRecord>());
        Assert.Equal(80, Unsafe.SizeOf<ProbeConnectRecord>());
        var size = Regex.Match(Header(), @"sizeof\(struct portsel_connect\) == (\d+)");
        Assert.Equal(80, int.Parse(size.Groups[1].Value));
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void Field_offset_matches_the_C_struct(string cName, string property, int offset)
    {
        Assert.Equal(offset, (int)Marshal.OffsetOf<ProbeConnectRecord>($"<{property}>k__BackingField"));
        var asserted = StaticAsserts();
        Assert.True(asserted.TryGetValue(cName, out var cOffset), $"no _Static_assert for {cName} in portsel_event.h");
        Assert.Equal(offset, cOffset);
    }

    [Fact]
    public void Every_C_field_is_mirrored() => Assert.Equal(Fields.Count, StaticAsserts().Count);

    [Fact]
    public void Kind_sits_where_the_event_kind_sits()
    {
        Assert.Equal((int)Marshal.OffsetOf<ProbeEvent>("<Kind>k__BackingField"),
            (int)Marshal.OffsetOf<ProbeConnectRecord>("<Kind>k__BackingField"));
    }

    [Fact]
    public void Outcomes_match_the_C_constants()
    {
        var consts = Regex.Matches(Header(), @"#define PORTSEL_SCAN_([A-Z_]+) (\d+)")
            .ToDictionary(m => m.Groups[1].Value, m => byte.Parse(m.Groups[2].Value));
        Assert.Equal((byte)ScanOutcome.None, consts["NONE"]);
        Assert.Equal((byte)ScanOutcome.PortChosen, consts["CHOSEN"]);
        Assert.Equal((byte)ScanOutcome.Failed, consts["FAILED"]);
    }

    [Fact]
    public void A_successful_connect_expands_into_the_detail_events()
    {
        var r = Record(ScanOutcome.PortChosen, ret: 0);
        var events = r.ToEvents().ToList();
        Assert.Equal([ProbeEventKind.ConnectEnter, ProbeEventKind.ScanStart, ProbeEventKind.PortChosen, ProbeEventKind.ConnectExit],
            events.Select(e => e.Kind));
        var t = Assert.Single(ConnectTrace.Assemble(events, 77));
        Assert.Equal((ushort)40002, t.ChosenPort);
        Assert.False(t.Failed);
        Assert.Equal(4_000L, t.ScanNs);
        Assert.Equal(30_000L, t.SyscallNs);
        Assert.Equal(0, t.Return);
        Assert.Equal(5601, t.ScanStart!.Value.DestinationPort);
        Assert.Equal(0, t.ScanStart!.Value.SourcePort);
        Assert.Equal("127.0.0.1", t.PortChosen!.Value.DestinationAddress);
    }

    [Fact]
    public void A_failed_scan_expands_into_scan_failed()
    {
        var r = Record(ScanOutcome.Failed, ret: -99);
        var t = Assert.Single(ConnectTrace.Assemble(r.ToEvents(), 77));
        Assert.True(t.Failed);
        Assert.Null(t.PortChosen);
        Assert.Equal(-99, t.Return);
        Assert.Equal(4_000L, t.ScanNs);
        Assert.Equal(5601, t.ScanFailed!.Value.DestinationPort);
    }

    [Fact]
    public void A_connect_without_scan_has_only_enter_and_exit()
    {
        var r = Record(ScanOutcome.None, ret: -111) with { ScanStartNs = 0, ScanEndNs = 0 };
        Assert.Equal([ProbeEventKind.ConnectEnter, ProbeEventKind.ConnectExit], r.ToEvents().Select(e => e.Kind));
    }

    [Fact]
    public void Bytes_round_trip_through_the_struct()
    {
        var bytes = new byte[80];
        BitConverter.TryWriteBytes(bytes.AsSpan(0), 1000UL);
        BitConverter.TryWriteBytes(bytes.AsSpan(32), 11u);
        BitConverter.TryWriteBytes(bytes.AsSpan(48), (ushort)40000);
        bytes[54] = 1;
        BitConverter.TryWriteBytes(bytes.AsSpan(64), 0xFFFF888812345678UL);
        var r = MemoryMarshal.Read<ProbeConnectRecord>(bytes);
        Assert.Equal(ProbeEventKind.ConnectRecord, r.Kind);
        Assert.Equal(ScanOutcome.PortChosen, r.Outcome);
        Assert.Equal(40000, r.SourcePort);
        Assert.Equal(0xFFFF888812345678UL, r.Socket);
    }

    private static ProbeConnectRecord Record(ScanOutcome outcome, int ret) => new()
    {
        EnterNs = 1_000_000, ScanStartNs = 1_002_000, ScanEndNs = 1_006_000, ExitNs = 1_030_000,
        Kind = ProbeEventKind.ConnectRecord, Return = ret, SourceAddressRaw = 0x0100007F, DestinationAddressRaw = 0x0100007F,
        SourcePort = 40002, DestinationPort = 5601, Family = 2, Outcome = outcome, State = (byte)TcpSocketState.SynSent,
        Pid = 70, Tid = 77, Socket = 0xFFFF0000AAAA0000, CpuEnter = 1, CpuExit = 0,
    };

    private static string Header() => File.ReadAllText(ProbeEventLayoutTests.HeaderPath());

    private static Dictionary<string, int> StaticAsserts() =>
        Regex.Matches(Header(), @"__builtin_offsetof\(struct portsel_connect, (\w+)\) == (\d+)")
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
}
