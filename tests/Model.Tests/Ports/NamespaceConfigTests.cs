using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;

namespace PortSelection.Model.Tests.Ports;

/// <summary>The sysctl rules of port-selection.md §6.</summary>
public class NamespaceConfigTests
{
    private static readonly KernelProfile K618 = KernelProfile.FromRelease("6.18");

    [Theory]
    [InlineData("32768-60999", 32768, 60999)]
    [InlineData("32768 60999", 32768, 60999)]
    [InlineData("32768\t60999", 32768, 60999)]
    [InlineData("40000-40000", 40000, 40000)]
    [InlineData("1-65535", 1, 65535)]
    public void Range_syntax_accepts_equal_bounds(string text, int lo, int hi)
    {
        Assert.True(PortRange.TryParse(text, out var r, out _));
        Assert.Equal(new PortRange(lo, hi), r);
    }

    [Theory]
    [InlineData("0-100", "outside 1..65535")]
    [InlineData("100-65536", "outside 1..65535")]
    [InlineData("200-100", "HIGH < LOW")]
    [InlineData("abc", "not a port range")]
    [InlineData("1-2-3", "not a port range")]
    public void Range_errors_say_what_is_wrong(string text, string why)
    {
        Assert.False(PortRange.TryParse(text, out _, out var error));
        Assert.Contains(why, error);
        Assert.Contains("LOW-HIGH", error);
    }

    [Fact]
    public void Low_below_unprivileged_start_is_EINVAL_since_5_10()
    {
        var cfg = new NamespaceConfig { Range = new PortRange(1000, 2000) };
        Assert.Contains(cfg.Validate(K618).Errors, e => e.Contains("ip_unprivileged_port_start"));
        Assert.Empty(cfg.Validate(KernelProfile.FromRelease("4.19")).Errors);
        Assert.Empty((cfg with { UnprivilegedPortStart = 1000 }).Validate(K618).Errors);
    }

    [Fact]
    public void Same_parity_is_accepted_with_a_warning()
    {
        var (errors, warnings) = new NamespaceConfig { Range = new PortRange(40000, 40010) }.Validate(K618);
        Assert.Empty(errors);
        Assert.Contains(warnings, w => w.Contains("parity"));
        Assert.Empty(new NamespaceConfig { Range = new PortRange(40000, 40009) }.Validate(K618).Warnings);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void Tw_reuse_accepts_0_1_2(int value) =>
        Assert.Contains(new NamespaceConfig { TcpTwReuse = value }.Validate(K618).Errors, e => e.Contains("tcp_tw_reuse"));

    [Theory]
    [InlineData(0)]
    [InlineData(60_001)]
    public void Tw_reuse_delay_bounds(int value) =>
        Assert.Contains(new NamespaceConfig { TcpTwReuseDelayMs = value }.Validate(K618).Errors, e => e.Contains("tcp_tw_reuse_delay"));

    [Fact]
    public void Defaults_per_era()
    {
        Assert.Equal(new PortRange(32768, 61000), NamespaceConfig.DefaultsFor(KernelProfile.FromRelease("3.13")).Range);
        Assert.Equal(0, NamespaceConfig.DefaultsFor(KernelProfile.FromRelease("4.4")).TcpTwReuse);
        Assert.Equal(2, NamespaceConfig.DefaultsFor(K618).TcpTwReuse);
        Assert.Equal(new PortRange(32768, 60999), NamespaceConfig.DefaultsFor(K618).Range);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("8080,9000-9100", "8080,9000-9100")]
    [InlineData("1,2-4,10-10", "1-4,10")]
    [InlineData(" 9000-9002 , 80 \n", "80,9000-9002")]
    [InlineData("0,65535", "0,65535")]
    public void Reserved_ports_sysctl_syntax(string text, string canonical)
    {
        Assert.True(PortListSyntax.TryParse(text, out var set, out _));
        Assert.Equal(canonical, set.ToString());
    }

    [Theory]
    [InlineData("80,,90", "empty entry")]
    [InlineData("80,9x", "'9x'")]
    [InlineData("65536", "'65536'")]
    [InlineData("9100-9000", "'9100-9000'")]
    [InlineData("-5", "'-5'")]
    public void Reserved_ports_errors_name_the_bad_token(string text, string token)
    {
        Assert.False(PortListSyntax.TryParse(text, out _, out var error));
        Assert.Contains(token, error);
        Assert.Contains("8080,9000-9100", error);
    }

    [Fact]
    public void Port_list_format_parse_round_trip()
    {
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Choose(0, 65535))), ports =>
        {
            var set = PortBitmap.From(ports);
            Assert.Equal(set, PortListSyntax.Parse(set.ToString()));
            Assert.Equal(ports.Distinct().Count(), set.Count);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }
}
