namespace PortSelection.Model.Listen;

/// <summary>An input event for <see cref="ListenerState.Apply"/>: packets from clients, accept() calls and the passage of time.</summary>
/// <param name="TimeMs">Instant in ms (non-decreasing across a replay).</param>
public abstract record ListenerEvent(long TimeMs)
{
    /// <summary>A SYN (first or retransmitted) from <paramref name="ClientId"/>.</summary>
    /// <param name="TimeMs">Instant in ms.</param>
    /// <param name="ClientId">Client.</param>
    /// <param name="PeerProven">The TCP metrics cache knows the peer (<c>tcp_peer_is_proven</c>): exempt from the 3/4 rule.</param>
    /// <param name="TimeWaitReuse">The SYN matched a TIME-WAIT socket (<c>tcp_tw_isn</c>): bypasses the SYN-queue test.</param>
    public sealed record Syn(long TimeMs, long ClientId, bool PeerProven = false, bool TimeWaitReuse = false) : ListenerEvent(TimeMs);

    /// <summary>The 3rd ACK (or a data segment acting as it) from <paramref name="ClientId"/>.</summary>
    /// <param name="TimeMs">Instant in ms.</param>
    /// <param name="ClientId">Client.</param>
    public sealed record Ack(long TimeMs, long ClientId) : ListenerEvent(TimeMs);

    /// <summary>The application calls accept() once.</summary>
    /// <param name="TimeMs">Instant in ms.</param>
    public sealed record Accept(long TimeMs) : ListenerEvent(TimeMs);

    /// <summary>Time passes: every request timer due at or before <paramref name="TimeMs"/> fires.</summary>
    /// <param name="TimeMs">Instant in ms.</param>
    public sealed record Advance(long TimeMs) : ListenerEvent(TimeMs);

    /// <summary>listen() is called again on the listening socket: only B changes (§2.2).</summary>
    /// <param name="TimeMs">Instant in ms.</param>
    /// <param name="Backlog">The new listen() argument (clamped against somaxconn).</param>
    public sealed record Relisten(long TimeMs, int Backlog) : ListenerEvent(TimeMs);
}
