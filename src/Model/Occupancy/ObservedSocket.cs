using PortSelection.Model.Ports;

namespace PortSelection.Model.Occupancy;

/// <summary>
/// One TCP socket as a row of <c>/proc/net/tcp</c> or <c>/proc/net/tcp6</c> shows it (parsed by the Validator).
/// </summary>
/// <param name="Ipv6">True for a genuine IPv6 socket; false for IPv4 and for IPv4-mapped IPv6 addresses
/// (<c>::ffff:a.b.c.d</c>), which take the IPv4 path in connect() (port-selection.md §2.4).</param>
/// <param name="LocalAddress">Local address as text (dotted quad, or IPv6 text).</param>
/// <param name="LocalPort">Local port.</param>
/// <param name="RemoteAddress">Remote address as text.</param>
/// <param name="RemotePort">Remote port (0 for a listener).</param>
/// <param name="State">The <c>st</c> column.</param>
/// <param name="TxQueue">The <c>tx_queue</c> column (bytes not yet acknowledged).</param>
/// <param name="RxQueue">The <c>rx_queue</c> column: bytes not read, or for a LISTEN row the accept-queue length
/// <c>sk_ack_backlog</c> (listen-queues.md §7.2).</param>
/// <param name="TimerRemainingMs">Time left on the socket's timer (<c>tm-&gt;when</c>, USER_HZ ticks converted to
/// ms); for TIME_WAIT the time until the 60 s TIME_WAIT ends. Null when no timer runs.</param>
public readonly record struct ObservedSocket(
    bool Ipv6, string LocalAddress, int LocalPort, string RemoteAddress, int RemotePort,
    TcpSocketState State, long TxQueue, long RxQueue, long? TimerRemainingMs)
{
    /// <summary>The local address as IPv4 (null for a genuine IPv6 socket).</summary>
    public Ipv4Address? LocalIpv4 => !Ipv6 && Ipv4Address.TryParse(LocalAddress, out var a, out _) ? a : null;

    /// <summary>The remote address as IPv4 (null for a genuine IPv6 socket).</summary>
    public Ipv4Address? RemoteIpv4 => !Ipv6 && Ipv4Address.TryParse(RemoteAddress, out var a, out _) ? a : null;
}
