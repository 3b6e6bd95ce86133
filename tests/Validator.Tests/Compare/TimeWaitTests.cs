using PortSelection.Model.Kernel;
using PortSelection.Model.Selection;
using PortSelection.Validator.Cli;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Tests.Compare;

/// <summary>`validate timewait` (destination 5303, used by no other test): live ≈ 2.5 s, plus the prediction offline.</summary>
[Collection(LiveCollection.Name)]
public sealed class TimeWaitTests(ITestOutputHelper output)
{
    [Fact]
    public void Live_time_wait_reuse_matches_the_model()
    {
        LiveEnvironment.RequireOrSkip();
        var r = LiveEnvironment.OrSkip(() => ValidateTimeWait.Live(5303));
        output.WriteLine(r.VerdictLine());
        Assert.True(r.Agrees, r.VerdictLine());
        Assert.Equal([99, 0, 99, 99], r.Rows.Select(x => x.ObservedErrno));
    }

    [Fact]
    public void Model_predicts_reuse_after_the_delay_only_with_tw_reuse()
    {
        var profile = KernelProfile.FromRelease("6.18.44");
        foreach (var (reuse, expected) in new[] { (2, PortError.None), (0, PortError.EADDRNOTAVAIL) })
        {
            var o = new TimeWaitObservation(reuse, 40000, 1000, 1010, [new(150, 1160, 0, 0), new(1150, 2160, 0, 0)]);
            var rows = TimeWaitValidation.Compare(profile, o, 5303);
            Assert.Equal(PortError.EADDRNOTAVAIL, rows[0].PredictedError);
            Assert.Equal(expected, rows[1].PredictedError);
        }
    }
}
