using System.Text.Json;
using PortSelection.Validator.Cli;

namespace PortSelection.Validator.Tests.Doctor;

/// <summary><c>portsel doctor --proc-root</c> on a saved /proc fixture (range 40000–40009, one reserved port, a listener inside the range).</summary>
public sealed class DoctorOfflineTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"portsel-doctor-{Environment.ProcessId}-{Guid.NewGuid():N}");

    // 10.0.0.5 = 0500000A, 10.0.0.9 = 0900000A, 10.0.0.10 = 0A00000A, 10.0.0.77 = 4D00000A.
    private const string Tcp =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
        "   0: 0500000A:9C48 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 100 1 0000000000000001 100 0 0 10 0\n" +   // listener :40008, A = 3
        "   1: 0500000A:9C40 0900000A:01BB 01 00000000:00000000 00:00000000 00000000     0        0 101 1 0000000000000002 20 4 30 10 -1\n" +  // 40000 -> .9:443
        "   2: 0500000A:9C42 0900000A:01BB 01 00000000:00000000 00:00000000 00000000     0        0 102 1 0000000000000003 20 4 30 10 -1\n" +  // 40002
        "   3: 0500000A:9C44 0900000A:01BB 02 00000000:00000000 01:00000064 00000001     0        0 103 1 0000000000000004 20 4 30 10 -1\n" +  // 40004 SYN_SENT
        "   4: 0500000A:9C41 0900000A:01BB 08 00000000:00000000 00:00000000 00000000     0        0 104 1 0000000000000005 20 4 30 10 -1\n" +  // 40001 CLOSE_WAIT
        "   5: 0500000A:9C46 0900000A:01BB 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000006\n" +                   // 40006 TIME_WAIT, 60 s left
        "   6: 0500000A:9C40 0A00000A:0050 01 00000000:00000000 00:00000000 00000000     0        0 106 1 0000000000000007 20 4 30 10 -1\n" +  // 40000 -> .10:80
        "   7: 0500000A:9C48 4D00000A:9C41 01 00000000:00000000 00:00000000 00000000     0        0 107 1 0000000000000008 20 4 30 10 -1\n" +  // accepted on the listener: server side
        "   8: 0500000A:1F90 4D00000A:9C45 01 00000000:00000000 00:00000000 00000000     0        0 108 1 0000000000000009 20 4 30 10 -1\n";   // local port outside the range
    private const string Tcp6 =
        "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
        "   0: 0000000000000000FFFF00000500000A:9C43 0000000000000000FFFF00000900000A:01BB 01 00000000:00000000 00:00000000 00000000     0        0 200 1 000000000000000a 20 4 30 10 -1\n";  // v4-mapped 40003 -> .9:443

    public DoctorOfflineTests()
    {
        Write("net/tcp", Tcp);
        Write("net/tcp6", Tcp6);
        Write("sys/net/ipv4/ip_local_port_range", "40000\t40009\n");
        Write("sys/net/ipv4/ip_local_reserved_ports", "40009\n");
        Write("sys/net/ipv4/tcp_tw_reuse", "2\n");
        Write("sys/net/core/somaxconn", "4096\n");
        Write("sys/kernel/osrelease", "6.18.44\n");
        Write("ss-lnt.txt", "LISTEN 3      2      10.0.0.5:40008      0.0.0.0:*\n");
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void Json_groups_by_destination_counts_parity_and_predicts_what_fits()
    {
        var (code, output, err) = Run("doctor", "--proc-root", _root, "--json", "--trials", "64");
        Assert.True(code == 0, err);
        var doc = JsonDocument.Parse(output).RootElement;
        Assert.Equal("6.18.44", doc.GetProperty("kernel").GetString());
        Assert.Equal("E", doc.GetProperty("era").GetString());
        Assert.Equal("40000-40009", doc.GetProperty("sysctls").GetProperty("ip_local_port_range").GetString());
        Assert.Equal(10, doc.GetProperty("total_sockets").GetInt32());
        Assert.Equal(7, doc.GetProperty("client_sockets").GetInt32());
        Assert.Equal(1, doc.GetProperty("bind_owned_in_range").GetInt32());
        Assert.Equal(2, doc.GetProperty("groups_total").GetInt32());

        // Worst first: .9:443 holds 40000-40004 live (the v4-mapped tcp6 row included) and 40006 in TIME_WAIT
        // (tcp_tw_reuse 2 and not loopback: not reusable); 40008 is the listener's, 40009 reserved ⇒ 40005, 40007 left.
        var g = doc.GetProperty("groups")[0];
        Assert.Equal("ipv4", g.GetProperty("family").GetString());
        Assert.Equal("10.0.0.5", g.GetProperty("source").GetString());
        Assert.Equal("10.0.0.9", g.GetProperty("destination").GetString());
        Assert.Equal(443, g.GetProperty("destination_port").GetInt32());
        Assert.Equal(5, g.GetProperty("live").GetInt32());
        Assert.Equal(3, g.GetProperty("live_even").GetInt32());
        Assert.Equal(2, g.GetProperty("live_odd").GetInt32());
        Assert.Equal(1, g.GetProperty("time_wait").GetInt32());
        Assert.Equal(1, g.GetProperty("time_wait_even").GetInt32());
        Assert.Equal(0, g.GetProperty("time_wait_reusable").GetInt32());
        Assert.Equal(40000, g.GetProperty("reachable_low").GetInt32());
        Assert.Equal(40009, g.GetProperty("reachable_high").GetInt32());
        Assert.Equal(1, g.GetProperty("bind_owned").GetInt32());
        Assert.Equal(1, g.GetProperty("reserved").GetInt32());
        Assert.Equal(2, g.GetProperty("fit").GetInt32());
        Assert.Equal(0, g.GetProperty("failures").GetInt32());
        // Every even candidate is busy (40000, 40002, 40004 live, 40006 TIME_WAIT, 40008 bind-owned): the even pass
        // always probes all five busy ports before the odd pass finds 40005 or 40007.
        Assert.True(g.GetProperty("mean_busy_probes").GetDouble() >= 5, output);
        Assert.True(g.GetProperty("mean_cpu_us").GetDouble() >= 3 + 5 * 0.048 - 1e-9, output);
        Assert.True(g.GetProperty("max_candidates").GetInt32() <= 10);

        var other = doc.GetProperty("groups")[1];
        Assert.Equal("10.0.0.10", other.GetProperty("destination").GetString());
        Assert.Equal(1, other.GetProperty("live").GetInt32());
        Assert.Equal(7, other.GetProperty("fit").GetInt32());   // 10 − 1 live − 1 bind-owned − 1 reserved

        var l = doc.GetProperty("listeners")[0];
        Assert.Equal(40008, l.GetProperty("port").GetInt32());
        Assert.Equal(3, l.GetProperty("accept_queue").GetInt32());
        Assert.Equal(2, l.GetProperty("backlog").GetInt32());
        Assert.Equal(3, l.GetProperty("capacity").GetInt32());
        Assert.True(l.GetProperty("full").GetBoolean());
        Assert.Contains("ss-lnt.txt", doc.GetProperty("sources").GetProperty("backlogs").GetString());
    }

    [Fact]
    public void Text_table_is_worst_first_and_top_limits_it()
    {
        var (code, output, err) = Run("doctor", "--proc-root", _root, "--top", "1");
        Assert.True(code == 0, err);
        Assert.Contains("10.0.0.5 -> 10.0.0.9:443", output);
        Assert.DoesNotContain("10.0.0.5 -> 10.0.0.10:80", output);
        Assert.Contains("1 more group(s)", output);
        Assert.Contains("FULL", output);
        Assert.Contains("era E", output);
    }

    [Fact]
    public void Without_a_saved_ss_output_the_backlog_is_unknown()
    {
        File.Delete(Path.Combine(_root, "ss-lnt.txt"));
        var (code, output, err) = Run("doctor", "--proc-root", _root, "--json");
        Assert.True(code == 0, err);
        var l = JsonDocument.Parse(output).RootElement.GetProperty("listeners")[0];
        Assert.Equal(JsonValueKind.Null, l.GetProperty("backlog").ValueKind);
        Assert.Equal(3, l.GetProperty("accept_queue").GetInt32());
    }

    [Theory]
    [InlineData("--top", "0")]
    [InlineData("--trials", "0")]
    [InlineData("--kernel", "banana")]
    [InlineData("--proc-root", "/nonexistent/portsel")]
    public void Bad_input_is_one_line_and_exit_2(string option, string value)
    {
        var args = option == "--proc-root" ? new[] { "doctor", option, value } : new[] { "doctor", "--proc-root", _root, option, value };
        var (code, _, err) = Run(args);
        Assert.Equal(CliApp.BadInput, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_malformed_row_is_bad_input()
    {
        Write("net/tcp", "  sl  local_address\n   0: nonsense\n");
        var (code, _, err) = Run("doctor", "--proc-root", _root);
        Assert.Equal(CliApp.BadInput, code);
        Assert.Contains("line 2", err);
    }
}
