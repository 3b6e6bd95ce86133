namespace PortSelection.Model.Listen;

/// <summary>One entry of the listener trace: what happened, when, for which client.</summary>
/// <param name="TimeMs">Instant in ms.</param>
/// <param name="ClientId">The client (4-tuple stand-in); -1 for accept().</param>
/// <param name="Kind">What happened.</param>
/// <param name="Syn">The SYN outcome when <paramref name="Kind"/> is <see cref="ListenerTraceKind.Syn"/>.</param>
/// <param name="Ack">The ACK outcome when <paramref name="Kind"/> is <see cref="ListenerTraceKind.Ack"/>.</param>
public readonly record struct ListenerTraceEntry(long TimeMs, long ClientId, ListenerTraceKind Kind, SynOutcome? Syn = null, AckOutcome? Ack = null);
