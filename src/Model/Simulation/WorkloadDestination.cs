using PortSelection.Model.Ports;

namespace PortSelection.Model.Simulation;

/// <summary>One upstream (address, port) and its share of the arrivals.</summary>
/// <param name="Address">Destination address.</param>
/// <param name="Port">Destination port (1..65535).</param>
/// <param name="Weight">Relative share of the connections (&gt; 0).</param>
public readonly record struct WorkloadDestination(Ipv4Address Address, int Port, double Weight = 1)
{
    /// <inheritdoc />
    public override string ToString() => Weight == 1 ? $"{Address}:{Port}" : $"{Address}:{Port}*{Weight:G6}";
}
