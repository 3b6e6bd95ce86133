using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace PortSelection.Model.Hashing;

/// <summary>
/// The raw values the kernel's hash callers see for network-order fields on a little-endian host:
/// <c>(__force u32)</c> of a <c>__be32</c> address and <c>(__force u16)</c> of a <c>__be16</c> port.
/// </summary>
/// <remarks>
/// The model is of little-endian (x86-64, arm64) kernels. A <c>__be32</c> address holds the four address bytes in
/// wire order, so the u32 the C code hashes is the little-endian reading of those bytes (127.0.0.1 → 0x0100007F);
/// a <c>__be16</c> port zero-extended to u32 is the byte-swapped port (bytes port_hi, port_lo, 0, 0).
/// shared/kernel/port-selection.md §4.1 ("Byte layout for SipHash").
/// </remarks>
public static class NetOrder
{
    /// <summary>The <c>(__force u32)</c> value of an IPv4 address given as its 4 bytes in wire order.</summary>
    /// <exception cref="ArgumentException"><paramref name="addressBytes"/> is not 4 bytes.</exception>
    public static uint Ipv4Be32(ReadOnlySpan<byte> addressBytes)
    {
        if (addressBytes.Length != 4)
            throw new ArgumentException($"An IPv4 address is 4 bytes, got {addressBytes.Length}.", nameof(addressBytes));
        return BinaryPrimitives.ReadUInt32LittleEndian(addressBytes);
    }

    /// <summary>The <c>(__force u32)</c> value of an IPv4 address (e.g. 127.0.0.1 → 0x0100007F).</summary>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not an IPv4 address.</exception>
    public static uint Ipv4Be32(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"'{address}' is not an IPv4 address.", nameof(address));
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    /// <summary>The <c>(__force u16)</c> value of <c>htons(port)</c>, zero-extended to u32 (e.g. 80 → 0x5000).</summary>
    /// <param name="port">The port number in host order.</param>
    public static uint PortBe16(ushort port) => BinaryPrimitives.ReverseEndianness(port);
}
