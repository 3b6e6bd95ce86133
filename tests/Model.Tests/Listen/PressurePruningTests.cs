using PortSelection.Model.Listen;
using static PortSelection.Model.Tests.Listen.Fixtures;

namespace PortSelection.Model.Tests.Listen;

/// <summary>SYN-ACK retry pruning under pressure (listen-queues.md §4.4, §8 derived result 6): a flood request lives ≈ 7 s.</summary>
public class PressurePruningTests
{
    [Fact]
    public void Flood_requests_expire_at_7_s_when_the_queue_is_more_than_half_full()
    {
        // B = 16, 17 requests that never ACK: 2·Q > max(8, B) ⇒ pressure; once none is young the limit drops to 2 ⇒ 1, 3, 7 s.
        // The test is made per expiry: requests expire at 7 s while Q ≥ 9 (2·Q > 16), i.e. 9 of them; the last 8 see no
        // pressure and keep R = 5 (dropped at 63 s).
        var l = new ListenerState(P("6.18.44"), Live618, 16);
        for (int i = 0; i < 17; i++) Assert.Equal(SynOutcome.RequestCreated, l.OnSyn(0, i));
        var expired = l.AdvanceTo(70_000).Where(e => e.Kind == ListenerTraceKind.RequestExpired).ToList();
        Assert.Equal(9, expired.Count(e => e.TimeMs == 7000));
        Assert.Equal(8, expired.Count(e => e.TimeMs == 63_000));
        Assert.Equal(0, l.RequestCount);
    }

    [Fact]
    public void Without_pressure_requests_live_63_s()
    {
        var l = new ListenerState(P("6.18.44"), Live618, 128);
        for (int i = 0; i < 17; i++) l.OnSyn(0, i);   // 2·17 = 34 ≤ max(8, 128)
        var fired = l.AdvanceTo(70_000);
        Assert.All(fired.Where(e => e.Kind == ListenerTraceKind.RequestExpired), e => Assert.Equal(63_000, e.TimeMs));
        Assert.Equal(17 * 5, l.Counters.TcpSynRetrans);
    }

    [Fact]
    public void Phantom_requests_get_late_children_at_the_synack_retransmission_when_the_app_accepts()
    {
        // §5: abort_on_overflow = 0, the request is kept (acked); after accept() the next SYN-ACK's ACK completes it.
        var l = new ListenerState(P("6.18.44"), Live618, 0);
        l.OnSyn(0, 1); l.OnAck(0, 1);                      // A = 1 = B + 1
        l.OnSyn(0, 2);                                     // Q > B? 0 > 0 no ⇒ request (accept test: A > B ⇒ dropped on ≥ 4.10)
        Assert.Equal(0, l.RequestCount);
        var old = new ListenerState(P("4.9.0"), Live618, 1);
        for (int i = 0; i < 2; i++) { old.OnSyn(0, i); old.OnAck(0, i); }
        old.OnSyn(0, 9);
        Assert.Equal(AckOutcome.OverflowRequestKept, old.OnAck(0, 9));   // phantom
        Assert.True(old.Accept(500));
        var fired = old.AdvanceTo(1000);
        var rtx = Assert.Single(fired, e => e.Kind == ListenerTraceKind.SynAckRetransmitted);
        Assert.Equal(AckOutcome.ChildQueued, old.OnAck(rtx.TimeMs, 9));   // completes at the 1 s SYN-ACK
        Assert.Equal(2, old.AcceptQueueLength);
    }
}
