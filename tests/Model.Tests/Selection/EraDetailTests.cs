using PortSelection.Model.Ports;
using PortSelection.Model.Selection;
using static PortSelection.Model.Tests.Selection.ScanFixture;

namespace PortSelection.Model.Tests.Selection;

/// <summary>Details of single eras that the worked examples do not reach.</summary>
public class EraDetailTests
{
    [Theory]
    [InlineData(0, 4u)]   // i == 0 and the 1/16 draw is 0: i becomes 2, T += 4
    [InlineData(9, 2u)]
    public void Era_D_extra_entropy_when_the_first_candidate_wins(int rand16, uint increment)
    {
        var (host, ns) = Host("5.13", new PortRange(40000, 40099), 0, 0, new ScriptedDraws(rand16: [rand16]));
        var r = Connect(host, ns);
        Assert.Equal(0, r.I);
        Assert.Equal(rand16, r.Draw);
        Assert.Equal(increment, r.StateAfter - r.StateBefore);
    }

    [Fact]
    public void Time_wait_candidate_takes_the_lock_on_6_15_and_is_skipped_when_too_young()
    {
        foreach (var (kernel, locks) in new[] { ("6.15", 2), ("6.14", 2) })
        {
            var (host, ns) = Host(kernel, new PortRange(40000, 40001), 0, 0);
            host.PlaceConnection(ns, new FourTuple(Local, 40000, Local, Dport), timeWaitSinceMs: 0);
            var r = Connect(host, ns, nowMs: 100);       // TIME_WAIT 100 ms old: not reusable
            Assert.Equal(40001, r.Port);
            Assert.Equal(1, r.Counters.TimeWaitMatches);
            Assert.Equal(locks, r.Counters.Locks);      // the TIME_WAIT candidate and the chosen one
        }
    }

    [Fact]
    public void Busy_candidates_cost_no_lock_from_6_15()
    {
        foreach (var (kernel, locks) in new[] { ("6.15", 1), ("6.14", 5) })
        {
            var (host, ns) = Host(kernel, new PortRange(40000, 40009), 0, 0);
            MarkBusy(host, ns, 40000, 40002, 40004, 40006);
            var r = Connect(host, ns);
            Assert.Equal(40008, r.Port);
            Assert.Equal(locks, r.Counters.Locks);
            Assert.Equal(4, r.Counters.TupleChecks);
        }
    }

    [Fact]
    public void Era_A_B_take_no_cond_resched_and_era_C_one_per_failed_probe()
    {
        foreach (var (kernel, rescheds) in new[] { ("3.13", 0), ("4.4", 0), ("5.10.13", 3) })
        {
            var (host, ns) = Host(kernel, new PortRange(40000, 40009), 0, 0);
            MarkBusy(host, ns, 40000, 40001, 40002, 40003, 40004);
            var r = Connect(host, ns);
            Assert.NotNull(r.Port);
            Assert.Equal(rescheds, r.Counters.Rescheds);
        }
    }
}
