using PortSelection.Model.Occupancy;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Tests.Probe;

public sealed class ProbeEventLayoutTests
{
    // C field name -> (C# property, offset). The same offsets are _Static_assert-ed in bpf/portsel_event.h.
    public static readonly TheoryData<string, string, int> Fields = new()
    {
        { "ts_ns", nameof(ProbeEvent.TimestampNs), 0 },
        { "duration_ns", nameof(ProbeEvent.DurationNs), 8 },
        { "sk", nameof(ProbeEvent.Socket), 16 },
        { "pid", nameof(ProbeEvent.Pid), 24 },
        { "tid", nameof(ProbeEvent.Tid), 28 },
        { "kind", nameof(ProbeEvent.Kind), 32 },
        { "ret", nameof(ProbeEvent.Return), 36 },
        { "saddr", nameof(ProbeEvent.SourceAddressRaw), 40 },
        { "daddr", nameof(ProbeEvent.DestinationAddressRaw), 44 },
        { "sport", nameof(ProbeEvent.SourcePort), 48 },
        { "dport", nameof(ProbeEvent.DestinationPort), 50 },
        { "family", nameof(ProbeEvent.Family), 52 },
        { "oldstate", nameof(ProbeEvent.OldState), 54 },
        { "newstate", nameof(ProbeEvent.NewState), 55 },
        { "cpu", nameof(ProbeEvent.Cpu), 56 },
        { "aux", nameof(ProbeEvent.Aux), 60 },
    };

    [Fact]
    public void Size_is_64_bytes()
    {
        Assert.Equal(64, ProbeEvent.Size);
        Assert.Equal(64, Marshal.SizeOf<ProbeEvent>());
        Assert.Equal(64, Unsafe.SizeOf<ProbeEvent>());
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void Field_offset_matches_the_C_struct(string cName, string property, int offset)
    {
        Assert.Equal(offset, (int)Marshal.OffsetOf<ProbeEvent>($"<{property}>k__BackingField"));
        var asserted = StaticAsserts();
        Assert.True(asserted.TryGetValue(cName, out var cOffset), $"no _Static_assert for {cName} in portsel_event.h");
        Assert.Equal(offset, cOffset);
    }

    [Fact]
    public void Every_C_field_is_mirrored()
    {
        var asserted = StaticAsserts();
        Assert.Equal(Fields.Count, asserted.Count);
        Assert.Equal(64, HeaderSize());
    }

    [Fact]
    public void Kinds_match_the_C_constants()
    {
        var header = File.ReadAllText(HeaderPath());
        var kinds = Regex.Matches(header, @"#define PORTSEL_EV_([A-Z_]+) (\d+)")
            .ToDictionary(m => m.Groups[1].Value.Replace("_", ""), m => uint.Parse(m.Groups[2].Value), StringComparer.OrdinalIgnoreCase);
        foreach (var k in Enum.GetValues<ProbeEventKind>().Where(k => k != ProbeEventKind.None))
        {
            Assert.True(kinds.TryGetValue(k.ToString(), out var v), $"no PORTSEL_EV_ constant for {k}");
            Assert.Equal((uint)k, v);
        }
    }

    [Fact]
    public void Bytes_round_trip_through_the_struct()
    {
        var bytes = new byte[64];
        BitConverter.TryWriteBytes(bytes.AsSpan(0), 123456789UL);
        BitConverter.TryWriteBytes(bytes.AsSpan(32), 5u);
        BitConverter.TryWriteBytes(bytes.AsSpan(36), -99);
        BitConverter.TryWriteBytes(bytes.AsSpan(40), 0x0100007Fu);
        BitConverter.TryWriteBytes(bytes.AsSpan(48), (ushort)40000);
        bytes[55] = 2;
        var e = MemoryMarshal.Read<ProbeEvent>(bytes);
        Assert.Equal(123456789UL, e.TimestampNs);
        Assert.Equal(ProbeEventKind.PortChosen, e.Kind);
        Assert.Equal(-99, e.Return);
        Assert.Equal("127.0.0.1", e.SourceAddress);
        Assert.Equal(40000, e.SourcePort);
        Assert.Equal((byte)TcpSocketState.SynSent, e.NewState);
    }

    private static Dictionary<string, int> StaticAsserts() =>
        Regex.Matches(File.ReadAllText(HeaderPath()), @"__builtin_offsetof\(struct portsel_event, (\w+)\) == (\d+)")
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));

    private static int HeaderSize() =>
        int.Parse(Regex.Match(File.ReadAllText(HeaderPath()), @"sizeof\(struct portsel_event\) == (\d+)").Groups[1].Value);

    internal static string HeaderPath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        for (var i = 0; i < 10 && dir is not null; i++, dir = dir.Parent)
        {
            var p = Path.Combine(dir.FullName, "bpf", "portsel_event.h");
            if (File.Exists(p)) return p;
        }
        throw new FileNotFoundException("bpf/portsel_event.h not found above " + AppContext.BaseDirectory);
    }
}
