namespace PortSelection.Model.Ports;

/// <summary>
/// The inputs of one connect() autobind that select its scan state: source address (already routed),
/// destination address and destination port (<c>secure_ipv4_port_ephemeral(saddr, daddr, dport)</c>).
/// </summary>
/// <param name="Source">Local address the route chose (or the address given to bind()).</param>
/// <param name="Address">Destination address.</param>
/// <param name="Port">Destination port, 1..65535.</param>
public readonly record struct Destination(Ipv4Address Source, Ipv4Address Address, int Port)
{
    /// <summary>The 4-tuple this destination forms with a candidate local port.</summary>
    public FourTuple WithLocalPort(int port) => new(Source, port, Address, Port);

    /// <summary>True when either end is loopback (the <c>tcp_tw_reuse = 2</c> test in <c>tcp_twsk_unique</c>).</summary>
    public bool IsLoopback => Source.IsLoopback || Address.IsLoopback;

    /// <inheritdoc />
    public override string ToString() => $"{Source}->{Address}:{Port}";
}
