using System.Buffers.Binary;
using System.Globalization;

namespace PortSelection.Model.Ports;

/// <summary>An IPv4 address held as a host-order number (127.0.0.1 = 0x7F000001).</summary>
/// <param name="Value">The address as a host-order 32-bit number.</param>
public readonly record struct Ipv4Address(uint Value)
{
    /// <summary>The wildcard address 0.0.0.0 (INADDR_ANY).</summary>
    public static readonly Ipv4Address Any = new(0);

    /// <summary>127.0.0.1.</summary>
    public static readonly Ipv4Address Loopback = new(0x7F000001);

    /// <summary>True for 0.0.0.0.</summary>
    public bool IsAny => Value == 0;

    /// <summary>True for 127.0.0.0/8 (<c>ipv4_is_loopback</c>, include/linux/in.h).</summary>
    public bool IsLoopback => (Value >> 24) == 127;

    /// <summary>
    /// The kernel's <c>__be32</c> value as C code reads it on a little-endian host: the four address bytes in
    /// wire order, loaded as a little-endian u32. This is what the hashes take.
    /// </summary>
    public uint Be32 => BinaryPrimitives.ReverseEndianness(Value);

    /// <summary>Parses dotted-quad notation; false with a one-line reason otherwise.</summary>
    public static bool TryParse(string? text, out Ipv4Address address, out string? error)
    {
        address = default;
        error = null;
        var parts = (text ?? "").Trim().Split('.');
        if (parts.Length != 4)
        {
            error = $"'{text}' is not an IPv4 address; expected dotted quad such as 127.0.0.1";
            return false;
        }
        uint v = 0;
        foreach (var p in parts)
        {
            if (p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) ||
                !uint.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var b) || b > 255)
            {
                error = $"'{text}' is not an IPv4 address; expected dotted quad such as 127.0.0.1";
                return false;
            }
            v = (v << 8) | b;
        }
        address = new Ipv4Address(v);
        return true;
    }

    /// <summary>Parses dotted-quad notation.</summary>
    /// <exception cref="FormatException">Not an IPv4 address.</exception>
    public static Ipv4Address Parse(string text) =>
        TryParse(text, out var a, out var e) ? a : throw new FormatException(e);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Value >> 24}.{(Value >> 16) & 255}.{(Value >> 8) & 255}.{Value & 255}";
}
