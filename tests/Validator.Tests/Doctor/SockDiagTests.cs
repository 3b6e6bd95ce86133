using System.Buffers.Binary;
using PortSelection.Validator.Doctor;

namespace PortSelection.Validator.Tests.Doctor;

/// <summary>Decoding of <c>struct inet_diag_msg</c> (include/uapi/linux/inet_diag.h) for listeners.</summary>
public class SockDiagTests
{
    private static byte[] Message(byte family, byte[] address, ushort port, uint rqueue, uint wqueue)
    {
        var m = new byte[72];
        m[0] = family;
        m[1] = 10;                                                   // TCP_LISTEN
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(4), port);    // idiag_sport (__be16)
        address.CopyTo(m, 8);                                        // idiag_src (__be32[4])
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(56), rqueue);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(60), wqueue);
        return m;
    }

    [Fact]
    public void Ipv4_ipv6_and_v4_mapped_listeners_decode_with_rqueue_as_A_and_wqueue_as_B()
    {
        Assert.Equal(new SockDiag.ListenerInfo(false, "127.0.0.1", 5401, 300, 1024),
            SockDiag.Parse(Message(2, [127, 0, 0, 1], 5401, 300, 1024)));
        Assert.Equal(new SockDiag.ListenerInfo(true, "::", 22, 0, 128),
            SockDiag.Parse(Message(10, new byte[16], 22, 0, 128)));
        var mapped = new byte[16];
        mapped[10] = 0xFF; mapped[11] = 0xFF; mapped[12] = 10; mapped[15] = 5;
        Assert.Equal(new SockDiag.ListenerInfo(false, "10.0.0.5", 8080, 2, 511),
            SockDiag.Parse(Message(10, mapped, 8080, 2, 511)));
    }
}
