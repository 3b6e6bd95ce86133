namespace PortSelection.Model.Ports;

/// <summary>
/// A TCP connection's identity in the established hash: local address and port, remote address and port
/// (the key compared by <c>__inet_check_established()</c>, net/ipv4/inet_hashtables.c).
/// </summary>
/// <param name="LocalAddress">Local (source) address.</param>
/// <param name="LocalPort">Local (source) port.</param>
/// <param name="RemoteAddress">Remote (destination) address.</param>
/// <param name="RemotePort">Remote (destination) port.</param>
public readonly record struct FourTuple(Ipv4Address LocalAddress, int LocalPort, Ipv4Address RemoteAddress, int RemotePort)
{
    /// <inheritdoc />
    public override string ToString() => $"{LocalAddress}:{LocalPort}->{RemoteAddress}:{RemotePort}";
}
