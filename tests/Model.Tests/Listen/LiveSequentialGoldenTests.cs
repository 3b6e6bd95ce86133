using PortSelection.Model.Listen;
using static PortSelection.Model.Tests.Listen.Fixtures;

namespace PortSelection.Model.Tests.Listen;

/// <summary>
/// Golden tests: every row of listen-queues.md §9.1 (6.18.44, sequential connects 50 ms apart, listener never accepts),
/// as model predictions: ESTABLISHED count, Recv-Q / Send-Q, SYN_RECV, counter deltas immediately and 3.5 s later.
/// </summary>
public class LiveSequentialGoldenTests
{
    // listen arg, somaxconn, syncookies, max_syn_backlog, attempts, ESTABLISHED, Recv-Q, Send-Q
    [Theory]
    [InlineData(1, 4096, 1, 2048, 5, 2, 2, 1)]
    [InlineData(4, 4096, 1, 2048, 8, 5, 5, 4)]
    [InlineData(8, 4096, 1, 2048, 12, 9, 9, 8)]
    [InlineData(100, 4096, 1, 2048, 104, 101, 101, 100)]
    [InlineData(0, 4096, 1, 2048, 4, 1, 1, 0)]
    [InlineData(8, 4, 1, 2048, 8, 5, 5, 4)]
    [InlineData(-1, 16, 1, 2048, 20, 17, 17, 16)]
    [InlineData(8, 4096, 0, 4, 12, 9, 9, 8)]
    [InlineData(8, 4096, 2, 2048, 12, 9, 9, 8)]
    public void Row(int arg, int somaxconn, int syncookies, int maxSynBacklog, int attempts, int established, int recvQ, int sendQ)
    {
        var sysctls = Live618 with { Somaxconn = somaxconn, Syncookies = syncookies, MaxSynBacklog = maxSynBacklog };
        var (now, later) = SequentialConnectRun.Run(P("6.18.44"), sysctls, arg, attempts, LiveClient);

        Assert.Equal(established, now.ClientsEstablished);
        Assert.Equal(recvQ, now.RecvQ);
        Assert.Equal(sendQ, now.SendQ);
        Assert.Equal(0, now.SynRecv);
        Assert.Equal(3, now.ClientsSynSent);   // every surplus client stays in SYN_SENT
        // Δ immediately: LO 3, LD 3
        Assert.Equal(3, now.Counters.ListenOverflows);
        Assert.Equal(3, now.Counters.ListenDrops);
        // Δ after 3.5 s: LO 12, LD 12 (each surplus SYN and its retransmissions at 1, 2, 3 s)
        Assert.Equal(12, later.Counters.ListenOverflows);
        Assert.Equal(12, later.Counters.ListenDrops);
        Assert.Equal(recvQ, later.RecvQ);
        Assert.Equal(0, later.SynRecv);
        Assert.Equal(3, later.ClientsSynSent);
        // tcp_max_syn_backlog and cookie mode do not change the sequential result; 3/4 rule never bites (Q stays 0)
        Assert.Equal(0, later.Counters.TcpReqQFullDrop);
    }

    [Fact]
    public void Row_backlog_1_counts_nine_syn_retransmissions_after_3_5_s()
    {
        var (_, later) = SequentialConnectRun.Run(P("6.18.44"), Live618, 1, 5, LiveClient);
        Assert.Equal(9, later.Counters.TcpSynRetrans);   // 3 surplus clients × retransmissions at 1, 2, 3 s
    }

    [Fact]
    public void Row_syncookies_2_cookie_counters()
    {
        var sysctls = Live618 with { Syncookies = 2 };
        var (now, later) = SequentialConnectRun.Run(P("6.18.44"), sysctls, 8, 12, LiveClient);
        Assert.Equal(12, now.Counters.TcpReqQFullDoCookies);
        Assert.Equal(9, now.Counters.SyncookiesSent);
        Assert.Equal(9, now.Counters.SyncookiesRecv);
        Assert.Equal(3, now.Counters.ListenOverflows);
        Assert.Equal(3, now.Counters.ListenDrops);   // cookie SYN-ACKs are not ListenDrops on ≥ 4.9
        Assert.Equal(12, later.Counters.ListenOverflows);
        Assert.Equal(21, later.Counters.TcpReqQFullDoCookies);
    }

    [Fact]
    public void Relation_on_4_10_plus_overflows_equal_surplus_times_syns()
    {
        // ≥ 4.10: ΔLO = ΔLD = (clients − (B+1)) × (1 + SYN retransmissions so far), §7.1
        var (_, later) = SequentialConnectRun.Run(P("6.18.44"), Live618, 2, 7, LiveClient, observeAfterMs: 5500);
        Assert.Equal(4 * (1 + 5), later.Counters.ListenOverflows);   // retransmissions at 1, 2, 3, 4, 5 s
        Assert.Equal(later.Counters.ListenOverflows, later.Counters.ListenDrops);
    }
}
