using PortSelection.Model.Ports;
using PortSelection.Validator.Cli;
using PortSelection.Validator.Compare;

namespace PortSelection.Validator.Tests.Compare;

/// <summary>Live: `validate step1` (destination 5302, used by no other test).</summary>
[Collection(LiveCollection.Name)]
public sealed class Step1LiveTests(ITestOutputHelper output)
{
    [Fact]
    public void Step_one_fill_interleaves_parities_and_fits_the_update_rule()
    {
        LiveEnvironment.RequireOrSkip();
        var r = LiveEnvironment.OrSkip(() => ValidateStep1.Live(new PortRange(40000, 40999), 5302));
        output.WriteLine(r.VerdictLine());
        Assert.True(r.Agrees, r.VerdictLine());
        Assert.Equal(1000, r.PredictedSuccesses);
        Assert.Equal(1000, r.Successes);
        Assert.Equal(99, r.FinalErrno);
        Assert.True(r.ParityChangesFirstHalf > 50);
        Assert.True(r.Sequence.Transitions >= 990);
    }

    [Fact]
    public void Sequence_check_rejects_a_step_two_jump()
    {
        var range = new PortRange(40000, 40099);
        var ok = Step1SequenceCheck.Run(range, [40000, 40003, 40011], [1, 1, 1], [false, false, false]);
        Assert.Equal((2, 2), (ok.Transitions, ok.Consistent));
        var bad = Step1SequenceCheck.Run(range, [40000, 40003, 40020], [1, 1, 1], [false, false, false]);
        Assert.Single(bad.Misses);
    }
}
