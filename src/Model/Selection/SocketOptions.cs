using PortSelection.Model.Ports;

namespace PortSelection.Model.Selection;

/// <summary>The socket options that port selection reads.</summary>
public sealed record SocketOptions
{
    /// <summary>SO_REUSEADDR.</summary>
    public bool Reuse { get; init; }
    /// <summary>SO_REUSEPORT.</summary>
    public bool ReusePort { get; init; }
    /// <summary>Owner uid.</summary>
    public int Uid { get; init; }
    /// <summary>SO_BINDTODEVICE index (0 = none).</summary>
    public int BoundDevice { get; init; }
    /// <summary>IP_BIND_ADDRESS_NO_PORT (4.2+, 90c337da1524): bind(addr, 0) records only the address.</summary>
    public bool BindAddressNoPort { get; init; }
    /// <summary>IP_LOCAL_PORT_RANGE (6.3+).</summary>
    public PerSocketRange LocalPortRange { get; init; }
    /// <summary>The peer uses TCP timestamps (needed for any TIME_WAIT reuse of this connection's 4-tuple).</summary>
    public bool Timestamps { get; init; } = true;

    /// <summary>Default options.</summary>
    public static SocketOptions Default { get; } = new();
}
