using PortSelection.Model.Ports;

namespace PortSelection.Model.Tables;

/// <summary>A namespace and a destination (source address, remote address, remote port): the key of a per-destination port index.</summary>
/// <param name="Netns">Model id of the namespace.</param>
/// <param name="Destination">Source, remote address and remote port.</param>
public readonly record struct DestinationKey(int Netns, Destination Destination)
{
    /// <summary>The key of an ehash entry's 4-tuple.</summary>
    public static DestinationKey Of(int netns, FourTuple t) => new(netns, new Destination(t.LocalAddress, t.RemoteAddress, t.RemotePort));
}
