namespace PortSelection.Model.Tables;

/// <summary>
/// What a port is to connect() autobind, per (netns, port) — shared/kernel/port-selection.md §2.2.
/// </summary>
public enum PortState
{
    /// <summary>No bind bucket: connect() takes it (creating a −1/−1 bucket).</summary>
    Free,
    /// <summary>In <c>ip_local_reserved_ports</c>: skipped without a lock by connect() and bind(0).</summary>
    Reserved,
    /// <summary>A bucket with <c>fastreuse ≥ 0 || fastreuseport ≥ 0</c> (a bind() user joined): connect() skips it without looking at addresses.</summary>
    BindOwned,
    /// <summary>A −1/−1 bucket (only connect() autobind users): usable iff the new 4-tuple is unique in ehash.</summary>
    ConnectOwned,
}
