namespace PortSelection.Model.Selection;

/// <summary>The outcome of bind(): explicit port or port 0.</summary>
public sealed record BindResult
{
    /// <summary>The bound port, or null on failure (or for IP_BIND_ADDRESS_NO_PORT, which takes no port).</summary>
    public int? Port { get; init; }
    /// <summary>None or EADDRINUSE.</summary>
    public PortError Error { get; init; }
    /// <summary>The bind(0) candidates in order (empty unless recorded, and for explicit binds).</summary>
    public IReadOnlyList<ScanCandidate> Candidates { get; init; } = [];
    /// <summary>Work counters of a bind(0) scan.</summary>
    public ScanCounters Counters { get; init; }
    /// <summary>The random draws consumed (one per half/relax pass), in order.</summary>
    public IReadOnlyList<uint> Draws { get; init; } = [];
    /// <summary>True when the port was deferred to connect() (IP_BIND_ADDRESS_NO_PORT with port 0).</summary>
    public bool AddressOnly { get; init; }
}
