using PortSelection.Model.Kernel;

namespace PortSelection.Model.Tests.Kernel;

public class KernelProfileTests
{
    [Theory]
    [InlineData("3.10.0-1160.el7.x86_64", ConnectEra.A)]
    [InlineData("4.1.52", ConnectEra.A)]
    [InlineData("4.2", ConnectEra.B)]
    [InlineData("4.5.7", ConnectEra.B)]
    [InlineData("4.6", ConnectEra.C)]
    [InlineData("4.19.248", ConnectEra.C)]
    [InlineData("4.19.249", ConnectEra.E)]
    [InlineData("4.9.320", ConnectEra.E)]
    [InlineData("4.14.284", ConnectEra.C)]
    [InlineData("4.14.285", ConnectEra.E)]
    [InlineData("5.4.200", ConnectEra.C)]
    [InlineData("5.4.201", ConnectEra.E)]
    [InlineData("5.10.13", ConnectEra.C)]
    [InlineData("5.10.124", ConnectEra.C)]
    [InlineData("5.10.125", ConnectEra.E)]
    [InlineData("5.11.22", ConnectEra.C)]
    [InlineData("5.12", ConnectEra.D)]
    [InlineData("5.15.0", ConnectEra.D)]
    [InlineData("5.15.50", ConnectEra.E)]
    [InlineData("5.17.3", ConnectEra.D)]
    [InlineData("5.18", ConnectEra.E)]
    [InlineData("6.1.192", ConnectEra.E)]
    [InlineData("6.18.44-fc-v657", ConnectEra.E)]
    [InlineData("v7.2.13", ConnectEra.E)]
    public void Era_follows_release_and_stable_backports(string release, ConnectEra expected)
    {
        Assert.Equal(expected, KernelProfile.FromRelease(release).Era);
    }

    [Fact]
    public void Later_switches_at_their_versions()
    {
        var p617_7 = KernelProfile.FromRelease("6.17.7");
        var p617_8 = KernelProfile.FromRelease("6.17.8");
        var p618 = KernelProfile.FromRelease("6.18.44-fc-v657");
        Assert.False(p617_7.BindBucketRelease);
        Assert.True(p617_8.BindBucketRelease);
        Assert.True(p618.BindBucketRelease && p618.RcuPreCheck && p618.EhashPortAdditive && p618.PerSocketRangeStepOne && p618.Bhash2);
        Assert.Equal(TimeWaitAgeRule.ReuseDelayMilliseconds, p618.TimeWaitAge);
        Assert.Equal(TimeWaitAgeRule.LaterSecond, KernelProfile.FromRelease("6.13").TimeWaitAge);
        Assert.Equal(TimeWaitAgeRule.MoreThanOneSecond, KernelProfile.FromRelease("4.14").TimeWaitAge);
        Assert.False(KernelProfile.FromRelease("6.14").RcuPreCheck);
        Assert.True(KernelProfile.FromRelease("6.1.32").PerSocketRangeClamp);
        Assert.False(KernelProfile.FromRelease("6.1.31").PerSocketRangeClamp);
        Assert.False(KernelProfile.FromRelease("6.7").PerSocketRangeStepOne);
        Assert.False(KernelProfile.FromRelease("6.0").Bhash2);
        Assert.Equal(8, KernelProfile.FromRelease("5.13").PerturbOrder);
        Assert.Equal(16, KernelProfile.FromRelease("5.10.125").PerturbOrder);
        Assert.Equal(0, KernelProfile.FromRelease("5.10.124").PerturbOrder);
        Assert.Equal(61000, KernelProfile.FromRelease("4.1").DefaultRangeHigh);
        Assert.Equal(60999, KernelProfile.FromRelease("4.2").DefaultRangeHigh);
        Assert.Equal(PortOffsetAlgorithm.Md5, KernelProfile.FromRelease("4.10").PortOffset);
        Assert.Equal(PortOffsetAlgorithm.SipHash32, KernelProfile.FromRelease("4.11").PortOffset);
        Assert.Equal(PortOffsetAlgorithm.SipHash64WithTimeSeed, KernelProfile.FromRelease("4.19.249").PortOffset);
        Assert.Equal(Bind0Algorithm.FindOpenPort, KernelProfile.FromRelease("4.13").Bind0);
        Assert.Equal(Bind0Algorithm.ParityHalvesSmallest, KernelProfile.FromRelease("4.12").Bind0);
        Assert.Equal(Bind0Algorithm.LinearRover, KernelProfile.FromRelease("4.5").Bind0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("six")]
    [InlineData("6")]
    [InlineData("6.x")]
    [InlineData("6..1")]
    [InlineData("6.18.1.2")]
    [InlineData("1.2")]
    public void Bad_release_is_rejected_with_the_syntax(string release)
    {
        Assert.False(KernelVersion.TryParse(release, out _, out var error));
        Assert.Contains("MAJOR.MINOR", error);
    }
}
