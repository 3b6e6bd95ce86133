using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;

namespace PortSelection.Model.Selection;

/// <summary>The inputs of one connect() autobind scan (<c>__inet_hash_connect</c> with <c>inet_num == 0</c>).</summary>
public sealed record ConnectScanRequest
{
    /// <summary>Kernel switches.</summary>
    public required KernelProfile Profile { get; init; }
    /// <summary>The namespace's sysctls.</summary>
    public required NamespaceConfig Config { get; init; }
    /// <summary>Model id of the namespace (bhash/ehash keys include it).</summary>
    public int Netns { get; init; }
    /// <summary><c>net_hash_mix(net)</c> of the namespace (bhash chain index).</summary>
    public uint NetHashMix { get; init; }
    /// <summary>Source address, destination address and port.</summary>
    public required Destination Destination { get; init; }
    /// <summary>The socket's <c>IP_LOCAL_PORT_RANGE</c> option (ignored before 6.3).</summary>
    public PerSocketRange SocketRange { get; init; }
    /// <summary><c>secure_ipv4_port_ephemeral()</c> for this destination (u32 eras: the low 32 bits).</summary>
    public required ulong PortOffset { get; init; }
    /// <summary>Current time in ms (TIME_WAIT age rules).</summary>
    public long NowMs { get; init; }
    /// <summary>Record every candidate in the result (explanations); off for bulk simulation.</summary>
    public bool Record { get; init; }
}
