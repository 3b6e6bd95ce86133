using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Hashing;

namespace PortSelection.Model.Tests.Hashing;

public class SipHashTests
{
    private static readonly SipKey PaperKey = new(0x0706050403020100UL, 0x0f0e0d0c0b0a0908UL);

    // Reference SipHash-2-4 vectors (veorq/SipHash vectors.h; the same table is in the kernel's
    // lib/test_siphash.c as test_vectors_siphash[]): key 00..0f, message 00..len-1, lengths 0..38.
    private static readonly ulong[] ReferenceVectors =
    [
        0x726fdb47dd0e0e31UL, 0x74f839c593dc67fdUL, 0x0d6c8009d9a94f5aUL,
        0x85676696d7fb7e2dUL, 0xcf2794e0277187b7UL, 0x18765564cd99a68dUL,
        0xcbc9466e58fee3ceUL, 0xab0200f58b01d137UL, 0x93f5f5799a932462UL,
        0x9e0082df0ba9e4b0UL, 0x7a5dbbc594ddb9f3UL, 0xf4b32f46226bada7UL,
        0x751e8fbc860ee5fbUL, 0x14ea5627c0843d90UL, 0xf723ca908e7af2eeUL,
        0xa129ca6149be45e5UL, 0x3f2acc7f57c29bdbUL, 0x699ae9f52cbe4794UL,
        0x4bc1b3f0968dd39cUL, 0xbb6dc91da77961bdUL, 0xbed65cf21aa2ee98UL,
        0xd0f2cbb02e3b67c7UL, 0x93536795e3a33e88UL, 0xa80c038ccd5ccec8UL,
        0xb8ad50c6f649af94UL, 0xbce192de8a85b8eaUL, 0x17d835b85bbb15f3UL,
        0x2f2e6163076bcfadUL, 0xde4daaaca71dc9a5UL, 0xa6a2506687956571UL,
        0xad87a3535c49ef28UL, 0x32d892fad841c342UL, 0x7127512f72f27cceUL,
        0xa7f32346f95978e3UL, 0x12e0b01abb051238UL, 0x15e034d40fa197aeUL,
        0x314dffbe0815a3b4UL, 0x027990f029623981UL, 0xcadcd4e59ef40c4dUL,
    ];

    private static byte[] Counting(int n) => Enumerable.Range(0, n).Select(i => (byte)i).ToArray();

    [Fact]
    public void Paper_appendix_vector_15_bytes()
    {
        // SipHash paper, Appendix A: key 00..0f, message 00..0e -> a129ca6149be45e5.
        Assert.Equal(0xa129ca6149be45e5UL, SipHash.Hash(Counting(15), SipKey.Parse("000102030405060708090a0b0c0d0e0f")));
    }

    [Fact]
    public void Reference_implementation_vectors()
    {
        for (int len = 0; len < ReferenceVectors.Length; len++)
            Assert.True(ReferenceVectors[len] == SipHash.Hash(Counting(len), PaperKey), $"length {len}");
    }

    [Fact]
    public void Hash3U32_is_the_reference_hash_of_the_12_byte_layout()
    {
        // bytes 00..0b as three LE words -> reference vector for length 12.
        var msg = Counting(12);
        uint a = BinaryPrimitives.ReadUInt32LittleEndian(msg), b = BinaryPrimitives.ReadUInt32LittleEndian(msg.AsSpan(4)),
             c = BinaryPrimitives.ReadUInt32LittleEndian(msg.AsSpan(8));
        Assert.Equal(ReferenceVectors[12], SipHash.Hash3U32(a, b, c, PaperKey));
    }

    [Fact]
    public void Hash4U32_is_the_reference_hash_of_the_16_byte_layout()
    {
        var msg = Counting(16);
        uint W(int i) => BinaryPrimitives.ReadUInt32LittleEndian(msg.AsSpan(4 * i));
        Assert.Equal(ReferenceVectors[16], SipHash.Hash4U32(W(0), W(1), W(2), W(3), PaperKey));
    }

    private static byte[] Le32s(params uint[] words)
    {
        var bytes = new byte[4 * words.Length];
        for (int i = 0; i < words.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), words[i]);
        return bytes;
    }

    [Fact]
    public void Word_forms_equal_span_form_property()
    {
        // System.Tuple is an F# tuple, for which FsCheck has default arbitraries.
        Prop.ForAll<Tuple<uint, uint>, Tuple<uint, uint>, Tuple<ulong, ulong>>((ab, cd, k) =>
        {
            var (a, b) = ab;
            var (c, d) = cd;
            var key = new SipKey(k.Item1, k.Item2);
            return SipHash.Hash4U32(a, b, c, d, key) == SipHash.Hash(Le32s(a, b, c, d), key)
                && SipHash.Hash3U32(a, b, c, key) == SipHash.Hash(Le32s(a, b, c), key);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }
}
