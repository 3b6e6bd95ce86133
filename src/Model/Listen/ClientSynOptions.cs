namespace PortSelection.Model.Listen;

/// <summary>Client-side knobs of the SYN retransmission timer (listen-queues.md §6).</summary>
/// <param name="SynRetries">N: the socket's <c>TCP_SYNCNT</c> if set, else <c>tcp_syn_retries</c> (1..127).</param>
/// <param name="LinearTimeouts">L: <c>tcp_syn_linear_timeouts</c> (6.5+, 0..127); ignored before 6.5.</param>
/// <param name="UserTimeoutMs"><c>TCP_USER_TIMEOUT</c> in ms, 0 = unset (honoured in SYN_SENT from ~4.19).</param>
/// <param name="InitialRtoMs">Initial SYN RTO in ms, null = the era's <c>TCP_TIMEOUT_INIT</c> (a BPF <c>TIMEOUT_INIT</c> program can change it).</param>
/// <param name="RtoMaxMs">Backoff cap in ms (120000; <c>tcp_rto_max_ms</c> on 6.15+).</param>
public readonly record struct ClientSynOptions(int SynRetries, int LinearTimeouts, long UserTimeoutMs = 0, long? InitialRtoMs = null, long RtoMaxMs = 120_000)
{
    /// <summary>Checks ranges; returns a one-line reason naming the accepted values, or null.</summary>
    public string? Validate()
    {
        if (SynRetries is < 1 or > 127) return $"syn retries {SynRetries} is out of range; accepted: 1..127 (tcp_syn_retries / TCP_SYNCNT)";
        if (LinearTimeouts is < 0 or > 127) return $"tcp_syn_linear_timeouts {LinearTimeouts} is out of range; accepted: 0..127";
        if (UserTimeoutMs < 0) return $"TCP_USER_TIMEOUT {UserTimeoutMs} ms is negative; accepted: 0 (unset) or a positive number of ms";
        if (InitialRtoMs is < 1) return $"initial RTO {InitialRtoMs} ms is out of range; accepted: ≥ 1 ms";
        if (RtoMaxMs is < 1000 or > 120_000) return $"rto_max {RtoMaxMs} ms is out of range; accepted: 1000..120000";
        return null;
    }
}
