namespace PortSelection.Model.Listen;

/// <summary>
/// The SNMP counters the kernel keeps for listeners (<c>/proc/net/netstat</c> <c>TcpExt:</c>, listen-queues.md §7.1),
/// as the model accounts them. Values are totals since the model started; subtract snapshots for deltas.
/// </summary>
/// <param name="ListenOverflows"><c>LINUX_MIB_LISTENOVERFLOWS</c>: accept queue full at SYN time (≥ 3.x) or at the 3rd/cookie ACK.</param>
/// <param name="ListenDrops"><c>LINUX_MIB_LISTENDROPS</c>: every listener drop; always ≥ ListenOverflows.</param>
/// <param name="TcpReqQFullDrop"><c>TCPReqQFullDrop</c>: SYN queue full with cookies off (≥ 3.x).</param>
/// <param name="TcpReqQFullDoCookies"><c>TCPReqQFullDoCookies</c>: SYN queue full (or mode 2) with cookies on (≥ 3.x).</param>
/// <param name="SyncookiesSent"><c>SyncookiesSent</c>: cookie SYN-ACKs actually generated.</param>
/// <param name="SyncookiesRecv"><c>SyncookiesRecv</c>: valid cookie ACKs evaluated.</param>
/// <param name="SyncookiesFailed"><c>SyncookiesFailed</c>: cookie ACKs that did not validate (expired cookie).</param>
/// <param name="TcpSynRetrans"><c>TCPSynRetrans</c>: SYN and SYN-ACK retransmissions (≥ 4.x).</param>
/// <param name="TcpTimeouts"><c>TCPTimeouts</c>: retransmission-timer expiries (SYN and SYN-ACK).</param>
/// <param name="EmbryonicRsts"><c>EmbryonicRsts</c>: requests reset (tcp_abort_on_overflow).</param>
/// <param name="PassiveOpens"><c>Tcp: PassiveOpens</c>: children created.</param>
public readonly record struct ListenCounters(
    long ListenOverflows, long ListenDrops, long TcpReqQFullDrop, long TcpReqQFullDoCookies,
    long SyncookiesSent, long SyncookiesRecv, long SyncookiesFailed, long TcpSynRetrans, long TcpTimeouts,
    long EmbryonicRsts, long PassiveOpens)
{
    /// <summary>Counter-wise difference (a delta between two snapshots).</summary>
    /// <param name="a">Later snapshot.</param>
    /// <param name="b">Earlier snapshot.</param>
    public static ListenCounters operator -(ListenCounters a, ListenCounters b) => new(
        a.ListenOverflows - b.ListenOverflows, a.ListenDrops - b.ListenDrops, a.TcpReqQFullDrop - b.TcpReqQFullDrop,
        a.TcpReqQFullDoCookies - b.TcpReqQFullDoCookies, a.SyncookiesSent - b.SyncookiesSent,
        a.SyncookiesRecv - b.SyncookiesRecv, a.SyncookiesFailed - b.SyncookiesFailed, a.TcpSynRetrans - b.TcpSynRetrans,
        a.TcpTimeouts - b.TcpTimeouts, a.EmbryonicRsts - b.EmbryonicRsts, a.PassiveOpens - b.PassiveOpens);

    /// <summary>Counter-wise sum (e.g. listener plus client counters of one network namespace).</summary>
    /// <param name="a">First.</param>
    /// <param name="b">Second.</param>
    public static ListenCounters operator +(ListenCounters a, ListenCounters b) => new(
        a.ListenOverflows + b.ListenOverflows, a.ListenDrops + b.ListenDrops, a.TcpReqQFullDrop + b.TcpReqQFullDrop,
        a.TcpReqQFullDoCookies + b.TcpReqQFullDoCookies, a.SyncookiesSent + b.SyncookiesSent,
        a.SyncookiesRecv + b.SyncookiesRecv, a.SyncookiesFailed + b.SyncookiesFailed, a.TcpSynRetrans + b.TcpSynRetrans,
        a.TcpTimeouts + b.TcpTimeouts, a.EmbryonicRsts + b.EmbryonicRsts, a.PassiveOpens + b.PassiveOpens);
}
