using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Ports;

namespace PortSelection.Model.Tests.Ports;

/// <summary><see cref="PortBitmap"/>'s range query (the fast scan's lean-lane condition) against a port-by-port check.</summary>
public class PortBitmapRangeTests
{
    [Fact]
    public void Any_in_range_matches_a_port_by_port_check() =>
        Prop.ForAll(Arb.From(
            from n in Gen.Choose(0, 6)
            from ports in Gen.ArrayOf(Gen.Choose(0, 65535), n)
            from clustered in Gen.ArrayOf(Gen.Choose(32700, 33400), n)
            from a in Gen.Frequency((1, Gen.Choose(0, 65535)), (2, Gen.Choose(32600, 33500)))
            from len in Gen.Frequency((2, Gen.Choose(0, 70)), (2, Gen.Choose(0, 1500)), (1, Gen.Choose(0, 65535)))
            select (ports.Concat(clustered).ToArray(), a, Math.Min(65535, a + len))), t =>
        {
            var (ports, low, high) = t;
            var set = PortBitmap.From(ports);
            Assert.Equal(ports.Any(p => p >= low && p <= high), set.AnyInRange(low, high));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));

    [Fact]
    public void Any_in_range_at_the_edges()
    {
        var set = PortBitmap.From([0, 511, 512, 4095, 65535]);
        Assert.True(set.AnyInRange(0, 0));
        Assert.False(set.AnyInRange(1, 510));
        Assert.True(set.AnyInRange(1, 511));
        Assert.False(set.AnyInRange(513, 4094));
        Assert.True(set.AnyInRange(4095, 4095));
        Assert.False(set.AnyInRange(4096, 65534));
        Assert.True(set.AnyInRange(4096, 65535));
        Assert.False(PortBitmap.Empty.AnyInRange(0, 65535));
    }
}
