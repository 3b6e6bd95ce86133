using System.Text.Json.Nodes;

namespace PortSelection.Validator.Tests.Cli;

/// <summary><c>portsel explain --json</c> reproduces every worked example of port-selection.md §7.</summary>
public class ExplainCommandTests
{
    private static readonly string[] Section7 =
        ["--range", "32768-32783", "--reserved", "32770", "--bind-owned", "32772,32773", "--busy", "32774,32776,32778"];

    private static (int Port, string Verdict)[] Candidates(JsonNode j) =>
        j["candidates"]!.AsArray().Select(c => ((int)c!["port"]!, (string)c["verdict"]!)).ToArray();

    [Fact]
    public void Example_1a_era_A()
    {
        var j = Portsel.Json(["explain", "--era", "A", .. Section7, "--port-offset", "0x9E3779B9", "--hint", "0"]);
        Assert.Equal(32779, (int?)j["port"]);
        Assert.Equal([(32778, "busy"), (32779, "chosen")], Candidates(j));
        Assert.Equal(2u, (uint)j["state_after"]!);
    }

    [Fact]
    public void Example_1b_era_B()
    {
        var j = Portsel.Json(["explain", "--era", "B", .. Section7, "--port-offset", "0x9E3779B9"]);
        Assert.Equal([(32776, "busy"), (32777, "chosen")], Candidates(j));
        Assert.Equal(2u, (uint)j["state_after"]!);
    }

    [Fact]
    public void Example_1c_era_C()
    {
        var j = Portsel.Json(["explain", "--kernel", "5.10.13", .. Section7, "--port-offset", "0x9E3779B9", "--hint", "0"]);
        Assert.Equal(8u, (uint)j["start_offset"]!);
        Assert.Equal([(32776, "busy"), (32778, "busy"), (32780, "chosen")], Candidates(j));
        Assert.Equal(6u, (uint)j["state_after"]!);
    }

    [Fact]
    public void Example_1d_era_D()
    {
        var j = Portsel.Json(["explain", "--era", "D", .. Section7, "--port-offset", "0x9E3779B9", "--table-value", "0x0BADF00D"]);
        Assert.Equal(28, (int?)j["index"]);
        Assert.Equal(6u, (uint)j["start_offset"]!);
        Assert.Equal(32780, (int?)j["port"]);
        Assert.Equal(0x0BADF015u, (uint)j["state_after"]!);
    }

    [Theory]
    [InlineData("0", 0x0BADF017u)]
    [InlineData("5", 0x0BADF019u)]
    public void Example_1e_era_E(string rand8, uint after)
    {
        var j = Portsel.Json(["explain", "--kernel", "6.18.44-fc-v657", .. Section7, "--port-offset", "0x123456789ABCDEF0",
            "--table-value", "0x0BADF00D", "--rand8", rand8]);
        Assert.Equal(0xDEF0, (int?)j["index"]);
        Assert.Equal("0x123456789ABCDEF0", (string?)j["port_offset"]);
        Assert.Equal(4u, (uint)j["start_offset"]!);
        Assert.Equal([(32772, "bind-owned"), (32774, "busy"), (32776, "busy"), (32778, "busy"), (32780, "chosen")], Candidates(j));
        Assert.Equal(after, (uint)j["state_after"]!);
        Assert.Null(j["error"]);
        Assert.Equal(5, (int)j["counters"]!["candidates"]!);
        Assert.Equal(1, (int)j["counters"]!["locks"]!);
    }

    [Fact]
    public void Example_1e_second_connect()
    {
        var j = Portsel.Json(["explain", "--kernel", "6.18", "--range", "32768-32783", "--reserved", "32770", "--bind-owned", "32772,32773",
            "--busy", "32774,32776,32778,32780", "--port-offset", "0x123456789ABCDEF0", "--table-value", "0x0BADF017", "--rand8", "3"]);
        Assert.Equal(32782, (int?)j["port"]);
        Assert.Equal(0x0BADF01Fu, (uint)j["state_after"]!);
    }

    [Fact]
    public void Example_1f_step_one()
    {
        var j = Portsel.Json(["explain", "--kernel", "6.8", .. Section7, "--port-offset", "0x123456789ABCDEF0",
            "--table-value", "0x0BADF00D", "--per-socket-range", "0xFFFF0000", "--rand8", "0"]);
        Assert.Equal(1, (int)j["step"]!);
        Assert.Equal([(32773, "bind-owned"), (32774, "busy"), (32775, "chosen")], Candidates(j));
        Assert.Equal(0x0BADF00Du + 3, (uint)j["state_after"]!);
    }

    [Fact]
    public void Example_2_wrap_and_second_pass()
    {
        var j = Portsel.Json(["explain", "--kernel", "6.18", "--range", "40000-40009", "--reserved", "40001", "--bind-owned", "40003",
            "--busy", "40000,40002,40004,40006,40007,40008,40009", "--port-offset", "0x700000000", "--table-value", "0", "--rand8", "0"]);
        Assert.Equal(40005, (int?)j["port"]);
        Assert.Equal([40006, 40008, 40000, 40002, 40004, 40007, 40009, 40001, 40003, 40005],
            j["candidates"]!.AsArray().Select(c => (int)c!["port"]!));
        Assert.Equal(2, (int?)j["pass"]);
        Assert.Equal(10u, (uint)j["state_after"]!);
    }

    [Fact]
    public void Example_3_same_parity_range()
    {
        var j = Portsel.Json(["explain", "--kernel", "6.18", "--range", "40000-40010", "--busy", "40000-40010", "--port-offset", "0x300000000"]);
        Assert.Equal("EADDRNOTAVAIL", (string?)j["error"]);
        Assert.Null((int?)j["port"]);
        Assert.DoesNotContain(40000, j["candidates"]!.AsArray().Select(c => (int)c!["port"]!));
        Assert.Equal((uint)j["state_before"]!, (uint)j["state_after"]!);
    }

    [Fact]
    public void Example_4_bind0()
    {
        var j = Portsel.Json(["explain", "--kernel", "6.18", "--op", "bind0", "--range", "40000-40009", "--busy", "40001,40003,40004,40005,40007,40009", "--draws", "4"]);
        Assert.Equal(40006, (int?)j["port"]);
        Assert.Equal([40005, 40007, 40009, 40001, 40003, 40004, 40006], j["candidates"]!.AsArray().Select(c => (int)c!["port"]!));
        var r = Portsel.Json(["explain", "--kernel", "6.18", "--op", "bind0", "--reuseaddr", "--range", "40000-40009", "--busy", "40001,40003,40004,40005,40007,40009", "--draws", "3"]);
        Assert.Equal(40002, (int?)r["port"]);
        Assert.All(r["candidates"]!.AsArray(), c => Assert.Equal(1, (int)c!["half"]!));
    }

    [Theory]
    [InlineData("--range", "40000-39999")]
    [InlineData("--range", "0-100")]
    [InlineData("--reserved", "80,9x")]
    [InlineData("--era", "F")]
    [InlineData("--kernel", "banana")]
    [InlineData("--rand8", "8")]
    [InlineData("--per-socket-range", "500-100")]
    [InlineData("--op", "listen")]
    public void Bad_input_is_one_line_and_exit_code_2(string option, string value)
    {
        var (exit, stdout, stderr) = Portsel.Run("explain", option, value);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("portsel: ", line);
        Assert.DoesNotContain("   at ", stderr);
    }
}
