using PortSelection.Model.Ports;

namespace PortSelection.Model.Selection;

/// <summary>
/// Where a connect() gets its <c>port_offset</c> (<c>secure_ipv4_port_ephemeral</c>): an explicit value, or the
/// kernel's keyed hash of (saddr, daddr, dport[, timeseed]).
/// </summary>
public interface IPortOffsetSource
{
    /// <summary>The port_offset of a connect() to <paramref name="destination"/> at <paramref name="nowMs"/> (u32 eras: zero-extended).</summary>
    ulong PortOffset(Destination destination, long nowMs);
}

/// <summary>The same port_offset for every connect (an explanation with a given <c>--port-offset</c>).</summary>
/// <param name="Value">The offset.</param>
public sealed record FixedPortOffset(ulong Value) : IPortOffsetSource
{
    /// <inheritdoc />
    public ulong PortOffset(Destination destination, long nowMs) => Value;
}
