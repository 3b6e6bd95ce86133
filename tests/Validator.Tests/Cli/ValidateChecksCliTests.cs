using PortSelection.Validator.Cli;

namespace PortSelection.Validator.Tests.Cli;

/// <summary>The issue-4 checks are registered and reject bad input with exit 2 before any live work.</summary>
public sealed class ValidateChecksCliTests
{
    [Fact]
    public void All_runs_the_new_checks_in_order()
    {
        Assert.Equal(["ports", "backlog", "reserved", "step1", "bind", "timewait", "synretry"], ValidateCommand.Checks);
    }

    [Theory]
    [InlineData("validate", "bind", "--range", "40000-40100")]
    [InlineData("validate", "reserved", "--trace", "/nonexistent/trace.jsonl")]
    [InlineData("validate", "step1", "--range", "50000-40000")]
    public void Bad_input_is_one_line_and_exit_2(params string[] args)
    {
        var (exit, _, err) = Portsel.Run(args);
        Assert.Equal(2, exit);
        Assert.Single(err.Trim().Split('\n'));
    }
}
