using System.Net;
using PortSelection.Model.Hashing;

namespace PortSelection.Model.Tests.Hashing;

public class NetOrderTests
{
    [Fact]
    public void Be32_is_the_little_endian_reading_of_wire_bytes()
    {
        Assert.Equal(0x0100007Fu, NetOrder.Ipv4Be32(IPAddress.Loopback));
        Assert.Equal(0x0100007Fu, NetOrder.Ipv4Be32([127, 0, 0, 1]));
        Assert.Equal(0x0302A8C0u, NetOrder.Ipv4Be32(IPAddress.Parse("192.168.2.3")));
        Assert.Throws<ArgumentException>(() => NetOrder.Ipv4Be32(IPAddress.IPv6Loopback));
        Assert.Throws<ArgumentException>(() => NetOrder.Ipv4Be32([1, 2, 3]));
    }

    [Fact]
    public void Be16_port_is_byte_swapped_and_zero_extended()
    {
        Assert.Equal(0x5000u, NetOrder.PortBe16(80));
        Assert.Equal(0xBB01u, NetOrder.PortBe16(443));
        Assert.Equal(0xFFFFu, NetOrder.PortBe16(65535));
    }
}
