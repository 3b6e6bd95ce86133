using PortSelection.Model.Ports;

namespace PortSelection.Model.Tests.Ports;

/// <summary><c>IP_LOCAL_PORT_RANGE</c> (port-selection.md §3.6–3.7).</summary>
public class PerSocketRangeTests
{
    private static readonly PortRange Netns = new(32768, 60999);

    [Theory]
    [InlineData(40000, 50000, 40000, 50000)]   // both inside
    [InlineData(0, 50000, 32768, 50000)]       // low unset
    [InlineData(20000, 50000, 32768, 50000)]   // low outside: ignored
    [InlineData(40000, 0, 40000, 60999)]       // high unset
    [InlineData(40000, 65000, 40000, 60999)]   // high outside: ignored
    [InlineData(0, 65535, 32768, 60999)]       // 0xFFFF0000: both ignored, but still "set"
    [InlineData(50000, 40000, 50000, 60999)]   // high below the updated low: ignored (stored only via raw value)
    public void Clamp_uses_a_half_only_inside_the_netns_range(int lo, int hi, int expLo, int expHi)
    {
        var (range, set) = PerSocketRange.FromBounds(lo, hi).Clamp(Netns);
        Assert.Equal(new PortRange(expLo, expHi), range);
        Assert.True(set);
    }

    [Fact]
    public void Unset_changes_nothing() => Assert.Equal((Netns, false), PerSocketRange.Unset.Clamp(Netns));

    [Theory]
    [InlineData("0xFFFF0000", 0u, 65535u)]
    [InlineData("40000-50000", 40000u, 50000u)]
    [InlineData("0-50000", 0u, 50000u)]
    [InlineData("3276800000", 0u, 50000u)]
    public void Parses_bounds_or_raw(string text, uint lo, uint hi)
    {
        Assert.True(PerSocketRange.TryParse(text, out var v, out _));
        Assert.Equal((int)lo, v.Low);
        Assert.Equal((int)hi, v.High);
    }

    [Theory]
    [InlineData("50000-40000")]
    [InlineData("x")]
    [InlineData("70000-80000")]
    public void Rejects_what_setsockopt_rejects(string text) => Assert.False(PerSocketRange.TryParse(text, out _, out _));
}
