using PortSelection.Model.Kernel;

namespace PortSelection.Model.Listen;

/// <summary>
/// The per-netns sysctls (and listener options) that the listen-queue rules read (listen-queues.md §0 notation:
/// somaxconn, M = <c>tcp_max_syn_backlog</c>, C = <c>tcp_syncookies</c>).
/// </summary>
/// <param name="Somaxconn"><c>net.core.somaxconn</c> (≥ 0).</param>
/// <param name="MaxSynBacklog"><c>net.ipv4.tcp_max_syn_backlog</c> M (≥ 1).</param>
/// <param name="Syncookies"><c>net.ipv4.tcp_syncookies</c> C: 0, 1 or 2.</param>
/// <param name="AbortOnOverflow"><c>net.ipv4.tcp_abort_on_overflow</c>: RST instead of keeping the request when the 3rd ACK finds the accept queue full.</param>
/// <param name="SynAckRetries">R: the listener's <c>TCP_SYNCNT</c> if set, else <c>net.ipv4.tcp_synack_retries</c> (0..127).</param>
/// <param name="RtoMaxMs">Cap of the SYN-ACK backoff in ms (120000; 6.15+ <c>tcp_rto_max_ms</c> of the listener).</param>
public readonly record struct ListenSysctls(
    int Somaxconn, int MaxSynBacklog, int Syncookies, bool AbortOnOverflow, int SynAckRetries, int RtoMaxMs = 120_000)
{
    /// <summary>The era defaults: somaxconn 128/4096, M for the assumed hash size, syncookies 0/1, abort 0, R = 5.</summary>
    /// <param name="profile">The listen-queue profile.</param>
    public static ListenSysctls Defaults(ListenQueueProfile profile) => new(
        profile.SomaxconnDefault, profile.MaxSynBacklogAssumedDefault, profile.SyncookiesDefault,
        false, profile.SynAckRetriesDefault, profile.RtoMaxDefaultMs);

    /// <summary>Returns a copy with another somaxconn.</summary>
    /// <param name="value">The new value.</param>
    public ListenSysctls WithSomaxconn(int value) => this with { Somaxconn = value };

    /// <summary>Returns a copy with another <c>tcp_syncookies</c>.</summary>
    /// <param name="value">The new value.</param>
    public ListenSysctls WithSyncookies(int value) => this with { Syncookies = value };

    /// <summary>Returns a copy with another <c>tcp_max_syn_backlog</c>.</summary>
    /// <param name="value">The new value.</param>
    public ListenSysctls WithMaxSynBacklog(int value) => this with { MaxSynBacklog = value };

    /// <summary>Returns a copy with another <c>tcp_abort_on_overflow</c>.</summary>
    /// <param name="value">The new value.</param>
    public ListenSysctls WithAbortOnOverflow(bool value) => this with { AbortOnOverflow = value };

    /// <summary>Checks the ranges; returns a one-line reason naming the accepted values, or null when valid.</summary>
    public string? Validate()
    {
        if (Somaxconn < 0) return $"somaxconn {Somaxconn} is negative; accepted: 0..{int.MaxValue}";
        if (MaxSynBacklog < 1) return $"tcp_max_syn_backlog {MaxSynBacklog} is out of range; accepted: 1..{int.MaxValue}";
        if (Syncookies is < 0 or > 2) return $"tcp_syncookies {Syncookies} is out of range; accepted: 0, 1 or 2";
        if (SynAckRetries is < 0 or > 127) return $"tcp_synack_retries {SynAckRetries} is out of range; accepted: 0..127";
        if (RtoMaxMs is < 1000 or > 120_000) return $"rto_max {RtoMaxMs} ms is out of range; accepted: 1000..120000";
        return null;
    }
}
