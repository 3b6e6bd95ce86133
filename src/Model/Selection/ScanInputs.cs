using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;

namespace PortSelection.Model.Selection;

/// <summary>
/// The inputs of one <see cref="FastConnectScan"/> as a value: the fields of <see cref="ConnectScanRequest"/> the scan
/// reads, so that <see cref="KernelHost.ConnectFast"/> need not allocate a request per connect.
/// </summary>
/// <param name="Profile">Kernel switches.</param>
/// <param name="Config">Namespace sysctls.</param>
/// <param name="Netns">Model id of the namespace.</param>
/// <param name="NetHashMix"><c>net_hash_mix(net)</c>.</param>
/// <param name="Destination">Source, remote address and remote port.</param>
/// <param name="SocketRange">IP_LOCAL_PORT_RANGE of the socket.</param>
/// <param name="PortOffset">The port_offset of the destination.</param>
/// <param name="NowMs">Current time (ms), for the TIME_WAIT age rule.</param>
internal readonly record struct ScanInputs(KernelProfile Profile, NamespaceConfig Config, int Netns, uint NetHashMix, Destination Destination,
    PerSocketRange SocketRange, ulong PortOffset, long NowMs)
{
    /// <summary>The inputs of a request (its Record flag is not a scan input).</summary>
    public static ScanInputs From(ConnectScanRequest r) =>
        new(r.Profile, r.Config, r.Netns, r.NetHashMix, r.Destination, r.SocketRange, r.PortOffset, r.NowMs);
}
