namespace PortSelection.Model.Listen;

/// <summary>Client-visible connect() latency from the SYN schedule (listen-queues.md §6.5, §8 derived result 5).</summary>
public static class ConnectLatency
{
    /// <summary>
    /// connect() latency in ms when the first <paramref name="droppedSyns"/> SYNs are dropped and the next one is
    /// answered: <c>t_k + RTT</c>; null when SYN k is never sent (connect() fails with ETIMEDOUT at <see cref="ClientSynSchedule.GiveUpMs"/>).
    /// </summary>
    /// <param name="schedule">The era's client SYN schedule.</param>
    /// <param name="droppedSyns">k ≥ 0.</param>
    /// <param name="rttMs">Round-trip time in ms (the client completes on the SYN-ACK).</param>
    /// <remarks>§6.5: <c>connect()</c> returns on receipt of the SYN-ACK (<c>tcp_rcv_synsent_state_process</c>).</remarks>
    public static double? AfterDroppedSyns(ClientSynSchedule schedule, int droppedSyns, double rttMs) =>
        droppedSyns < 0 ? null : schedule.AttemptMs(droppedSyns) is long t ? t + rttMs : null;

    /// <summary>
    /// With every SYN dropped until the application frees the accept queue at <paramref name="freedAtMs"/>:
    /// <c>min{ t_k : t_k ≥ τ } + RTT</c> (the staircase 1, 3, 7 … s on ≤ 6.4, 1, 2, 3, 4, 5, 7, 11 … s on 6.5+);
    /// null when no SYN is sent at or after τ.
    /// </summary>
    /// <param name="schedule">The era's client SYN schedule.</param>
    /// <param name="freedAtMs">τ in ms after the first SYN.</param>
    /// <param name="rttMs">Round-trip time in ms.</param>
    /// <remarks>§6.5 (≥ 4.10 semantics: every SYN at a full accept queue is dropped, 5ea8ea2cb7f1).</remarks>
    public static double? AfterQueueFreedAt(ClientSynSchedule schedule, double freedAtMs, double rttMs)
    {
        for (int k = 0; k < schedule.Attempts; k++)
            if (schedule.AttemptMs(k) is long t && t >= freedAtMs) return t + rttMs;
        return null;
    }
}
