using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using PortSelection.Model.Occupancy;

namespace PortSelection.Validator.Doctor;

/// <summary>
/// Parser of <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c> (<c>tcp4_seq_show</c> / <c>tcp6_seq_show</c>,
/// net/ipv4/tcp_ipv4.c, net/ipv6/tcp_ipv6.c).
/// </summary>
/// <remarks>
/// Row: <c>sl local_address rem_address st tx_queue:rx_queue tr:tm-&gt;when retrnsmt uid timeout inode …</c>.
/// An IPv4 address is the <c>__be32</c> printed with <c>%08X</c>, i.e. the wire bytes read as a native
/// (little-endian on x86/arm64) u32: 127.0.0.1 is <c>0100007F</c>. An IPv6 address is the four
/// <c>s6_addr32</c> words printed the same way, each word byte-swapped. Ports are host-order <c>%04X</c>.
/// <c>tm-&gt;when</c> is in USER_HZ (100/s) ticks. IPv4-mapped IPv6 rows (<c>::ffff:a.b.c.d</c>) are returned as IPv4.
/// </remarks>
public static class ProcNetTcp
{
    /// <summary>USER_HZ: the unit of <c>tm-&gt;when</c> (<c>jiffies_delta_to_clock_t</c>).</summary>
    public const int UserHz = 100;

    /// <summary>Parses the text of one file; <paramref name="ipv6"/> selects the address width.</summary>
    /// <exception cref="FormatException">A row does not have the kernel's format (message names the line).</exception>
    public static List<ObservedSocket> Parse(string text, bool ipv6)
    {
        var list = new List<ObservedSocket>();
        var lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line.StartsWith("sl", StringComparison.Ordinal)) continue;
            try
            {
                list.Add(ParseRow(line, ipv6));
            }
            catch (Exception e) when (e is FormatException or OverflowException or IndexOutOfRangeException or ArgumentException)
            {
                throw new FormatException($"{(ipv6 ? "tcp6" : "tcp")} line {n + 1}: {e.Message}: '{line}'", e);
            }
        }
        return list;
    }

    private static ObservedSocket ParseRow(string line, bool ipv6)
    {
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 10 || !f[0].EndsWith(':')) throw new FormatException("expected at least 10 fields starting with 'N:'");
        var (localV6, local, lport) = Endpoint(f[1], ipv6);
        var (remoteV6, remote, rport) = Endpoint(f[2], ipv6);
        var state = (TcpSocketState)Hex(f[3], 2);
        if (!Enum.IsDefined(state)) throw new FormatException($"unknown state {f[3]}");
        var q = f[4].Split(':');
        var t = f[5].Split(':');
        if (q.Length != 2 || t.Length != 2) throw new FormatException("expected tx_queue:rx_queue and tr:tm->when");
        long tx = Hex(q[0], 8), rx = Hex(q[1], 8);
        long timer = Hex(t[0], 2), when = (long)Convert.ToUInt64(t[1], 16);
        long? remainingMs = timer == 0 ? null : when * 1000 / UserHz;
        // A v4-mapped socket is IPv4 for port selection; a wildcard listener of tcp6 (::) stays IPv6.
        bool v6 = localV6 || remoteV6;
        return new ObservedSocket(v6, local, lport, remote, rport, state, tx, rx, remainingMs);
    }

    private static long Hex(string s, int width)
    {
        if (s.Length != width) throw new FormatException($"'{s}' is not {width} hex digits");
        return (long)Convert.ToUInt64(s, 16);
    }

    /// <summary>Parses <c>ADDR:PORT</c>; returns (genuine IPv6, address text, port).</summary>
    internal static (bool Ipv6, string Address, int Port) Endpoint(string field, bool ipv6)
    {
        int colon = field.IndexOf(':');
        if (colon < 0) throw new FormatException($"'{field}' is not ADDR:PORT");
        var a = field[..colon];
        int port = (int)Hex(field[(colon + 1)..], 4);
        if (!ipv6)
        {
            if (a.Length != 8) throw new FormatException($"'{a}' is not an 8-digit IPv4 address");
            return (false, V4Text(Word(a)), port);
        }
        if (a.Length != 32) throw new FormatException($"'{a}' is not a 32-digit IPv6 address");
        Span<byte> bytes = stackalloc byte[16];
        for (int w = 0; w < 4; w++)
            BinaryPrimitives.WriteUInt32BigEndian(bytes[(w * 4)..], Word(a.Substring(w * 8, 8)));
        var ip = new IPAddress(bytes);
        if (ip.IsIPv4MappedToIPv6) return (false, ip.MapToIPv4().ToString(), port);
        if (ip.Equals(IPAddress.IPv6Any)) return (true, "::", port);
        return (true, ip.ToString(), port);
    }

    /// <summary>The wire-order value of one <c>%08X</c> word printed by a little-endian kernel, as a big-endian u32.</summary>
    private static uint Word(string hex8)
    {
        uint native = Convert.ToUInt32(hex8, 16);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(native) : native;
    }

    private static string V4Text(uint wire) =>
        string.Create(CultureInfo.InvariantCulture, $"{wire >> 24}.{(wire >> 16) & 0xFF}.{(wire >> 8) & 0xFF}.{wire & 0xFF}");
}
