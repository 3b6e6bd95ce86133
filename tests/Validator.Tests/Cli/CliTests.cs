using PortSelection.Validator.Cli;

namespace PortSelection.Validator.Tests.Cli;

public sealed class CliTests
{
    [Fact]
    public void Probe_without_target_is_bad_input()
    {
        Assert.Equal(CliApp.BadInput, CliApp.Run(["probe"]));
    }

    [Fact]
    public void Probe_with_unknown_backend_is_bad_input()
    {
        Assert.Equal(CliApp.BadInput, CliApp.Run(["probe", "--backend", "uprobe", "--pid", "1"]));
    }

    [Theory]
    [InlineData("--modes", "cgroup:turbo")]
    [InlineData("--modes", "uprobe:compact")]
    [InlineData("--modes", "cgroup,cgroup:compact")]
    [InlineData("--backend", "uprobe")]
    public void Bench_probe_with_an_unknown_mode_or_backend_is_bad_input(string option, string value)
    {
        Assert.Equal(CliApp.BadInput, CliApp.Run(["bench-probe", option, value]));
    }

    [Fact]
    public void Commands_are_registered()
    {
        var root = CliApp.BuildRoot();
        Assert.Contains(root.Subcommands, c => c.Name == "probe");
        Assert.Contains(root.Subcommands, c => c.Name == "cleanup");
    }
}
