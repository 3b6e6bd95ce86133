using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Tests.Cli;

namespace PortSelection.Validator.Tests.Compare;

/// <summary>Offline: replay of a recorded two-destination fill of 40000–40063 (Data/ports-64.jsonl, recorded on 6.18.44
/// with `portsel validate ports --range 40000-40063 --dport 5297 5298 --record ...`).</summary>
public sealed class PortsReplayTests
{
    private static string TracePath => Path.Combine(AppContext.BaseDirectory, "Data", "ports-64.jsonl");

    private static (List<ObservedConnect> Obs, TraceFile Trace) Load()
    {
        var t = TraceFile.Read(TracePath);
        return (PortsValidation.FromEvents(t.Events, t.Hz, t.Jiffies), t);
    }

    [Fact]
    public void Recorded_fill_agrees_with_the_era_E_model()
    {
        var (obs, t) = Load();
        var r = PortsValidation.Compare(obs, new PortRange(40000, 40063), KernelProfile.FromRelease(t.KernelRelease), t.Backend, t.KernelRelease, t.LostEvents);
        Assert.True(r.Agrees, string.Join("; ", r.Failures));
        Assert.Equal([64, 64], r.Destinations.Select(d => d.Successes));
        Assert.All(r.Destinations, d => Assert.Equal(33, d.ParitySwitchAt));
        Assert.Equal(126, r.Destinations.Sum(d => d.Transitions));
        Assert.Equal(r.Destinations.Sum(d => d.Transitions), r.Destinations.Sum(d => d.Consistent));
        Assert.Null(r.ProbeUserMismatches);
        Assert.InRange(r.CostFit.NsPerProbe, 5, 200);
    }

    [Fact]
    public void Swapped_ports_are_unexplained_transitions()
    {
        var (obs, t) = Load();
        var first = obs.Where(o => o.DestinationPort == 5297 && o.Port is not null).ToList();
        // Swap the 5th and 20th chosen ports of the first destination: the chain can no longer be explained.
        int a = obs.IndexOf(first[4]), b = obs.IndexOf(first[19]);
        obs[a] = first[4] with { Port = first[19].Port };
        obs[b] = first[19] with { Port = first[4].Port };
        var r = PortsValidation.Compare(obs, new PortRange(40000, 40063), KernelProfile.FromRelease(t.KernelRelease), t.Backend, t.KernelRelease, 0);
        Assert.False(r.Agrees);
        Assert.NotEmpty(r.Destinations[0].Misses);
        Assert.Empty(r.Destinations[1].Misses);
    }

    [Fact]
    public void Cli_replays_the_trace()
    {
        var json = Portsel.Json("validate", "ports", "--trace", TracePath);
        Assert.Equal("agree", (string?)json["verdict"]);
        Assert.Equal(126, (int)json["consistent_transitions"]!);
        Assert.Equal(0, (int)json["lost_events"]!);
    }

    [Theory]
    [InlineData("validate", "ports", "--kernel", "5.10.0")]
    [InlineData("validate", "ports", "--trace", "/nonexistent/trace.jsonl")]
    [InlineData("validate", "nonsense")]
    [InlineData("validate", "ports", "--dport", "5201", "5201")]
    public void Bad_input_is_one_line_and_exit_2(params string[] args)
    {
        var (exit, _, err) = Portsel.Run(args);
        Assert.Equal(2, exit);
        Assert.Single(err.Trim().Split('\n'));
    }
}
