using System.CommandLine;
using System.Text.Json;
using PortSelection.Validator.Cli;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Tests.Cli;

/// <summary><c>portsel backlog</c>: JSON fields answer the examples of listen-queues.md; bad input ⇒ one line, exit 2.</summary>
public class BacklogCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static JsonElement Json(params string[] args)
    {
        var (code, output, err) = Run([.. args, "--json", "--ignore-host"]);
        Assert.True(code == 0, err);
        return JsonDocument.Parse(output).RootElement;
    }

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    [Theory]
    // §9.1 rows: listen arg, somaxconn ⇒ Send-Q B, Recv-Q max B + 1
    [InlineData("1", "4096", 1, 2)]
    [InlineData("0", "4096", 0, 1)]
    [InlineData("8", "4", 4, 5)]
    [InlineData("-1", "16", 16, 17)]
    [InlineData("100", "4096", 100, 101)]
    public void Sizing_answers_the_live_rows(string backlog, string somaxconn, int b, int capacity)
    {
        var j = Json("backlog", "--kernel", "6.18.44", "--backlog", backlog, "--somaxconn", somaxconn);
        Assert.Equal(b, j.GetProperty("effective_backlog").GetInt32());
        Assert.Equal(capacity, j.GetProperty("accept_capacity").GetInt64());
        Assert.Equal(capacity, j.GetProperty("established_before_first_drop").GetInt64());
        Assert.Equal(capacity, j.GetProperty("syn_queue_capacity").GetInt64());   // Q > B on 6.18
        Assert.Equal("flag", j.GetProperty("sources").GetProperty("somaxconn").GetString());
    }

    [Fact]
    public void Era_rows_of_the_summary_table()
    {
        var old = Json("backlog", "--kernel", "4.9.0", "--backlog", "8");
        Assert.Equal(11, old.GetProperty("established_before_first_drop").GetInt64());   // B + 3 (2 phantoms)
        Assert.Equal(8, old.GetProperty("syn_queue_capacity").GetInt64());                // Q ≥ B
        Assert.Equal(128, old.GetProperty("settings").GetProperty("somaxconn").GetInt32()); // SOMAXCONN 128 before 5.4
        Assert.Equal("era-default", old.GetProperty("sources").GetProperty("somaxconn").GetString());
        var table = Json("backlog", "--kernel", "3.10.108", "--backlog", "100", "--max-syn-backlog", "1024");
        Assert.Equal(128, table.GetProperty("syn_queue_capacity").GetInt64());            // roundup_pow2(101)
        var v2632 = Json("backlog", "--kernel", "2.6.32", "--backlog", "8");
        Assert.Equal([3, 9], Doubles(v2632.GetProperty("syn_retransmit_s")));
        Assert.Equal(21, v2632.GetProperty("connect_timeout_s").GetDouble());
        Assert.Equal([3, 9, 21, 45, 93], Doubles(v2632.GetProperty("synack_retransmit_s")));
    }

    [Fact]
    public void Three_quarter_rule_with_cookies_off()
    {
        var j = Json("backlog", "--kernel", "6.18", "--backlog", "8", "--syncookies", "0", "--max-syn-backlog", "8");
        Assert.Equal(7, j.GetProperty("syn_queue_capacity").GetInt64());   // §9.2: 8 − 2 + 1
        Assert.Equal(0, Json("backlog", "--kernel", "6.18", "--backlog", "8", "--syncookies", "2").GetProperty("syn_queue_capacity").GetInt64());
    }

    [Theory]
    [InlineData("6.18", new[] { "--syn-retries", "6" }, new double[] { 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 }, 131)]
    [InlineData("6.18", new[] { "--syn-retries", "2" }, new double[] { 1, 2, 3, 4, 5 }, 7)]
    [InlineData("6.18", new[] { "--syn-retries", "2", "--syn-linear-timeouts", "0" }, new double[] { 1, 3 }, 7)]
    [InlineData("6.18", new[] { "--user-timeout", "2500" }, new double[] { 1, 2 }, 2.5)]
    [InlineData("6.4", new string[0], new double[] { 1, 3, 7, 15, 31, 63 }, 127)]
    public void Timing_answers_section_9_3(string kernel, string[] extra, double[] syns, double timeout)
    {
        var j = Json(["backlog", "--kernel", kernel, .. extra]);
        Assert.Equal(syns, Doubles(j.GetProperty("syn_retransmit_s")));
        Assert.Equal(timeout, j.GetProperty("connect_timeout_s").GetDouble());
        Assert.Equal([1, 3, 7, 15, 31], Doubles(j.GetProperty("synack_retransmit_s")));
    }

    [Fact]
    public void Capacity_fields_with_rates()
    {
        // accept loop, B = 2, ρ = 0.5 ⇒ M/M/1/3 without retries: P_block = (1 − ρ)ρ³/(1 − ρ⁴) = 1/15
        var j = Json("backlog", "--kernel", "6.18", "--backlog", "2", "--arrival-rate", "50", "--accept-rate", "100", "--rtt", "10");
        Assert.Equal(1.0 / 15, j.GetProperty("p_block_without_retries").GetDouble(), 9);
        double pb = j.GetProperty("p_block").GetDouble();
        Assert.InRange(pb, 1.0 / 15, 0.2);   // retries add load
        Assert.True(j.GetProperty("throughput").GetDouble() <= 50);
        Assert.True(j.GetProperty("mean_accept_queue").GetDouble() > 0);
        Assert.Equal(0.010, j.GetProperty("latency_p50_s").GetDouble(), 9);   // first SYN answered: RTT
        Assert.Equal(1.010, j.GetProperty("latency_p99_s").GetDouble(), 9);   // P_b > 1 % ⇒ p99 at the 1 s retransmission
        Assert.True(j.GetProperty("latency_p999_s").GetDouble() >= 1.010);
        Assert.StartsWith("M/M/1/3", j.GetProperty("queue_model").GetString());
        var w = Json("backlog", "--kernel", "6.18", "--backlog", "4", "--arrival-rate", "300", "--accept-rate", "100", "--workers", "4");
        Assert.StartsWith("M/M/4/9", w.GetProperty("queue_model").GetString());
        Assert.True(w.TryGetProperty("erlang_c_wait_probability", out _));
    }

    [Fact]
    public void Recommend_answers_the_planner()
    {
        var j = Json("backlog", "--kernel", "6.18", "--somaxconn", "16", "--arrival-rate", "9000", "--accept-rate", "10000", "--recommend", "--target-p99", "0.5");
        var rec = j.GetProperty("recommendation");
        Assert.True(rec.GetProperty("feasible").GetBoolean());
        int b = rec.GetProperty("backlog").GetInt32();
        Assert.True(rec.GetProperty("p_block").GetDouble() < 0.01);   // p99 < 1 s needs P_b < 1 % (§10.3)
        Assert.Equal(b, rec.GetProperty("somaxconn_needed").GetInt32());
        Assert.Equal(16 >= b, rec.GetProperty("somaxconn_sufficient").GetBoolean());
        // one less does not meet the target
        var less = Json("backlog", "--kernel", "6.18", "--backlog", (b - 1).ToString(), "--somaxconn", "65535", "--arrival-rate", "9000", "--accept-rate", "10000");
        Assert.True(less.GetProperty("latency_p99_s").GetDouble() > 0.5);
        var infeasible = Json("backlog", "--arrival-rate", "10", "--accept-rate", "100", "--rtt", "100", "--recommend", "--target-p99", "0.05");
        Assert.False(infeasible.GetProperty("recommendation").GetProperty("feasible").GetBoolean());
    }

    [Theory]
    [InlineData("backlog", "--syncookies", "3")]
    [InlineData("backlog", "--backlog", "abc")]
    [InlineData("backlog", "--kernel", "six")]
    [InlineData("backlog", "--arrival-rate", "-5", "--accept-rate", "10")]
    [InlineData("backlog", "--arrival-rate", "5")]
    [InlineData("backlog", "--recommend")]
    [InlineData("backlog", "--workers", "0", "--arrival-rate", "5", "--accept-rate", "10")]
    [InlineData("backlog", "--syn-retries", "0")]
    [InlineData("backlog", "--no-such-option")]
    public void Bad_input_is_one_line_and_exit_code_2(params string[] args)
    {
        var (code, output, err) = Run([.. args, "--ignore-host"]);
        Assert.Equal(CliApp.BadInput, code);
        Assert.Equal("", output);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Syncookies_3_names_the_accepted_values()
    {
        var (_, _, err) = Run("backlog", "--syncookies", "3", "--ignore-host");
        Assert.Contains("--syncookies 3", err);
        Assert.Contains("0 (never), 1", err);
    }

    [Fact]
    public void Host_values_apply_only_to_the_running_kernel_and_are_labelled()
    {
        var dir = Directory.CreateTempSubdirectory("portsel-sysctl-");
        try
        {
            void W(string rel, string v) { var p = Path.Combine(dir.FullName, rel); Directory.CreateDirectory(Path.GetDirectoryName(p)!); File.WriteAllText(p, v + "\n"); }
            W("kernel/osrelease", "6.18.44-fc-v657");
            W("net/core/somaxconn", "512");
            W("net/ipv4/tcp_syncookies", "0");
            var cmd = BacklogCommand.Create(() => HostSysctls.Read(dir.FullName));
            var root = new RootCommand { cmd };

            string Invoke(params string[] a)
            {
                var o = new StringWriter();
                Assert.Equal(0, root.Parse(a).Invoke(new InvocationConfiguration { Output = o, Error = new StringWriter() }));
                return o.ToString();
            }

            var j = JsonDocument.Parse(Invoke("backlog", "--json")).RootElement;
            Assert.Equal("6.18.44", j.GetProperty("kernel").GetString());
            Assert.Equal("host", j.GetProperty("sources").GetProperty("kernel").GetString());
            Assert.Equal(512, j.GetProperty("effective_backlog").GetInt32());   // listen(INT_MAX) ⇒ somaxconn
            Assert.Equal("host", j.GetProperty("sources").GetProperty("somaxconn").GetString());
            Assert.Equal("host", j.GetProperty("sources").GetProperty("tcp_syncookies").GetString());
            Assert.Equal("era-default", j.GetProperty("sources").GetProperty("tcp_max_syn_backlog").GetString());
            // another kernel: the host's sysctls do not describe it
            var other = JsonDocument.Parse(Invoke("backlog", "--kernel", "4.9", "--json")).RootElement;
            Assert.Equal(128, other.GetProperty("effective_backlog").GetInt32());
            Assert.Equal("era-default", other.GetProperty("sources").GetProperty("somaxconn").GetString());
            // text output names the sources
            Assert.Contains("somaxconn 512 [host]", Invoke("backlog", "--backlog", "64"));
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
