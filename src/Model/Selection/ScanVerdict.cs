namespace PortSelection.Model.Selection;

/// <summary>What the scan decided for one candidate port.</summary>
public enum ScanVerdict
{
    /// <summary>In <c>ip_local_reserved_ports</c>: skipped, no lock, no cond_resched.</summary>
    Reserved,
    /// <summary>connect(): the bucket has <c>fastreuse ≥ 0 || fastreuseport ≥ 0</c>: skipped without looking at addresses.</summary>
    BindOwned,
    /// <summary>connect(): the bucket is ConnectOwned and this 4-tuple is taken (live, or TIME_WAIT not reusable).</summary>
    Busy,
    /// <summary>bind(0): an owner of the bucket conflicts (<c>inet_csk_bind_conflict</c>).</summary>
    Conflict,
    /// <summary>The port is taken.</summary>
    Chosen,
}
