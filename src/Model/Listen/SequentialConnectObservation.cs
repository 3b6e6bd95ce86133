namespace PortSelection.Model.Listen;

/// <summary>What <c>ss</c>, the clients and <c>nstat</c> would show at one instant of a <see cref="SequentialConnectRun"/> (listen-queues.md §9.1 columns).</summary>
/// <param name="TimeMs">Observation instant.</param>
/// <param name="ClientsEstablished">Clients in ESTABLISHED (their connect() succeeded, including phantom handshakes).</param>
/// <param name="ClientsSynSent">Clients still in SYN_SENT (their SYNs are being dropped).</param>
/// <param name="RecvQ"><c>ss -lnt</c> Recv-Q = A.</param>
/// <param name="SendQ"><c>ss -lnt</c> Send-Q = B.</param>
/// <param name="SynRecv">Requests in SYN_RECV (Q).</param>
/// <param name="Counters">Namespace-wide counter deltas since the listener was created (listener plus client SYN retransmissions).</param>
public readonly record struct SequentialConnectObservation(
    long TimeMs, int ClientsEstablished, int ClientsSynSent, int RecvQ, int SendQ, int SynRecv, ListenCounters Counters);
