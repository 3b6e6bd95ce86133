using PortSelection.Model.Occupancy;
using PortSelection.Validator.Doctor;

namespace PortSelection.Validator.Tests.Doctor;

/// <summary>The /proc/net/tcp parser on hand-written rows in the kernel's format (tcp4_seq_show, tcp6_seq_show).</summary>
public class ProcNetTcpTests
{
    private const string Tcp4 =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     \n" +
        "   0: 0100007F:A281 00000000:0000 0A 00000000:0000012C 00:00000000 00000000     0        0 444001 1 0000000065c91d4b 100 0 0 10 0                    \n" +
        "   1: 0302010A:9C40 0900000A:01BB 01 0000001F:00000002 00:00000000 00000000  1000        0 444076 1 00000000391ea5b7 20 4 32 13 -1                   \n" +
        "   2: 0302010A:9C41 0900000A:01BB 02 00000001:00000000 01:00000064 00000002  1000        0 444077 1 00000000391ea5b8 20 4 32 13 -1                   \n" +
        "   3: 0100007F:D682 0100007F:8CA1 06 00000000:00000000 03:000011B9 00000000     0        0 0 3 00000000e70e1f93\n";

    private const string Tcp6 =
        "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
        "   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1604 1 00000000ede43fde 100 0 0 10 0\n" +
        "   1: 0000000000000000FFFF00000100007F:E7E0 0000000000000000FFFF00000100007F:A281 01 00000000:00000000 00:00000000 00000000     0        0 444069 1 000000006513936a 20 4 28 18 -1\n" +
        "   2: B80D0120000000000000000001000000:9C42 B80D0120000000000000000002000000:01BB 06 00000000:00000000 03:00000BB8 00000000     0        0 0 3 00000000e70e1f94\n" +
        "   3: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:A000 08 00000000:00000010 00:00000000 00000000     0        0 5555 1 00000000e70e1f95 20 4 28 18 -1\n";

    [Fact]
    public void Ipv4_rows_decode_little_endian_addresses_host_order_ports_states_and_queues()
    {
        var s = ProcNetTcp.Parse(Tcp4, ipv6: false);
        Assert.Equal(4, s.Count);
        Assert.Equal(new ObservedSocket(false, "127.0.0.1", 41601, "0.0.0.0", 0, TcpSocketState.Listen, 0, 300, null), s[0]);
        Assert.Equal(new ObservedSocket(false, "10.1.2.3", 40000, "10.0.0.9", 443, TcpSocketState.Established, 31, 2, null), s[1]);
        Assert.Equal(TcpSocketState.SynSent, s[2].State);
        Assert.Equal(40001, s[2].LocalPort);
        Assert.Equal(1000, s[2].TimerRemainingMs);            // 0x64 = 100 USER_HZ ticks
        Assert.Equal(TcpSocketState.TimeWait, s[3].State);
        Assert.Equal(45_370, s[3].TimerRemainingMs);          // 0x11B9 = 4537 ticks
        Assert.Equal(54914, s[3].LocalPort);
        Assert.Equal(new Model.Ports.Ipv4Address(0x0A010203), s[1].LocalIpv4);
    }

    [Fact]
    public void Ipv6_rows_decode_word_swapped_addresses_and_v4_mapped_counts_as_ipv4()
    {
        var s = ProcNetTcp.Parse(Tcp6, ipv6: true);
        Assert.Equal(4, s.Count);
        Assert.Equal(new ObservedSocket(true, "::", 22, "::", 0, TcpSocketState.Listen, 0, 0, null), s[0]);
        Assert.Equal(new ObservedSocket(false, "127.0.0.1", 59360, "127.0.0.1", 41601, TcpSocketState.Established, 0, 0, null), s[1]);
        Assert.Equal(Model.Ports.Ipv4Address.Loopback, s[1].LocalIpv4);
        Assert.Equal(new ObservedSocket(true, "2001:db8::1", 40002, "2001:db8::2", 443, TcpSocketState.TimeWait, 0, 0, 30_000), s[2]);
        Assert.Null(s[2].LocalIpv4);
        Assert.Equal(new ObservedSocket(true, "::1", 8080, "::1", 40960, TcpSocketState.CloseWait, 0, 16, null), s[3]);
    }

    [Theory]
    [InlineData("   0: 0100007F:A281 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0")]   // too few fields
    [InlineData("   0: 0100007F 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1")]   // no port
    [InlineData("   0: 0100007F:A281 00000000:0000 0Z 00000000:00000000 00:00000000 00000000     0        0 1 1")]   // bad state
    [InlineData("   0: 0100007F:A281 00000000:0000 0F 00000000:00000000 00:00000000 00000000     0        0 1 1")]   // unknown state
    [InlineData("   0: 00000000000000000000000001000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1")]   // v6 in tcp
    public void Malformed_rows_are_rejected_with_the_line_number(string row)
    {
        var e = Assert.Throws<FormatException>(() => ProcNetTcp.Parse("  sl  local_address\n" + row + "\n", ipv6: false));
        Assert.StartsWith("tcp line 2:", e.Message);
    }

    [Fact]
    public void Ss_output_gives_backlogs_for_v4_v6_mapped_and_wildcard_listeners()
    {
        var l = SsListeners.Parse(
            "LISTEN 3      2      10.0.0.5:40008      0.0.0.0:*\n" +
            "LISTEN 0      4096   127.0.0.53%lo:53    0.0.0.0:*\n" +
            "LISTEN 0      511    [::ffff:127.0.0.1]:80 *:*\n" +
            "LISTEN 1      128    [::]:22             [::]:*\n" +
            "LISTEN 0      50     *:9000              *:*\n");
        Assert.Contains(new SockDiag.ListenerInfo(false, "10.0.0.5", 40008, 3, 2), l);
        Assert.Contains(new SockDiag.ListenerInfo(false, "127.0.0.53", 53, 0, 4096), l);
        Assert.Contains(new SockDiag.ListenerInfo(false, "127.0.0.1", 80, 0, 511), l);
        Assert.Contains(new SockDiag.ListenerInfo(true, "::", 22, 1, 128), l);
        Assert.Contains(new SockDiag.ListenerInfo(true, "::", 9000, 0, 50), l);
        Assert.Contains(new SockDiag.ListenerInfo(false, "0.0.0.0", 9000, 0, 50), l);
    }
}
