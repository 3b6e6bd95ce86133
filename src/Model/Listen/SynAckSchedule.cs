using PortSelection.Model.Kernel;

namespace PortSelection.Model.Listen;

/// <summary>
/// Server side: SYN-ACK retransmission instants of one request and the instant it is dropped
/// (listen-queues.md §4.4, §8 derived result 6).
/// </summary>
/// <param name="RetransmitMs">Instants (ms after the SYN) of the retransmitted SYN-ACKs: <c>t0·(2^j − 1)</c>, j = 1..R, with the backoff capped at rto_max.</param>
/// <param name="ExpireMs">Instant at which the request is dropped (first expiry with <c>num_timeout ≥ R</c>): 63 s with t0 = 1 s, R = 5; 189 s on 2.6.32.</param>
public sealed record SynAckSchedule(IReadOnlyList<long> RetransmitMs, long ExpireMs)
{
    /// <summary>The timer interval after <paramref name="numTimeout"/> expiries: <c>min(t0 &lt;&lt; numTimeout, rtoMax)</c>.</summary>
    /// <param name="initialRtoMs">t0 (<c>TCP_TIMEOUT_INIT</c>).</param>
    /// <param name="numTimeout">Expiries so far.</param>
    /// <param name="rtoMaxMs">Cap (<c>TCP_RTO_MAX</c> or the listener's <c>tcp_rto_max_ms</c> on 6.15+).</param>
    /// <remarks><c>reqsk_timeout</c> (6.18 <c>include/net/tcp.h</c> l.847); <c>TCP_TIMEOUT_INIT &lt;&lt; num_timeout</c> before 6.1.</remarks>
    public static long Interval(long initialRtoMs, int numTimeout, long rtoMaxMs)
    {
        if (numTimeout >= 40) return rtoMaxMs;
        long v = initialRtoMs << numTimeout;
        return Math.Min(v, rtoMaxMs);
    }

    /// <summary>Computes the schedule for <paramref name="retries"/> = R.</summary>
    /// <param name="profile">Listen-queue profile (t0 3 s on 2.6.32, 1 s from 3.1).</param>
    /// <param name="retries">R: listener TCP_SYNCNT or <c>tcp_synack_retries</c> (0..127); pass a pruned threshold (≥ 2) to model pressure pruning.</param>
    /// <param name="rtoMaxMs">Backoff cap in ms (120000 by default).</param>
    /// <remarks>
    /// <c>reqsk_timer_handler</c> (6.18 l.1030, ≥ 4.4 per-request timer); ≤ 4.3 <c>inet_csk_reqsk_queue_prune</c> on a
    /// 200 ms tick (instants late by up to a few hundred ms, not modelled). SYN-ACKs never use the linear SYN
    /// timeouts of 6.5+ (ccce324dabfe; verified 1, 3, 7 s on 6.18).
    /// </remarks>
    public static SynAckSchedule Compute(ListenQueueProfile profile, int retries, long rtoMaxMs = 120_000)
    {
        retries = Math.Clamp(retries, 0, 127);
        var instants = new List<long>(retries);
        long t = 0;
        for (int n = 0; ; n++)
        {
            t += Interval(profile.InitialRtoMs, n, rtoMaxMs);
            if (n >= retries) return new SynAckSchedule(instants, t);
            instants.Add(t);
        }
    }
}
