using PortSelection.Validator.Cli;
using PortSelection.Validator.Compare;

namespace PortSelection.Validator.Tests.Compare;

/// <summary>Live: `validate reserved` (destination 5301, used by no other test).</summary>
[Collection(LiveCollection.Name)]
public sealed class ReservedLiveTests(ITestOutputHelper output)
{
    [Fact]
    public void Reserved_and_bound_ports_are_never_chosen_and_counts_match_the_model()
    {
        LiveEnvironment.RequireOrSkip();
        var r = LiveEnvironment.OrSkip(() => ValidateReserved.Live(ReservedValidation.DefaultRange, ReservedValidation.DefaultReserved,
            ReservedValidation.DefaultBinds, 5301));
        output.WriteLine(r.VerdictLine());
        Assert.True(r.Agrees, r.VerdictLine());
        // 1000 − 101 reserved − 3 bound; evens first: 500 − 51 − 2 = 447.
        Assert.Equal(896, r.PredictedSuccesses);
        Assert.Equal(r.ClosedForm, r.Successes);
        Assert.Equal(448, r.PredictedParitySwitchAt);
        Assert.Empty(r.ForbiddenChosen);
        Assert.Equal(99, r.FinalErrno);
    }
}
