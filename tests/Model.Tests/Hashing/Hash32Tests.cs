using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Hashing;

namespace PortSelection.Model.Tests.Hashing;

public class Hash32Tests
{
    [Fact]
    public void Golden_ratio_is_the_negated_32_bit_golden_ratio()
    {
        // include/linux/hash.h: GOLDEN_RATIO_32 = 0x61C88647 = 2^32 - 0x9E3779B9.
        Assert.Equal(0x1_0000_0000UL, (ulong)Hash32.GoldenRatio32 + 0x9E3779B9UL);
        Assert.Equal(0x61C88647u, Hash32.Of(1, 32));
        Assert.Equal(0u, Hash32.Of(0, 8));
    }

    [Fact]
    public void Era_D_golden_example_index()
    {
        // shared/kernel/port-selection.md §7 Example 1d: hash_32(0x9E3779B9, 8) = 28.
        Assert.Equal(28u, Hash32.Of(0x9E3779B9, 8));
    }

    [Fact]
    public void Equals_big_integer_arithmetic_property()
    {
        var bits = Gen.Choose(1, 32);
        Prop.ForAll(Arb.From(bits), ArbMap.Default.ArbFor<uint>(), (b, v) =>
        {
            var product = (BigInteger)v * 0x61C88647 % (BigInteger.One << 32);
            return Hash32.Of(v, b) == (uint)(product >> (32 - b));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public void Rejects_bits_outside_1_to_32(int bits)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Hash32.Of(1, bits));
    }
}
