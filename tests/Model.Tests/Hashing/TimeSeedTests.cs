using PortSelection.Model.Hashing;

namespace PortSelection.Model.Tests.Hashing;

public class TimeSeedTests
{
    [Theory]
    // INITIAL_JIFFIES = (unsigned long)(unsigned int)(-300*HZ) = 2^32 - 300*HZ on 64-bit.
    [InlineData(1000, 4294667296UL)]
    [InlineData(250, 4294892296UL)]
    [InlineData(100, 4294937296UL)]
    public void Initial_jiffies_is_zero_extended_minus_300_hz(int hz, ulong expected)
    {
        Assert.Equal(expected, TimeSeed.InitialJiffies(hz));
        Assert.Equal((1UL << 32) - 300UL * (ulong)hz, TimeSeed.InitialJiffies(hz));
    }

    [Fact]
    public void Seed_changes_every_ten_seconds_of_jiffies()
    {
        Assert.Equal(0u, TimeSeed.FromJiffies(9999, 1000));
        Assert.Equal(1u, TimeSeed.FromJiffies(10000, 1000));
        Assert.Equal(1u, TimeSeed.FromJiffies(2499 + 2500, 250));
        // At boot with HZ=1000: 4294667296 / 10000 = 429466 (remainder 7296), so the first change comes 2.704 s after boot.
        ulong boot = TimeSeed.InitialJiffies(1000);
        Assert.Equal(429466u, TimeSeed.FromJiffies(boot, 1000));
        Assert.Equal(429466u, TimeSeed.FromJiffies(TimeSeed.JiffiesAfterBoot(2703, 1000), 1000));
        Assert.Equal(429467u, TimeSeed.FromJiffies(TimeSeed.JiffiesAfterBoot(2704, 1000), 1000));
    }

    [Fact]
    public void Quotient_is_truncated_to_u32()
    {
        ulong jiffies = (1UL << 32) * 10 * 100 + 5 * 1000; // quotient 2^32 + 5 at HZ=100
        Assert.Equal(5u, TimeSeed.FromJiffies(jiffies, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeSeed.FromJiffies(1, 0));
    }
}
