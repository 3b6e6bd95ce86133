using PortSelection.Model.Kernel;
using PortSelection.Validator.Cli;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Tests.Compare;

/// <summary>Live: the listener matrix (listen-queues.md §9.1) against the listen-queue model; ≈ 0.3 s per case.</summary>
[Collection(LiveCollection.Name)]
public sealed class BacklogLiveTests(ITestOutputHelper output)
{
    [Fact]
    public void Listener_matrix_matches_the_model()
    {
        LiveEnvironment.RequireOrSkip();
        var rows = LiveEnvironment.OrSkip(() => ValidateBacklog.RunMatrix(BacklogComparison.DefaultMatrix));
        Assert.True(rows.Count >= 8);
        foreach (var r in rows)
        {
            output.WriteLine(r.ToJson().ToJsonString());
            Assert.True(r.Match, r.ToJson().ToJsonString());
            Assert.True(r.Observed.ListenDrops >= r.Observed.ListenOverflows);
        }
        // 6.18: B + 1 clients complete, B = min(listen arg, somaxconn).
        var b8 = rows.Single(r => r.Case == new BacklogCase(8, 4096, 2048, 1));
        Assert.Equal(9, b8.Observed.Established);
        Assert.Equal(8, b8.Observed.SendQ ?? 8);
    }

    [Fact]
    public void Prediction_is_B_plus_one_on_6_18()
    {
        var p = BacklogComparison.Predict(KernelProfile.FromRelease("6.18.44"), new BacklogCase(8, 4, 2048, 1), 2);
        Assert.Equal(5, p.Established);
        Assert.Equal(4, p.SendQ);
        Assert.Equal(2, p.ListenOverflows);
    }
}
