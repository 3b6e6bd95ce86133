namespace PortSelection.Model.Occupancy;

/// <summary>
/// A listener's accept queue against its capacity <c>B + 1</c> (listen-queues.md §3.1, §7.2).
/// </summary>
/// <param name="Ipv6">True for a genuine IPv6 listener.</param>
/// <param name="Address">Listening address as text.</param>
/// <param name="Port">Listening port.</param>
/// <param name="AcceptQueue">Current accept-queue length A (Recv-Q / <c>rx_queue</c>).</param>
/// <param name="Backlog">Effective backlog B (Send-Q / <c>idiag_wqueue</c>), null when unknown.</param>
public sealed record ListenerFill(bool Ipv6, string Address, int Port, long AcceptQueue, long? Backlog)
{
    /// <summary>Accept-queue capacity <c>B + 1</c> (the queue is full when A &gt; B), null when B is unknown.</summary>
    public long? Capacity => Backlog is long b ? b + 1 : null;

    /// <summary>A / (B + 1), null when B is unknown.</summary>
    public double? Fill => Capacity is long c && c > 0 ? (double)AcceptQueue / c : null;

    /// <summary>True when the queue is full: the next completed handshake is dropped (A &gt; B).</summary>
    public bool Full => Backlog is long b && AcceptQueue > b;
}
