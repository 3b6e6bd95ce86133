using System.Buffers.Text;
using System.Text.Json;
using PortSelection.Model.Occupancy;
using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Compare;

/// <summary>
/// The fast path of <see cref="TraceFile"/>: one <c>"type":"event"</c> line of a trace parsed straight from its UTF-8
/// bytes with <see cref="Utf8JsonReader"/> — no line string, no <see cref="JsonDocument"/>, no allocation. It accepts
/// only lines it can read exactly as the general path does (known kind and state names, dotted IPv4, <c>0x</c> socket,
/// integers in range, no duplicate fields) and declines everything else, which the general path then reads (and
/// reports with its line-numbered errors), so the result never depends on which path read a line.
/// </summary>
internal static class TraceEventLine
{
    private static readonly (byte[] Name, ProbeEventKind Kind)[] KindNames =
        [.. Enum.GetValues<ProbeEventKind>().Select(k => (System.Text.Encoding.UTF8.GetBytes(TraceWriter.KindName(k)), k))];

    private static readonly (byte[] Name, byte Value)[] StateNames =
        [.. Enum.GetValues<TcpSocketState>().Select(s => (System.Text.Encoding.UTF8.GetBytes(s.ToString()), (byte)s))];

    /// <summary>Parses an event line; false (and nothing else) when the line is not one this path reads.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out ProbeEvent e)
    {
        e = default;
        var r = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return false;
            ulong ts = 0, duration = 0, sk = 0;
            uint pid = 0, tid = 0, cpu = 0, aux = 0, saddr = 0, daddr = 0;
            int ret = 0, family = 0, sport = 0, dport = 0;
            byte oldState = 0, newState = 0;
            var kind = ProbeEventKind.None;
            int seen = 0;
            bool isEvent = false, haveKind = false;
            while (true)
            {
                if (!r.Read()) return false;
                if (r.TokenType == JsonTokenType.EndObject) break;
                if (r.TokenType != JsonTokenType.PropertyName || r.ValueIsEscaped) return false;
                int field = FieldOf(ref r);
                if (field >= 0)
                {
                    if ((seen & (1 << field)) != 0) return false; // duplicates: the general path decides
                    seen |= 1 << field;
                }
                if (!r.Read()) return false;
                bool ok = field switch
                {
                    0 => r.TokenType == JsonTokenType.String && !r.ValueIsEscaped && (isEvent = r.ValueTextEquals("event"u8)),
                    1 => r.TokenType == JsonTokenType.Number && r.TryGetUInt64(out ts),
                    2 => r.TokenType == JsonTokenType.Number && r.TryGetUInt64(out duration),
                    3 => TryHexSocket(ref r, out sk),
                    4 => r.TokenType == JsonTokenType.Number && r.TryGetUInt32(out pid),
                    5 => r.TokenType == JsonTokenType.Number && r.TryGetUInt32(out tid),
                    6 => r.TokenType == JsonTokenType.Number && r.TryGetUInt32(out cpu),
                    7 => (haveKind = TryName(ref r, KindNames, out kind)),
                    8 => r.TokenType == JsonTokenType.Number && r.TryGetInt32(out ret),
                    9 => r.TokenType == JsonTokenType.Number && r.TryGetInt32(out family),
                    10 => TryIPv4(ref r, out saddr),
                    11 => TryIPv4(ref r, out daddr),
                    12 => r.TokenType == JsonTokenType.Number && r.TryGetInt32(out sport),
                    13 => r.TokenType == JsonTokenType.Number && r.TryGetInt32(out dport),
                    14 => TryName(ref r, StateNames, out oldState),
                    15 => TryName(ref r, StateNames, out newState),
                    16 => r.TokenType == JsonTokenType.Number && r.TryGetUInt32(out aux),
                    _ => r.TrySkip(),
                };
                if (!ok) return false;
            }
            if (!isEvent || !haveKind || r.Read()) return false; // not an event, no kind, or trailing content
            e = new ProbeEvent
            {
                TimestampNs = ts, DurationNs = duration, Socket = sk, Pid = pid, Tid = tid, Cpu = cpu, Kind = kind, Return = ret,
                Family = (ushort)family, SourceAddressRaw = saddr, DestinationAddressRaw = daddr, SourcePort = (ushort)sport,
                DestinationPort = (ushort)dport, OldState = oldState, NewState = newState, Aux = aux,
            };
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int FieldOf(ref Utf8JsonReader r) =>
        r.ValueTextEquals("type"u8) ? 0 : r.ValueTextEquals("ts_ns"u8) ? 1 : r.ValueTextEquals("duration_ns"u8) ? 2 :
        r.ValueTextEquals("sk"u8) ? 3 : r.ValueTextEquals("pid"u8) ? 4 : r.ValueTextEquals("tid"u8) ? 5 :
        r.ValueTextEquals("cpu"u8) ? 6 : r.ValueTextEquals("kind"u8) ? 7 : r.ValueTextEquals("ret"u8) ? 8 :
        r.ValueTextEquals("family"u8) ? 9 : r.ValueTextEquals("saddr"u8) ? 10 : r.ValueTextEquals("daddr"u8) ? 11 :
        r.ValueTextEquals("sport"u8) ? 12 : r.ValueTextEquals("dport"u8) ? 13 : r.ValueTextEquals("old_state"u8) ? 14 :
        r.ValueTextEquals("new_state"u8) ? 15 : r.ValueTextEquals("aux"u8) ? 16 : -1;

    private static bool TryName<T>(ref Utf8JsonReader r, (byte[] Name, T Value)[] names, out T value)
    {
        value = default!;
        if (r.TokenType != JsonTokenType.String || r.ValueIsEscaped) return false;
        foreach (var (name, v) in names)
            if (r.ValueSpan.SequenceEqual(name)) { value = v; return true; }
        return false;
    }

    /// <summary><c>"0x…"</c> hex as the general path reads it; other strings are declined.</summary>
    private static bool TryHexSocket(ref Utf8JsonReader r, out ulong value)
    {
        value = 0;
        if (r.TokenType != JsonTokenType.String || r.ValueIsEscaped) return false;
        var s = r.ValueSpan;
        if (s.Length < 3 || s.Length > 18 || s[0] != (byte)'0' || s[1] != (byte)'x') return false;
        return Utf8Parser.TryParse(s[2..], out value, out int used, 'x') && used == s.Length - 2;
    }

    /// <summary>Dotted IPv4 of plain decimal octets into the network-order u32 the probe records.</summary>
    private static bool TryIPv4(ref Utf8JsonReader r, out uint value)
    {
        value = 0;
        if (r.TokenType != JsonTokenType.String || r.ValueIsEscaped) return false;
        var s = r.ValueSpan;
        for (int i = 0; i < 4; i++)
        {
            int dot = i < 3 ? s.IndexOf((byte)'.') : s.Length;
            if (dot < 1 || dot > 3) return false;
            int octet = 0;
            foreach (var c in s[..dot])
            {
                if (c is < (byte)'0' or > (byte)'9') return false;
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255) return false;
            value |= (uint)octet << (8 * i);
            s = i < 3 ? s[(dot + 1)..] : s[dot..];
        }
        return s.IsEmpty;
    }
}
