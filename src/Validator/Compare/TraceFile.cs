using PortSelection.Model.Occupancy;
using System.Globalization;
using System.Text.Json;
using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Compare;

/// <summary>
/// A recorded JSON Lines trace read back (the format <see cref="TraceWriter"/> writes): header facts,
/// the events, and the footer's lost-event count. Used to replay a fill offline.
/// </summary>
public sealed record TraceFile
{
    /// <summary>Kernel release recorded in the header.</summary>
    public required string KernelRelease { get; init; }
    /// <summary>CONFIG_HZ recorded in the header.</summary>
    public required int Hz { get; init; }
    /// <summary>The jiffies anchor, when one was recorded.</summary>
    public JiffiesAnchor? Jiffies { get; init; }
    /// <summary>Backend name as recorded (e.g. "tracepoint").</summary>
    public required string Backend { get; init; }
    /// <summary>Namespace sysctls as recorded.</summary>
    public required IReadOnlyDictionary<string, string> Sysctls { get; init; }
    /// <summary>The events, in file order.</summary>
    public required IReadOnlyList<ProbeEvent> Events { get; init; }
    /// <summary>Lost events from the footer (0 when absent).</summary>
    public long LostEvents { get; init; }

    /// <summary>Reads a trace file.</summary>
    /// <exception cref="FormatException">The file is not a portsel trace (message names the line).</exception>
    public static TraceFile Read(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader);
    }

    /// <summary>Reads a trace from a reader (at most 10 million lines).</summary>
    /// <exception cref="FormatException">Malformed content (message names the line).</exception>
    public static TraceFile Read(TextReader reader)
    {
        string? release = null;
        int hz = 0;
        JiffiesAnchor? anchor = null;
        string backend = "unknown";
        var sysctls = new Dictionary<string, string>();
        var events = new List<ProbeEvent>();
        long lost = 0;
        var lineNo = 0;
        for (string? line; lineNo < 10_000_000 && (line = reader.ReadLine()) is not null;)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument doc;
            try { doc = JsonDocument.Parse(line); }
            catch (JsonException e) { throw new FormatException($"trace line {lineNo}: not JSON ({e.Message})"); }
            using (doc)
            {
                var o = doc.RootElement;
                if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty("type", out var type))
                    throw new FormatException($"trace line {lineNo}: no \"type\"");
                try
                {
                    switch (type.GetString())
                    {
                        case "header":
                            release = o.GetProperty("kernel_release").GetString();
                            hz = o.GetProperty("hz").GetInt32();
                            if (o.TryGetProperty("backend", out var b)) backend = b.GetString() ?? backend;
                            if (o.TryGetProperty("jiffies_anchor", out var j) && j.ValueKind == JsonValueKind.Object)
                                anchor = new JiffiesAnchor(j.GetProperty("jiffies").GetUInt64(), j.GetProperty("monotonic_ns").GetInt64(),
                                    j.GetProperty("read_start_ns").GetInt64(), j.GetProperty("read_end_ns").GetInt64());
                            if (o.TryGetProperty("sysctls", out var s) && s.ValueKind == JsonValueKind.Object)
                                foreach (var p in s.EnumerateObject()) sysctls[p.Name] = p.Value.GetString() ?? "";
                            break;
                        case "event":
                            events.Add(ParseEvent(o));
                            break;
                        case "footer":
                            if (o.TryGetProperty("lost_events", out var l)) lost = l.GetInt64();
                            break;
                    }
                }
                catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    throw new FormatException($"trace line {lineNo}: {e.Message}");
                }
            }
        }
        if (release is null) throw new FormatException("trace has no header line");
        return new TraceFile
        {
            KernelRelease = release, Hz = hz, Jiffies = anchor, Backend = backend, Sysctls = sysctls, Events = events, LostEvents = lost,
        };
    }

    private static ProbeEvent ParseEvent(JsonElement o)
    {
        var kind = KindOf(o.GetProperty("kind").GetString() ?? "");
        int Int(string name) => o.TryGetProperty(name, out var v) ? v.GetInt32() : 0;
        uint UInt(string name) => o.TryGetProperty(name, out var v) ? v.GetUInt32() : 0;
        ulong ULong(string name) => o.TryGetProperty(name, out var v) ? v.GetUInt64() : 0;
        string? Str(string name) => o.TryGetProperty(name, out var v) ? v.GetString() : null;
        return new ProbeEvent
        {
            TimestampNs = ULong("ts_ns"),
            DurationNs = ULong("duration_ns"),
            Socket = Str("sk") is { } sk && sk.StartsWith("0x", StringComparison.Ordinal)
                ? ulong.Parse(sk.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) : 0,
            Pid = UInt("pid"),
            Tid = UInt("tid"),
            Cpu = UInt("cpu"),
            Kind = kind,
            Return = Int("ret"),
            Family = (ushort)Int("family"),
            SourceAddressRaw = ParseIPv4(Str("saddr")),
            DestinationAddressRaw = ParseIPv4(Str("daddr")),
            SourcePort = (ushort)Int("sport"),
            DestinationPort = (ushort)Int("dport"),
            OldState = StateOf(Str("old_state")),
            NewState = StateOf(Str("new_state")),
            Aux = UInt("aux"),
        };
    }

    private static ProbeEventKind KindOf(string name)
    {
        foreach (var k in Enum.GetValues<ProbeEventKind>())
            if (TraceWriter.KindName(k) == name) return k;
        if (name.StartsWith("kind_", StringComparison.Ordinal) && uint.TryParse(name.AsSpan(5), CultureInfo.InvariantCulture, out var n))
            return (ProbeEventKind)n;
        throw new FormatException($"unknown event kind '{name}'");
    }

    private static byte StateOf(string? name) =>
        name is null ? (byte)0 : Enum.TryParse<TcpSocketState>(name, out var s) ? (byte)s : throw new FormatException($"unknown TCP state '{name}'");

    /// <summary>Parses dotted IPv4 into the network-order little-endian u32 the probe records.</summary>
    private static uint ParseIPv4(string? text)
    {
        if (text is null) return 0;
        var parts = text.Split('.');
        if (parts.Length != 4) throw new FormatException($"bad IPv4 address '{text}'");
        uint v = 0;
        for (var i = 0; i < 4; i++) v |= (uint)byte.Parse(parts[i], CultureInfo.InvariantCulture) << (8 * i);
        return v;
    }
}
