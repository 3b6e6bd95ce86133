using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Hashing;
using PortSelection.Model.Kernel;

namespace PortSelection.Model.Tests.Hashing;

public class PortOffsetTests
{
    private static readonly SipKey PaperKey = SipKey.Parse("000102030405060708090a0b0c0d0e0f");
    private static byte[] Counting(int from, int n) => Enumerable.Range(from, n).Select(i => (byte)i).ToArray();

    [Fact]
    public void Ipv6_era_E_layout_maps_onto_reference_vector_38()
    {
        // {saddr = 00..0f, daddr = 10..1f, timeseed LE = 20 21 22 23, dport BE = 24 25} is the message 00..25 (38 bytes),
        // whose SipHash-2-4 under key 00..0f is reference vector 38 (veorq/SipHash vectors.h, lib/test_siphash.c).
        ulong offset = PortOffset.SipHash64Ipv6(Counting(0, 16), Counting(16, 16), 0x2425, 0x23222120, PaperKey);
        Assert.Equal(0xcadcd4e59ef40c4dUL, offset);

        Assert.True(PortOffset.TryCompute(PortOffsetAlgorithm.SipHash64WithTimeSeed, new IPAddress(Counting(0, 16)),
            new IPAddress(Counting(16, 16)), 0x2425, NetSecret.FromSipKey(PaperKey), 0x23222120, out var viaTry, out var error), error);
        Assert.Equal(0xcadcd4e59ef40c4dUL, viaTry);
    }

    [Fact]
    public void Ipv6_siphash32_era_layout_maps_onto_reference_vector_34_truncated()
    {
        // {saddr = 00..0f, daddr = 10..1f, dport BE = 20 21}: message 00..21 (34 bytes) -> vector 34 = 0x12e0b01abb051238.
        Assert.Equal(0xbb051238u, PortOffset.SipHash32Ipv6(Counting(0, 16), Counting(16, 16), 0x2021, PaperKey));
    }

    private static byte[] Ipv4Layout(IPAddress s, IPAddress d, ushort port, uint? timeseed)
    {
        // §4.1: address bytes in wire order, then port_hi, port_lo, 0, 0, then LE32(timeseed).
        var bytes = new List<byte>();
        bytes.AddRange(s.GetAddressBytes());
        bytes.AddRange(d.GetAddressBytes());
        bytes.AddRange([(byte)(port >> 8), (byte)port, 0, 0]);
        if (timeseed is uint t) bytes.AddRange([(byte)t, (byte)(t >> 8), (byte)(t >> 16), (byte)(t >> 24)]);
        return [.. bytes];
    }

    [Fact]
    public void Ipv4_siphash_eras_hash_the_documented_byte_layout_property()
    {
        Prop.ForAll<Tuple<uint, uint>, Tuple<ushort, uint>, Tuple<ulong, ulong>>((addrs, pt, k) =>
        {
            var s = new IPAddress(BitConverter.GetBytes(addrs.Item1));
            var d = new IPAddress(BitConverter.GetBytes(addrs.Item2));
            var (port, timeseed) = pt;
            var key = new SipKey(k.Item1, k.Item2);
            uint sBe = NetOrder.Ipv4Be32(s), dBe = NetOrder.Ipv4Be32(d);
            return PortOffset.SipHash32Ipv4(sBe, dBe, port, key) == (uint)SipHash.Hash(Ipv4Layout(s, d, port, null), key)
                && PortOffset.SipHash64Ipv4(sBe, dBe, port, timeseed, key) == SipHash.Hash(Ipv4Layout(s, d, port, timeseed), key);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void Ipv4_try_compute_dispatches_per_era_and_zero_extends_u32()
    {
        var s = IPAddress.Parse("192.0.2.1");
        var d = IPAddress.Parse("198.51.100.7");
        var secret = NetSecret.FromSipKey(PaperKey);
        Assert.True(PortOffset.TryCompute(PortOffsetAlgorithm.SipHash32, s, d, 443, secret, 99, out var off32, out _));
        Assert.Equal((ulong)PortOffset.SipHash32Ipv4(NetOrder.Ipv4Be32(s), NetOrder.Ipv4Be32(d), 443, PaperKey), off32);
        Assert.True(off32 <= uint.MaxValue);
        Assert.True(PortOffset.TryCompute(PortOffsetAlgorithm.SipHash64WithTimeSeed, s, d, 443, secret, 99, out var off64, out _));
        Assert.Equal(PortOffset.SipHash64Ipv4(NetOrder.Ipv4Be32(s), NetOrder.Ipv4Be32(d), 443, 99, PaperKey), off64);
    }

    [Fact]
    public void Half_md4_is_refused_with_a_clear_message()
    {
        Assert.False(PortOffset.TryComputeIpv4(PortOffsetAlgorithm.HalfMd4, 1, 2, 80, NetSecret.FromSipKey(PaperKey), 0, out var off, out var error));
        Assert.Equal(0UL, off);
        Assert.Equal("port_offset of kernels ≤3.0 (half-MD4) cannot be computed; give --port-offset", error);
    }

    [Fact]
    public void Wrong_secret_kind_or_mixed_families_are_refused()
    {
        var md5Secret = NetSecret.FromMd5Words(new uint[16]);
        Assert.False(PortOffset.TryComputeIpv4(PortOffsetAlgorithm.SipHash32, 1, 2, 80, md5Secret, 0, out _, out var e1));
        Assert.Contains("SipHash", e1);
        Assert.False(PortOffset.TryComputeIpv4(PortOffsetAlgorithm.Md5, 1, 2, 80, NetSecret.FromSipKey(PaperKey), 0, out _, out var e2));
        Assert.Contains("MD5", e2);
        Assert.False(PortOffset.TryCompute(PortOffsetAlgorithm.SipHash32, IPAddress.Loopback, IPAddress.IPv6Loopback, 80,
            NetSecret.FromSipKey(PaperKey), 0, out _, out var e3));
        Assert.Contains("IPv4 or two IPv6", e3);
    }

    private static uint[] Words(byte[] sixteenBytes) =>
        Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(sixteenBytes.AsSpan(4 * i))).ToArray();

    [Fact]
    public void Ipv6_md5_era_equals_bcl_md5_when_inputs_reconstruct_the_iv_and_a_padded_block()
    {
        // secure_ipv6_port_ephemeral (4.4): hash = saddr words; secret[i] = net_secret[i] + daddr[i] (i<4),
        // secret[4] = net_secret[4] + be16(dport), rest net_secret. With saddr = the MD5 IV bytes and net_secret
        // chosen so that secret = the RFC 1321 padded block of m, hash[0] is the first digest word of MD5(m).
        byte[] ivBytes = Convert.FromHexString("0123456789abcdeffedcba9876543210"); // LE bytes of 67452301 efcdab89 98badcfe 10325476
        byte[] daddr = IPAddress.Parse("2001:db8::1:2:3:4").GetAddressBytes();
        const ushort dport = 0x1F90; // 8080
        byte[] message = "port selection"u8.ToArray();
        uint[] block = Md5TransformTests.PaddedSingleBlock(message);
        uint[] netSecret = (uint[])block.Clone();
        uint[] dWords = Words(daddr);
        unchecked
        {
            for (int i = 0; i < 4; i++) netSecret[i] = block[i] - dWords[i];
            netSecret[4] = block[4] - 0x901Fu; // be16(8080) as the kernel's u16 on little-endian
        }
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(MD5.HashData(message));
        Assert.Equal(expected, PortOffset.Md5Ipv6(ivBytes, daddr, dport, netSecret));
        Assert.True(PortOffset.TryCompute(PortOffsetAlgorithm.Md5, new IPAddress(ivBytes), new IPAddress(daddr), dport,
            NetSecret.FromMd5Words(netSecret), 0, out var viaTry, out var error), error);
        Assert.Equal(expected, viaTry);
    }

    [Fact]
    public void Ipv4_md5_era_state_words_are_saddr_daddr_dport_xor_secret14_secret15()
    {
        // secure_ipv4_port_ephemeral (4.4): hash = {saddr, daddr, (u32)be16(dport) ^ net_secret[14], net_secret[15]},
        // md5_transform(hash, net_secret), return hash[0]. Port 80 is the u16 0x5000 on little-endian.
        uint[] secret = Enumerable.Range(0, 16).Select(i => (uint)(0x01010101 * i + 0x9E3779B9)).ToArray();
        uint saddr = NetOrder.Ipv4Be32(IPAddress.Parse("10.0.0.1")), daddr = NetOrder.Ipv4Be32(IPAddress.Parse("10.0.0.2"));
        Assert.Equal(0x0100000Au, saddr);
        uint[] state = [saddr, daddr, 0x5000u ^ secret[14], secret[15]];
        Md5Transform.Transform(state, secret);
        Assert.Equal(state[0], PortOffset.Md5Ipv4(saddr, daddr, 80, secret));
    }
}
