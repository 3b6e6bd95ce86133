using System.Diagnostics;
using PortSelection.Model.Kernel;
using PortSelection.Validator.Cli;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Tests.Compare;

/// <summary>`validate synretry` (destination 5305, used by no other test): live ≈ 7.3 s (long-running), and offline on synthetic traces.</summary>
[Collection(LiveCollection.Name)]
public sealed class SynRetryTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Duration", "LongRunning")]
    public void Live_dropped_syn_retransmissions_match_the_schedule()
    {
        LiveEnvironment.RequireOrSkip();
        var sw = Stopwatch.StartNew();
        var r = LiveEnvironment.OrSkip(() => ValidateSynRetry.Live(5305));
        output.WriteLine(r.VerdictLine());
        Assert.True(r.Agrees, r.VerdictLine());
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(8), $"took {sw.Elapsed}");
    }

    [Fact]
    public void Synthetic_trace_within_tolerance_agrees_and_a_late_syn_does_not()
    {
        var profile = KernelProfile.FromRelease("6.18.44");
        var good = new SynRetryObservation(2, 4, [0, 1018, 2042, 3066, 4090, 5114], 110, 7130);
        Assert.True(SynRetryValidation.Compare(profile, good, "6.18.44").Agrees);
        var late = good with { SynAtMs = [0, 1018, 2042, 3066, 4090, 5600] };
        Assert.Single(SynRetryValidation.Compare(profile, late, "6.18.44").Failures);
        var exponential = good with { LinearTimeouts = 0, SynAtMs = [0, 1015, 3031], ConnectEndMs = 7260 };
        Assert.True(SynRetryValidation.Compare(profile, exponential, "6.18.44").Agrees);
        var missing = good with { SynAtMs = [0, 1018, 2042] };
        Assert.False(SynRetryValidation.Compare(profile, missing, "6.18.44").Agrees);
    }
}
