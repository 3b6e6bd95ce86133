using PortSelection.Model.Kernel;

namespace PortSelection.Model.Listen;

/// <summary>
/// Client side: instants of the retransmitted SYNs of a connect() whose SYNs are all dropped, and when connect()
/// fails with ETIMEDOUT (listen-queues.md §6.2, §6.3).
/// </summary>
/// <param name="RetransmitMs">Instants (ms after the first SYN) of retransmissions k = 1, 2, …: e.g. 1000, 3000, 7000 … (≤ 6.4) or 1000, 2000, 3000, 4000, 5000, 7000 … (6.5+).</param>
/// <param name="GiveUpMs">Instant of the ETIMEDOUT abort: 127 s (3.7 – 6.4), 131 s (6.5+), 63 s (3.1 – 3.6), 21 s (2.6.32), or TCP_USER_TIMEOUT.</param>
public sealed record ClientSynSchedule(IReadOnlyList<long> RetransmitMs, long GiveUpMs)
{
    /// <summary>Instant of SYN number <paramref name="k"/> (0 = the original at 0 ms), or null when it is never sent.</summary>
    /// <param name="k">Attempt index.</param>
    public long? AttemptMs(int k) => k == 0 ? 0 : k <= RetransmitMs.Count ? RetransmitMs[k - 1] : null;

    /// <summary>Number of SYNs sent in total (1 + retransmissions).</summary>
    public int Attempts => RetransmitMs.Count + 1;

    /// <summary>
    /// <c>tcp_model_timeout</c> / <c>retransmits_timed_out</c> budget:
    /// <c>(2^(N+1) − 1)·base</c> if <c>N ≤ T</c>, else <c>(2^(T+1) − 1)·base + (N − T)·rto_max</c>, <c>T = ilog2(rto_max / base)</c>.
    /// </summary>
    /// <param name="boundary">N.</param>
    /// <param name="baseMs">Base RTO in ms.</param>
    /// <param name="rtoMaxMs">rto_max in ms.</param>
    /// <remarks>6fa12c85031 (2.6.32) introduced the time budget; 6.18 <c>tcp_timer.c</c> l.186 <c>tcp_model_timeout</c>.</remarks>
    public static long Budget(int boundary, long baseMs, long rtoMaxMs)
    {
        long ratio = Math.Max(1, rtoMaxMs / Math.Max(1, baseMs));
        int thresh = 63 - (int)ulong.LeadingZeroCount((ulong)ratio);
        return boundary <= thresh
            ? ((2L << boundary) - 1) * baseMs
            : ((2L << thresh) - 1) * baseMs + (boundary - thresh) * rtoMaxMs;
    }

    /// <summary>The defaults of the era: N = tcp_syn_retries default, L = tcp_syn_linear_timeouts default, no user timeout.</summary>
    /// <param name="profile">Listen-queue profile.</param>
    public static ClientSynSchedule Default(ListenQueueProfile profile) =>
        Compute(profile, new ClientSynOptions(profile.SynRetriesDefault, profile.LinearTimeoutsDefault));

    /// <summary>Runs the client SYN retransmission timer (<c>tcp_retransmit_timer</c> + <c>tcp_write_timeout</c>) until it gives up.</summary>
    /// <param name="profile">Listen-queue profile (schedule and give-up rule of the era).</param>
    /// <param name="options">N, L, TCP_USER_TIMEOUT, initial RTO, rto_max.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <remarks>
    /// §6.3 pseudocode. Give-up rules per <see cref="SynTimeoutRule"/>: ≤ 2.6.31 count; 2.6.32 (6fa12c85031) budget on
    /// TCP_RTO_MIN; 3.x – 4.18 budget on TCP_TIMEOUT_INIT; ~4.19 count or budget/user timeout with the timer clamped to the
    /// remaining user time; 6.5+ (ccce324dabfe) count N + L, first L + 1 intervals linear.
    /// </remarks>
    public static ClientSynSchedule Compute(ListenQueueProfile profile, ClientSynOptions options)
    {
        var error = options.Validate();
        if (error is not null) throw new ArgumentException(error, nameof(options));
        long r = options.InitialRtoMs ?? profile.InitialRtoMs;
        long rtoMax = options.RtoMaxMs;
        int n = options.SynRetries;
        int l = profile.LinearTimeoutsSysctl ? options.LinearTimeouts : 0;
        bool userTimeout = options.UserTimeoutMs > 0 && profile.UserTimeoutInSynSent;
        var rule = profile.TimeoutRule;
        long budget = rule switch
        {
            SynTimeoutRule.BudgetRtoMinBase => Budget(n, profile.RtoMinMs, rtoMax),
            _ => Budget(n, r, rtoMax),
        };
        long limit = userTimeout ? options.UserTimeoutMs : budget;

        var instants = new List<long>();
        long rto = r, t = 0;
        int k = 0;
        long expiry = ArmTimer(0, rto);
        while (true)
        {
            t = expiry;
            bool giveUp = rule switch
            {
                SynTimeoutRule.CountOnly => k >= n,
                SynTimeoutRule.BudgetRtoMinBase or SynTimeoutRule.BudgetInitialRto => k > 0 && t >= budget,
                SynTimeoutRule.CountOrBudget => k >= n || (k > 0 && t >= limit),
                _ => k >= n + l || (k > 0 && t >= limit),
            };
            if (giveUp || k >= 10_000) return new ClientSynSchedule(instants, t);
            k++;
            instants.Add(t);
            if (k > l) rto = Math.Min(2 * rto, rtoMax);
            expiry = ArmTimer(t, rto);
        }

        long ArmTimer(long now, long interval)
        {
            if (!userTimeout) return now + interval;
            long remaining = options.UserTimeoutMs - now;
            return now + Math.Max(1, Math.Min(interval, remaining));
        }
    }
}
