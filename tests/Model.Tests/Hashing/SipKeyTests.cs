using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Hashing;

namespace PortSelection.Model.Tests.Hashing;

public class SipKeyTests
{
    [Fact]
    public void Paper_key_bytes_00_to_0f_load_little_endian()
    {
        // SipHash paper, Appendix A: k = 00 01 02 ... 0f, k0 = 0x0706050403020100, k1 = 0x0f0e0d0c0b0a0908.
        var key = SipKey.Parse("000102030405060708090a0b0c0d0e0f");
        Assert.Equal(0x0706050403020100UL, key.K0);
        Assert.Equal(0x0f0e0d0c0b0a0908UL, key.K1);
        Assert.Equal("000102030405060708090a0b0c0d0e0f", key.ToString());
        Assert.Equal(key, SipKey.Parse("000102030405060708090A0B0C0D0E0F"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0001020304050607")]
    [InlineData("000102030405060708090a0b0c0d0e0f00")]
    [InlineData("000102030405060708090a0b0c0d0e0g")]
    [InlineData("0x0102030405060708090a0b0c0d0e0f")]
    [InlineData(" 00102030405060708090a0b0c0d0e0f")]
    public void Rejects_anything_but_32_hex_digits_naming_input_and_syntax(string text)
    {
        Assert.False(SipKey.TryParse(text, out _, out var error));
        Assert.Contains($"'{text}'", error);
        Assert.Contains("32 hexadecimal digits", error);
        var ex = Assert.Throws<FormatException>(() => SipKey.Parse(text));
        Assert.Equal(error, ex.Message);
    }

    [Fact]
    public void Null_is_rejected()
    {
        Assert.False(SipKey.TryParse(null, out _, out var error));
        Assert.Contains("32 hexadecimal digits", error);
    }

    [Fact]
    public void Format_parse_round_trip_property()
    {
        Prop.ForAll<ulong, ulong>((k0, k1) =>
        {
            var key = new SipKey(k0, k1);
            string text = key.ToString();
            return text.Length == 32 && SipKey.Parse(text) == key;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Fact]
    public void Bytes_round_trip()
    {
        byte[] bytes = Enumerable.Range(0x10, 16).Select(i => (byte)i).ToArray();
        var key = SipKey.FromBytes(bytes);
        var back = new byte[16];
        key.WriteBytes(back);
        Assert.Equal(bytes, back);
        Assert.Throws<ArgumentException>(() => SipKey.FromBytes(new byte[15]));
    }
}
