using PortSelection.Model.Listen;
using static PortSelection.Model.Tests.Listen.Fixtures;

namespace PortSelection.Model.Tests.Listen;

/// <summary>
/// Golden tests: every row of listen-queues.md §9.2 (6.18.44, bursts with the 3rd ACKs dropped for 0.3 s, then the
/// clients answer the SYN-ACK retransmitted at ~1 s). SYNs of SYN_SENT clients are retransmitted at 1.015 s, i.e.
/// before the SYN-ACK timers (1.021 s), as captured live.
/// </summary>
public class LiveBurstGoldenTests
{
    private static ListenerState Prefilled(ListenSysctls sysctls, int backlog, int prefill)
    {
        var l = new ListenerState(P("6.18.44"), sysctls, backlog);
        for (int i = 0; i < prefill; i++) { l.OnSyn(0, 1000 + i); l.OnAck(0, 1000 + i); }
        return l;
    }

    /// <summary>Releases the ACK block: every client with a request answers the retransmitted SYN-ACK.</summary>
    private static void AnswerSynAcks(ListenerState l, long until)
    {
        while (l.NextTimerMs is long t && t <= until)
            foreach (var e in l.AdvanceTo(t))
                if (e.Kind == ListenerTraceKind.SynAckRetransmitted) l.OnAck(t, e.ClientId);
        l.AdvanceTo(until);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void B2_prefilled_1_six_syns_cookies_off(bool abortOnOverflow)
    {
        var l = Prefilled(Live618 with { Syncookies = 0, AbortOnOverflow = abortOnOverflow }, 2, 1);
        var outcomes = Enumerable.Range(0, 6).Select(i => l.OnSyn(10, i)).ToList();
        // while ACKs are blocked
        Assert.Equal(3, l.RequestCount);   // SYN_RECV 3 (= B+1)
        Assert.Equal(3, outcomes.Count(o => o == SynOutcome.RequestCreated));   // 3 clients ESTABLISHED
        Assert.Equal(3, outcomes.Count(o => o == SynOutcome.DroppedSynQueueFull));   // 3 SYN_SENT
        Assert.Equal(3, l.Counters.TcpReqQFullDrop);
        Assert.Equal(3, l.Counters.ListenDrops);

        // the 3 SYN_SENT clients retransmit at ~1.015 s, before the SYN-ACK timers
        for (int i = 3; i < 6; i++) Assert.Equal(SynOutcome.DroppedSynQueueFull, l.OnSyn(1010, i));
        AnswerSynAcks(l, 1600);
        Assert.Equal(3, l.AcceptQueueLength);   // Recv-Q 3 (= B+1)
        Assert.Equal(1, l.Counters.ListenOverflows);
        if (!abortOnOverflow)
        {
            Assert.Equal(1, l.RequestCount);   // one request left in SYN_RECV, acked and waiting
            Assert.True(Assert.Single(l.Requests).Acked);
            Assert.Equal(6, l.Counters.TcpReqQFullDrop);
            Assert.Equal(7, l.Counters.ListenDrops);
        }
        else
        {
            Assert.Equal(0, l.RequestCount);
            Assert.Equal(1, l.Counters.EmbryonicRsts);   // one client gets ECONNRESET
        }
    }

    [Fact]
    public void B2_six_syns_cookies_on_then_every_client_sends_data()
    {
        var l = new ListenerState(P("6.18.44"), Live618 with { Syncookies = 1 }, 2);
        var outcomes = Enumerable.Range(0, 6).Select(i => l.OnSyn(0, i)).ToList();
        Assert.Equal(3, l.RequestCount);
        Assert.Equal(3, outcomes.Count(o => o == SynOutcome.CookieSent));   // all 6 clients ESTABLISHED
        Assert.Equal(3, l.Counters.TcpReqQFullDoCookies);
        Assert.Equal(3, l.Counters.SyncookiesSent);

        AnswerSynAcks(l, 1600);
        Assert.Equal(3, l.AcceptQueueLength);
        Assert.Equal(0, l.RequestCount);
        // the 3 cookie clients' data (sent, then retransmitted once within 0.3 s) finds the accept queue full
        for (int round = 0; round < 2; round++)
            for (int i = 3; i < 6; i++) Assert.Equal(AckOutcome.CookieOverflowDropped, l.OnAck(1700 + 200 * round, i));
        Assert.Equal(6, l.Counters.SyncookiesRecv);
        Assert.Equal(6, l.Counters.ListenOverflows);
        Assert.Equal(6, l.Counters.ListenDrops);
        Assert.Equal(3, l.AcceptQueueLength);
    }

    [Fact]
    public void B0_three_syns_cookies_off()
    {
        var l = new ListenerState(P("6.18.44"), Live618 with { Syncookies = 0 }, 0);
        for (int i = 0; i < 3; i++) l.OnSyn(0, i);
        Assert.Equal(1, l.RequestCount);   // Q > B semantics: B+1 = 1
        Assert.Equal(2, l.Counters.TcpReqQFullDrop);
        AnswerSynAcks(l, 1600);
        Assert.Equal(1, l.AcceptQueueLength);
    }

    [Fact]
    public void B8_twelve_syns_cookies_off_max_syn_backlog_8()
    {
        var l = new ListenerState(P("6.18.44"), Live618 with { Syncookies = 0, MaxSynBacklog = 8 }, 8);
        for (int i = 0; i < 12; i++) l.OnSyn(0, i);
        Assert.Equal(7, l.RequestCount);   // 8 − 2 + 1, the 3/4 rule
        Assert.Equal(5, l.Counters.ListenDrops);
        Assert.Equal(0, l.Counters.TcpReqQFullDrop);
        AnswerSynAcks(l, 1600);
        Assert.Equal(7, l.AcceptQueueLength);
    }

    [Fact]
    public void B100_forty_syns_cookies_on_max_syn_backlog_16()
    {
        var l = new ListenerState(P("6.18.44"), Live618 with { Syncookies = 1, MaxSynBacklog = 16 }, 100);
        for (int i = 0; i < 40; i++) l.OnSyn(0, i);
        Assert.Equal(40, l.RequestCount);   // M irrelevant with cookies on
        AnswerSynAcks(l, 1600);
        Assert.Equal(40, l.AcceptQueueLength);
    }
}
