using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Hashing;

namespace PortSelection.Model.Tests.Hashing;

public class Md5TransformTests
{
    /// <summary>RFC 1321 padding of a message of at most 55 bytes into one 64-byte block, as 16 LE words.</summary>
    internal static uint[] PaddedSingleBlock(ReadOnlySpan<byte> message)
    {
        Assert.True(message.Length <= 55);
        var block = new byte[64];
        message.CopyTo(block);
        block[message.Length] = 0x80;
        BinaryPrimitives.WriteUInt64LittleEndian(block.AsSpan(56), (ulong)message.Length * 8);
        var words = new uint[16];
        for (int i = 0; i < 16; i++) words[i] = BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(4 * i));
        return words;
    }

    internal static string DigestOfSingleBlock(ReadOnlySpan<byte> message)
    {
        Span<uint> state = stackalloc uint[4];
        Md5Transform.InitialState.CopyTo(state);
        Md5Transform.Transform(state, PaddedSingleBlock(message));
        var digest = new byte[16];
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(4 * i), state[i]);
        return Convert.ToHexStringLower(digest);
    }

    [Theory]
    // RFC 1321, Appendix A.5 test suite.
    [InlineData("", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("a", "0cc175b9c0f1b6a831c399e269772661")]
    [InlineData("abc", "900150983cd24fb0d6963f7d28e17f72")]
    [InlineData("message digest", "f96b697d7cb7938d525a2f31aaf161d0")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b")]
    public void Rfc1321_test_suite_single_block_messages(string message, string digest)
    {
        Assert.Equal(digest, DigestOfSingleBlock(Encoding.ASCII.GetBytes(message)));
    }

    [Fact]
    public void Sine_table_is_floor_abs_sin_times_2_pow_32()
    {
        // RFC 1321 §3.4: T[i] = floor(4294967296 * abs(sin(i))), i = 1..64 (i in radians).
        for (int i = 0; i < 64; i++)
            Assert.Equal((uint)Math.Floor(Math.Abs(Math.Sin(i + 1)) * 4294967296.0), Md5Transform.SineTable[i]);
    }

    [Fact]
    public void Random_single_blocks_equal_bcl_md5_property()
    {
        var gen = ArbMap.Default.GeneratorFor<byte[]>().Where(b => b.Length <= 55);
        Prop.ForAll(Arb.From(gen), message =>
                DigestOfSingleBlock(message) == Convert.ToHexStringLower(MD5.HashData(message)))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void Rejects_wrong_sizes()
    {
        Assert.Throws<ArgumentException>(() => Md5Transform.Transform(new uint[3], new uint[16]));
        Assert.Throws<ArgumentException>(() => Md5Transform.Transform(new uint[4], new uint[15]));
    }
}
