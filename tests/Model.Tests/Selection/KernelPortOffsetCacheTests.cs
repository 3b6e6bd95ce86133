using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Hashing;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Model.Tests.Selection;

/// <summary>
/// <see cref="KernelPortOffset"/> remembers recent values: with many destinations (slot collisions) and times across
/// 10-s re-keys, every value equals the one computed from scratch by <see cref="PortOffset.TryComputeIpv4"/>.
/// </summary>
public class KernelPortOffsetCacheTests
{
    [Theory]
    [InlineData("6.18.44")] // SipHash, 64-bit offsets
    [InlineData("4.4")]     // MD5
    public void Cached_values_equal_fresh_computations(string kernel)
    {
        var profile = KernelProfile.FromRelease(kernel);
        Prop.ForAll(Arb.From(
            from seed in ArbMap.Default.GeneratorFor<ulong>()
            from queries in Gen.ArrayOf(
                from src in Gen.Choose(0, 3)
                from dst in Gen.Choose(0, 600)
                from port in Gen.Elements(80, 443, 7000)
                from t in Gen.Choose(0, 45_000)
                select (src, dst, port, t), 500)
            select (seed, queries)), x =>
        {
            var cached = KernelPortOffset.ForSimulation(profile, new SeededDraws(x.seed));
            var fresh = KernelPortOffset.ForSimulation(profile, new SeededDraws(x.seed));
            long now = 0;
            foreach (var (src, dst, port, t) in x.queries)
            {
                now += t % 3 == 0 ? t : 0;
                var d = new Destination(new Ipv4Address(0x0A000001u + (uint)src), new Ipv4Address(0xC0A80000u + (uint)dst), port);
                ulong expected = fresh.PortOffset(d, now);        // the first query of a fresh source is never a cache hit
                fresh = KernelPortOffset.ForSimulation(profile, new SeededDraws(x.seed));
                Assert.Equal(expected, cached.PortOffset(d, now));
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));
    }
}
