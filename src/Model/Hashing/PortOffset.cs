using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using PortSelection.Model.Kernel;

namespace PortSelection.Model.Hashing;

/// <summary>
/// <c>port_offset</c>, the per-destination start of the connect() scan: the kernel's
/// <c>secure_ipv4_port_ephemeral(saddr, daddr, dport)</c> and <c>secure_ipv6_port_ephemeral(saddr, daddr, dport)</c>
/// (net/core/secure_seq.c), era by era (<see cref="PortOffsetAlgorithm"/>). u32 eras are returned zero-extended.
/// </summary>
/// <remarks>
/// <para>Inputs follow the kernel's view on a little-endian host: IPv4 addresses as <c>(__force u32)</c> of the
/// <c>__be32</c> (<see cref="NetOrder.Ipv4Be32(IPAddress)"/>), IPv6 addresses as their 16 bytes in wire order, the
/// destination port in host order (converted here to <c>(__force u16)htons(port)</c>, <see cref="NetOrder.PortBe16"/>).</para>
/// <para>Source read (shared/kernel/port-selection.md §4.1):</para>
/// <list type="bullet">
/// <item>3.1–4.10, MD5 (6e5714eaf77d): daedroza/linux-lts-4.4.y net/core/secure_seq.c — IPv4: <c>hash[0] = saddr,
/// hash[1] = daddr, hash[2] = dport ^ net_secret[14], hash[3] = net_secret[15]; md5_transform(hash, net_secret);
/// return hash[0]</c>. IPv6: <c>memcpy(hash, saddr, 16)</c>; <c>secret[i] = net_secret[i] + daddr[i]</c> (i &lt; 4),
/// <c>secret[4] = net_secret[4] + dport</c>, the rest <c>net_secret[i]</c>; <c>md5_transform(hash, secret)</c>;
/// <c>hash[0]</c>.</item>
/// <item>4.11–5.17, SipHash (7cd23e5300c1): Rtoax/linux-5.10.13 net/core/secure_seq.c — IPv4:
/// <c>siphash_3u32(saddr, daddr, (__force u16)dport, &amp;net_secret)</c> returned as u32. IPv6: <c>siphash</c> of
/// <c>{ in6_addr saddr; in6_addr daddr; __be16 dport; }</c> over <c>offsetofend(dport)</c> = 34 bytes, as u32.</item>
/// <item>5.18+ and 2022 stable (b2d057560b81 u64, 4dfa9b438ee3 timeseed): linux-netdev/testing net/core/secure_seq.c
/// (6.x) — IPv4: <c>siphash_4u32(saddr, daddr, (__force u16)dport, jiffies / EPHEMERAL_PORT_SHUFFLE_PERIOD,
/// &amp;net_secret)</c>, full u64. IPv6: <c>siphash</c> of <c>{ saddr; daddr; unsigned int timeseed; __be16 dport; }</c>
/// over <c>offsetofend(dport)</c> = 38 bytes (timeseed little-endian at offset 32, dport at 36).</item>
/// <item>≤3.0, half-MD4: not reproduced (<see cref="TryCompute"/> fails; the offset must be given).</item>
/// </list>
/// </remarks>
public static class PortOffset
{
    /// <summary>The message when the era's port_offset cannot be computed (≤3.0, half-MD4).</summary>
    public const string HalfMd4Unsupported =
        "port_offset of kernels ≤3.0 (half-MD4) cannot be computed; give --port-offset";

    /// <summary>3.1–4.10 IPv4: MD5 transform of (saddr, daddr, dport ^ secret[14], secret[15]) by the 16-word secret; first state word.</summary>
    /// <param name="saddr">Source address, <c>(__force u32)</c> of the <c>__be32</c>.</param>
    /// <param name="daddr">Destination address, <c>(__force u32)</c> of the <c>__be32</c>.</param>
    /// <param name="dport">Destination port, host order.</param>
    /// <param name="netSecret">The 16 words of the MD5-era <c>net_secret</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="netSecret"/> is not 16 words.</exception>
    public static uint Md5Ipv4(uint saddr, uint daddr, ushort dport, ReadOnlySpan<uint> netSecret)
    {
        RequireMd5Secret(netSecret);
        Span<uint> hash = [saddr, daddr, NetOrder.PortBe16(dport) ^ netSecret[14], netSecret[15]];
        Md5Transform.Transform(hash, netSecret);
        return hash[0];
    }

    /// <summary>4.11–5.17 IPv4: <c>(u32)siphash_3u32(saddr, daddr, be16(dport), net_secret)</c>.</summary>
    /// <param name="saddr">Source address, <c>(__force u32)</c> of the <c>__be32</c>.</param>
    /// <param name="daddr">Destination address, <c>(__force u32)</c> of the <c>__be32</c>.</param>
    /// <param name="dport">Destination port, host order.</param>
    /// <param name="netSecret">The SipHash <c>net_secret</c>.</param>
    public static uint SipHash32Ipv4(uint saddr, uint daddr, ushort dport, SipKey netSecret) =>
        (uint)SipHash.Hash3U32(saddr, daddr, NetOrder.PortBe16(dport), netSecret);

    /// <summary>5.18+ IPv4: <c>siphash_4u32(saddr, daddr, be16(dport), timeseed, net_secret)</c>, full u64.</summary>
    /// <param name="saddr">Source address, <c>(__force u32)</c> of the <c>__be32</c>.</param>
    /// <param name="daddr">Destination address, <c>(__force u32)</c> of the <c>__be32</c>.</param>
    /// <param name="dport">Destination port, host order.</param>
    /// <param name="timeseed">The time seed (<see cref="TimeSeed.FromJiffies"/>).</param>
    /// <param name="netSecret">The SipHash <c>net_secret</c>.</param>
    public static ulong SipHash64Ipv4(uint saddr, uint daddr, ushort dport, uint timeseed, SipKey netSecret) =>
        SipHash.Hash4U32(saddr, daddr, NetOrder.PortBe16(dport), timeseed, netSecret);

    /// <summary>3.1–4.10 IPv6: MD5 transform of the source address words by the secret mixed with daddr and dport; first state word.</summary>
    /// <param name="saddr">Source address, 16 bytes in wire order.</param>
    /// <param name="daddr">Destination address, 16 bytes in wire order.</param>
    /// <param name="dport">Destination port, host order.</param>
    /// <param name="netSecret">The 16 words of the MD5-era <c>net_secret</c>.</param>
    /// <exception cref="ArgumentException">An address is not 16 bytes or <paramref name="netSecret"/> is not 16 words.</exception>
    public static uint Md5Ipv6(ReadOnlySpan<byte> saddr, ReadOnlySpan<byte> daddr, ushort dport, ReadOnlySpan<uint> netSecret)
    {
        RequireIpv6(saddr, nameof(saddr));
        RequireIpv6(daddr, nameof(daddr));
        RequireMd5Secret(netSecret);
        unchecked
        {
            Span<uint> hash = stackalloc uint[4];
            Span<uint> secret = stackalloc uint[16];
            for (int i = 0; i < 4; i++)
            {
                hash[i] = BinaryPrimitives.ReadUInt32LittleEndian(saddr[(4 * i)..]);
                secret[i] = netSecret[i] + BinaryPrimitives.ReadUInt32LittleEndian(daddr[(4 * i)..]);
            }
            secret[4] = netSecret[4] + NetOrder.PortBe16(dport);
            for (int i = 5; i < 16; i++) secret[i] = netSecret[i];
            Md5Transform.Transform(hash, secret);
            return hash[0];
        }
    }

    /// <summary>4.11–5.17 IPv6: <c>(u32)siphash({saddr, daddr, be16 dport}, 34 bytes, net_secret)</c>.</summary>
    /// <param name="saddr">Source address, 16 bytes in wire order.</param>
    /// <param name="daddr">Destination address, 16 bytes in wire order.</param>
    /// <param name="dport">Destination port, host order.</param>
    /// <param name="netSecret">The SipHash <c>net_secret</c>.</param>
    /// <exception cref="ArgumentException">An address is not 16 bytes.</exception>
    public static uint SipHash32Ipv6(ReadOnlySpan<byte> saddr, ReadOnlySpan<byte> daddr, ushort dport, SipKey netSecret)
    {
        RequireIpv6(saddr, nameof(saddr));
        RequireIpv6(daddr, nameof(daddr));
        Span<byte> combined = stackalloc byte[34];
        saddr.CopyTo(combined);
        daddr.CopyTo(combined[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(combined[32..], dport);
        return (uint)SipHash.Hash(combined, netSecret);
    }

    /// <summary>5.18+ IPv6: <c>siphash({saddr, daddr, u32 timeseed, be16 dport}, 38 bytes, net_secret)</c>, full u64.</summary>
    /// <param name="saddr">Source address, 16 bytes in wire order.</param>
    /// <param name="daddr">Destination address, 16 bytes in wire order.</param>
    /// <param name="dport">Destination port, host order.</param>
    /// <param name="timeseed">The time seed (<see cref="TimeSeed.FromJiffies"/>).</param>
    /// <param name="netSecret">The SipHash <c>net_secret</c>.</param>
    /// <exception cref="ArgumentException">An address is not 16 bytes.</exception>
    public static ulong SipHash64Ipv6(ReadOnlySpan<byte> saddr, ReadOnlySpan<byte> daddr, ushort dport, uint timeseed, SipKey netSecret)
    {
        RequireIpv6(saddr, nameof(saddr));
        RequireIpv6(daddr, nameof(daddr));
        Span<byte> combined = stackalloc byte[38];
        saddr.CopyTo(combined);
        daddr.CopyTo(combined[16..]);
        BinaryPrimitives.WriteUInt32LittleEndian(combined[32..], timeseed);
        BinaryPrimitives.WriteUInt16BigEndian(combined[36..], dport);
        return SipHash.Hash(combined, netSecret);
    }

    /// <summary>
    /// IPv4 <c>port_offset</c> of <paramref name="algorithm"/>; false with a one-line reason for half-MD4 (≤3.0) or a
    /// secret of the wrong kind.
    /// </summary>
    /// <param name="algorithm">The era's algorithm (<see cref="KernelProfile.PortOffset"/>).</param>
    /// <param name="saddr">Source address, <c>(__force u32)</c> of the <c>__be32</c>.</param>
    /// <param name="daddr">Destination address, <c>(__force u32)</c> of the <c>__be32</c>.</param>
    /// <param name="dport">Destination port, host order.</param>
    /// <param name="netSecret">The boot secret (SipHash key for 4.11+, 16 words for MD5).</param>
    /// <param name="timeseed">The time seed; used only by <see cref="PortOffsetAlgorithm.SipHash64WithTimeSeed"/>.</param>
    /// <param name="portOffset">The offset (u32 eras zero-extended), 0 on failure.</param>
    /// <param name="error">Why it cannot be computed, null on success.</param>
    public static bool TryComputeIpv4(PortOffsetAlgorithm algorithm, uint saddr, uint daddr, ushort dport,
        NetSecret netSecret, uint timeseed, out ulong portOffset, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(netSecret);
        portOffset = 0;
        if (!CheckSecret(algorithm, netSecret, out error)) return false;
        portOffset = algorithm switch
        {
            PortOffsetAlgorithm.Md5 => Md5Ipv4(saddr, daddr, dport, netSecret.Md5Words.AsSpan()),
            PortOffsetAlgorithm.SipHash32 => SipHash32Ipv4(saddr, daddr, dport, netSecret.SipKey!.Value),
            _ => SipHash64Ipv4(saddr, daddr, dport, timeseed, netSecret.SipKey!.Value),
        };
        return true;
    }

    /// <summary>
    /// <c>port_offset</c> for two addresses of the same family (IPv4 or IPv6); false with a one-line reason for
    /// half-MD4 (≤3.0), mixed families or a secret of the wrong kind.
    /// </summary>
    /// <param name="algorithm">The era's algorithm (<see cref="KernelProfile.PortOffset"/>).</param>
    /// <param name="saddr">Source address.</param>
    /// <param name="daddr">Destination address.</param>
    /// <param name="dport">Destination port, host order.</param>
    /// <param name="netSecret">The boot secret (SipHash key for 4.11+, 16 words for MD5).</param>
    /// <param name="timeseed">The time seed; used only by <see cref="PortOffsetAlgorithm.SipHash64WithTimeSeed"/>.</param>
    /// <param name="portOffset">The offset (u32 eras zero-extended), 0 on failure.</param>
    /// <param name="error">Why it cannot be computed, null on success.</param>
    public static bool TryCompute(PortOffsetAlgorithm algorithm, IPAddress saddr, IPAddress daddr, ushort dport,
        NetSecret netSecret, uint timeseed, out ulong portOffset, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(saddr);
        ArgumentNullException.ThrowIfNull(daddr);
        ArgumentNullException.ThrowIfNull(netSecret);
        portOffset = 0;
        if (saddr.AddressFamily != daddr.AddressFamily ||
            saddr.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            error = $"port_offset needs two IPv4 or two IPv6 addresses, got {saddr} and {daddr}.";
            return false;
        }
        if (saddr.AddressFamily == AddressFamily.InterNetwork)
            return TryComputeIpv4(algorithm, NetOrder.Ipv4Be32(saddr), NetOrder.Ipv4Be32(daddr), dport, netSecret, timeseed, out portOffset, out error);

        if (!CheckSecret(algorithm, netSecret, out error)) return false;
        Span<byte> s = stackalloc byte[16], d = stackalloc byte[16];
        saddr.TryWriteBytes(s, out _);
        daddr.TryWriteBytes(d, out _);
        portOffset = algorithm switch
        {
            PortOffsetAlgorithm.Md5 => Md5Ipv6(s, d, dport, netSecret.Md5Words.AsSpan()),
            PortOffsetAlgorithm.SipHash32 => SipHash32Ipv6(s, d, dport, netSecret.SipKey!.Value),
            _ => SipHash64Ipv6(s, d, dport, timeseed, netSecret.SipKey!.Value),
        };
        return true;
    }

    private static bool CheckSecret(PortOffsetAlgorithm algorithm, NetSecret netSecret, [NotNullWhen(false)] out string? error)
    {
        switch (algorithm)
        {
            case PortOffsetAlgorithm.HalfMd4:
                error = HalfMd4Unsupported;
                return false;
            case PortOffsetAlgorithm.Md5 when netSecret.Md5Words.IsDefaultOrEmpty:
                error = "port_offset of kernels 3.1–4.10 (MD5) needs the 16-word MD5 net_secret, got a SipHash key";
                return false;
            case PortOffsetAlgorithm.SipHash32 or PortOffsetAlgorithm.SipHash64WithTimeSeed when netSecret.SipKey is null:
                error = "port_offset of kernels 4.11+ (SipHash) needs a SipHash net_secret (" + SipKey.Syntax + "), got MD5 words";
                return false;
            case PortOffsetAlgorithm.Md5 or PortOffsetAlgorithm.SipHash32 or PortOffsetAlgorithm.SipHash64WithTimeSeed:
                error = null;
                return true;
            default:
                error = $"unknown port_offset algorithm {algorithm}";
                return false;
        }
    }

    private static void RequireMd5Secret(ReadOnlySpan<uint> netSecret)
    {
        if (netSecret.Length != NetSecret.Md5WordCount)
            throw new ArgumentException($"The MD5-era net_secret is {NetSecret.Md5WordCount} u32 words, got {netSecret.Length}.", nameof(netSecret));
    }

    private static void RequireIpv6(ReadOnlySpan<byte> address, string name)
    {
        if (address.Length != 16) throw new ArgumentException($"An IPv6 address is 16 bytes, got {address.Length}.", name);
    }
}
