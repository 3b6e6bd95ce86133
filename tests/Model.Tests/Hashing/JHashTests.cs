using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Hashing;

namespace PortSelection.Model.Tests.Hashing;

public class JHashTests
{
    private static readonly byte[] FourScore = Encoding.ASCII.GetBytes("Four score and seven years ago");

    [Fact]
    public void Lookup3_driver5_vectors()
    {
        // Bob Jenkins, lookup3.c driver5(): hashlittle("", 0, 0) = deadbeef;
        // hashlittle("Four score and seven years ago", 30, 0) = 17770551, (…, 30, 1) = cd628161.
        Assert.Equal(0xdeadbeefu, JHash.Jhash([], 0));
        Assert.Equal(30, FourScore.Length);
        Assert.Equal(0x17770551u, JHash.Jhash(FourScore, 0));
        Assert.Equal(0xcd628161u, JHash.Jhash(FourScore, 1));
    }

    [Fact]
    public void Empty_key_returns_the_initial_c_without_mixing()
    {
        // lookup3 (and jhash) return c = 0xdeadbeef + 0 + initval for length 0: hashlittle("", 0, 0xdeadbeef) = 0xbd5b7dde,
        // the value lookup3.c driver5 prints for hashlittle2 with *pb = 0xdeadbeef, *pc = 0.
        Assert.Equal(0xbd5b7ddeu, JHash.Jhash([], 0xdeadbeef));
        Assert.Equal(unchecked(0xdeadbeefu + 42u), JHash.Jhash2([], 42));
    }

    private static byte[] Le32s(uint[] words)
    {
        var bytes = new byte[4 * words.Length];
        for (int i = 0; i < words.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), words[i]);
        return bytes;
    }

    [Fact]
    public void Jhash_over_le_bytes_equals_jhash2_over_words_property()
    {
        // lookup3: hashword(k, n, init) == hashlittle(k, 4n, init) on a little-endian machine.
        Prop.ForAll<uint[], uint>((words, init) => JHash.Jhash(Le32s(words), init) == JHash.Jhash2(words, init))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Fact]
    public void Fixed_word_forms_equal_jhash2_property()
    {
        Prop.ForAll<Tuple<uint, uint>, uint, uint>((ab, c, init) =>
        {
            var (a, b) = ab;
            return JHash.Jhash3Words(a, b, c, init) == JHash.Jhash2([a, b, c], init)
                && JHash.Jhash2Words(a, b, init) == JHash.Jhash2([a, b], init)
                && JHash.Jhash1Word(a, init) == JHash.Jhash2([a], init);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Fact]
    public void Twelve_le_bytes_of_three_words_equal_jhash_3words()
    {
        uint a = 0x0100007F, b = 0x0201A8C0, c = 0x50001F90;
        Assert.Equal(JHash.Jhash3Words(a, b, c, 7), JHash.Jhash(Le32s([a, b, c]), 7));
    }
}
