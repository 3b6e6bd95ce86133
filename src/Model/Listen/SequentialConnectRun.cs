using PortSelection.Model.Kernel;

namespace PortSelection.Model.Listen;

/// <summary>
/// The §9.1 experiment as a deterministic replay: a listener that never accepts, clients connecting one at a time
/// (<c>spacingMs</c> apart, RTT 0 on loopback, each client sends its 3rd ACK at once), every client whose SYN is dropped
/// retransmitting on the era's SYN schedule, and established clients answering retransmitted SYN-ACKs with an ACK.
/// Counters are namespace-wide, as in the live run (client SYN retransmissions count in TCPSynRetrans / TCPTimeouts).
/// </summary>
/// <remarks>Rules: <see cref="ListenerState"/> and <see cref="ClientSynSchedule"/>; the experiment is listen-queues.md §9.1 (6.18.44).</remarks>
public static class SequentialConnectRun
{
    /// <summary>Runs the scenario and observes it right after the last attempt and at <paramref name="observeAfterMs"/> later.</summary>
    /// <param name="profile">Listen-queue profile.</param>
    /// <param name="sysctls">Sysctls of the namespace.</param>
    /// <param name="listenArg">listen() argument.</param>
    /// <param name="attempts">Number of clients (≥ 0).</param>
    /// <param name="clientOptions">Client SYN knobs (N, L …).</param>
    /// <param name="spacingMs">Interval between the clients' first SYNs (50 ms in §9.1).</param>
    /// <param name="observeAfterMs">Second observation, in ms after the last client's first SYN (3500 in §9.1).</param>
    /// <returns>The observation immediately after the last attempt and the later one.</returns>
    public static (SequentialConnectObservation Immediately, SequentialConnectObservation Later) Run(
        ListenQueueProfile profile, ListenSysctls sysctls, int listenArg, int attempts, ClientSynOptions clientOptions,
        long spacingMs = 50, long observeAfterMs = 3500)
    {
        var listener = new ListenerState(profile, sysctls, listenArg);
        var schedule = ClientSynSchedule.Compute(profile, clientOptions);
        attempts = Math.Max(0, attempts);
        var established = new bool[attempts];
        var nextAttempt = new int[attempts];       // index k of the next SYN to send
        var gaveUp = new bool[attempts];
        long clientRetrans = 0, clientTimeouts = 0;
        long lastStart = attempts == 0 ? 0 : (attempts - 1) * spacingMs;
        long tEnd = lastStart + observeAfterMs;
        SequentialConnectObservation? immediately = null;

        while (true)
        {
            // Next client SYN (first or retransmitted) or give-up.
            long tc = long.MaxValue; int who = -1;
            for (int i = 0; i < attempts; i++)
            {
                if (established[i] || gaveUp[i]) continue;
                long start = i * spacingMs;
                long when = nextAttempt[i] < schedule.Attempts ? start + schedule.AttemptMs(nextAttempt[i])!.Value : start + schedule.GiveUpMs;
                if (when < tc) { tc = when; who = i; }
            }
            long tl = listener.NextTimerMs ?? long.MaxValue;
            long tNext = Math.Min(tc, tl);
            if (immediately is null && tNext > lastStart)
                immediately = Observe(lastStart);
            if (tNext > tEnd) break;

            if (tl < tc)
            {
                foreach (var e in listener.AdvanceTo(tl))
                    if (e.Kind == ListenerTraceKind.SynAckRetransmitted && e.ClientId < attempts && established[e.ClientId])
                        listener.OnAck(tl, e.ClientId);
                continue;
            }

            if (nextAttempt[who] >= schedule.Attempts) { gaveUp[who] = true; clientTimeouts++; continue; }
            if (nextAttempt[who] > 0)
            {
                clientTimeouts++;
                if (profile.SynRetransCounter) clientRetrans++;
            }
            nextAttempt[who]++;
            var outcome = listener.OnSyn(tc, who);
            if (outcome is SynOutcome.RequestCreated or SynOutcome.CookieSent or SynOutcome.SynAckResent)
            {
                established[who] = true;
                listener.OnAck(tc, who);
            }
        }
        listener.AdvanceTo(Math.Max(listener.NowMs, tEnd));
        return (immediately ?? Observe(lastStart), Observe(tEnd));

        SequentialConnectObservation Observe(long t)
        {
            int est = established.Count(e => e);
            int synSent = 0;
            for (int i = 0; i < attempts; i++) if (!established[i] && !gaveUp[i] && i * spacingMs <= t) synSent++;
            var client = new ListenCounters(0, 0, 0, 0, 0, 0, 0, clientRetrans, clientTimeouts, 0, 0);
            return new SequentialConnectObservation(t, est, synSent, listener.AcceptQueueLength, listener.Backlog,
                listener.RequestCount, listener.Counters + client);
        }
    }
}
