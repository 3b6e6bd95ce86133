using PortSelection.Model.Kernel;
using PortSelection.Model.Listen;

namespace PortSelection.Model.Tests.Listen;

public class ListenerRegressionTests
{
    /// <summary>
    /// Found by the counters property: a SYN from a client whose request was kept "acked" after an accept-queue
    /// overflow must hit that request (tcp_check_req re-sends the SYN-ACK), not create a second one whose timer
    /// orphans the first.
    /// </summary>
    [Theory]
    [InlineData("3.10.108")]
    [InlineData("2.6.32")]
    public void Syn_for_an_acked_request_resends_the_synack_and_timers_stay_consistent(string kernel)
    {
        var l = new ListenerState(KernelProfile.FromRelease(kernel).Listen, new ListenSysctls(16, 128, 1, false, 5), 0);
        Assert.Equal(SynOutcome.RequestCreated, l.OnSyn(0, 1));
        Assert.Equal(AckOutcome.ChildQueued, l.OnAck(1, 1));      // A = 1 = B + 1: full
        Assert.Equal(SynOutcome.RequestCreated, l.OnSyn(2, 2));
        Assert.Equal(AckOutcome.OverflowRequestKept, l.OnAck(3, 2));
        Assert.Equal(SynOutcome.SynAckResent, l.OnSyn(4, 2));
        Assert.Equal(1, l.RequestCount);
        Assert.True(l.Accept(5));
        l.AdvanceTo(200_000);                                          // every timer fires, none orphaned
        Assert.Equal(0, l.RequestCount);
        Assert.Null(l.NextTimerMs);
    }
}
