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

    /// <summary>Most lines a trace may have (the rest of a longer file is ignored).</summary>
    public const int MaxLines = 10_000_000;

    /// <summary>
    /// Reads a trace file: its bytes are split into lines in a pooled buffer and event lines are parsed in place
    /// (<see cref="TraceEventLine"/>, no per-line allocation); the other lines (header, footer, anything unusual) go
    /// through the general per-line parser, which also words the errors.
    /// </summary>
    /// <exception cref="FormatException">The file is not a portsel trace (message names the line).</exception>
    public static TraceFile Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        if (!stream.CanSeek)
        {
            // A pipe or FIFO: no length to size the list, no rewind for the lone-CR case — the general reader.
            using var pipeReader = new StreamReader(stream);
            return Read(pipeReader);
        }
        var state = new ReadState();
        // An event line is 150–300 bytes: size the list once instead of doubling it through the large-object heap.
        state.Events.Capacity = (int)Math.Min(stream.Length / 150 + 16, MaxLines);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int start = 0, end = 0, lineNo = 0;
            bool eof = false, first = true;
            while (lineNo < MaxLines)
            {
                int nl = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (nl < 0 && !eof)
                {
                    // Keep the partial line, make room (or a bigger buffer for a long line), read on.
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    if (end == buffer.Length)
                    {
                        var bigger = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        Buffer.BlockCopy(buffer, 0, bigger, 0, end);
                        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    int n = stream.Read(buffer, end, buffer.Length - end);
                    if (n == 0) eof = true;
                    end += n;
                    continue;
                }
                if (nl < 0 && start == end) break; // end of file after a final newline
                var line = nl < 0 ? buffer.AsSpan(start, end - start) : buffer.AsSpan(start, nl);
                start = nl < 0 ? end : start + nl + 1;
                if (first)
                {
                    first = false;
                    if (line.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) line = line[3..]; // UTF-8 BOM
                }
                if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
                if (line.IndexOf((byte)'\r') >= 0)
                {
                    // A lone CR also ends a line for TextReader.ReadLine: let the general reader number such a file's lines.
                    stream.Position = 0;
                    using var reader = new StreamReader(stream);
                    return Read(reader);
                }
                lineNo++;
                if (TraceEventLine.TryParse(line, out var e)) state.Events.Add(e);
                else state.Line(System.Text.Encoding.UTF8.GetString(line), lineNo);
                if (nl < 0) break;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        return state.Result();
    }

    /// <summary>Reads a trace from a reader (at most <see cref="MaxLines"/> lines).</summary>
    /// <exception cref="FormatException">Malformed content (message names the line).</exception>
    public static TraceFile Read(TextReader reader)
    {
        var state = new ReadState();
        var lineNo = 0;
        for (string? line; lineNo < MaxLines && (line = reader.ReadLine()) is not null;)
            state.Line(line, ++lineNo);
        return state.Result();
    }

    /// <summary>What has been read so far; <see cref="Line"/> is the general per-line parser.</summary>
    private sealed class ReadState
    {
        private string? _release;
        private int _hz;
        private JiffiesAnchor? _anchor;
        private string _backend = "unknown";
        private readonly Dictionary<string, string> _sysctls = [];
        private long _lost;

        public List<ProbeEvent> Events { get; } = [];

        public void Line(string line, int lineNo)
        {
            if (string.IsNullOrWhiteSpace(line)) return;
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
                            _release = o.GetProperty("kernel_release").GetString();
                            _hz = o.GetProperty("hz").GetInt32();
                            if (o.TryGetProperty("backend", out var b)) _backend = b.GetString() ?? _backend;
                            if (o.TryGetProperty("jiffies_anchor", out var j) && j.ValueKind == JsonValueKind.Object)
                                _anchor = new JiffiesAnchor(j.GetProperty("jiffies").GetUInt64(), j.GetProperty("monotonic_ns").GetInt64(),
                                    j.GetProperty("read_start_ns").GetInt64(), j.GetProperty("read_end_ns").GetInt64());
                            if (o.TryGetProperty("sysctls", out var s) && s.ValueKind == JsonValueKind.Object)
                                foreach (var p in s.EnumerateObject()) _sysctls[p.Name] = p.Value.GetString() ?? "";
                            break;
                        case "event":
                            Events.Add(ParseEvent(o));
                            break;
                        case "footer":
                            if (o.TryGetProperty("lost_events", out var l)) _lost = l.GetInt64();
                            break;
                    }
                }
                catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    throw new FormatException($"trace line {lineNo}: {e.Message}");
                }
            }
        }

        public TraceFile Result()
        {
            if (_release is null) throw new FormatException("trace has no header line");
            return new TraceFile
            {
                KernelRelease = _release, Hz = _hz, Jiffies = _anchor, Backend = _backend, Sysctls = _sysctls, Events = Events, LostEvents = _lost,
            };
        }
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
                ? ulong.TryParse(sk.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var socket)
                    ? socket : throw new FormatException($"bad socket '{sk}' (0x and at most 16 hex digits)")
                : 0,
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
        for (var i = 0; i < 4; i++)
        {
            if (!byte.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var octet))
                throw new FormatException($"bad IPv4 address '{text}'");
            v |= (uint)octet << (8 * i);
        }
        return v;
    }
}
