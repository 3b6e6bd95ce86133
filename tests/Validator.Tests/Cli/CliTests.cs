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

    [Fact]
    public void Commands_are_registered()
    {
        var root = CliApp.BuildRoot();
        Assert.Contains(root.Subcommands, c => c.Name == "probe");
        Assert.Contains(root.Subcommands, c => c.Name == "cleanup");
    }
}
