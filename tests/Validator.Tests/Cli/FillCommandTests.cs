namespace PortSelection.Validator.Tests.Cli;

public class FillCommandTests
{
    [Fact]
    public void Fill_1000_ports_gives_500_even_then_500_odd_then_EADDRNOTAVAIL_at_1001()
    {
        var j = Portsel.Json("fill", "--kernel", "6.18", "--range", "40000-40999");
        var connects = j["connects"]!.AsArray();
        Assert.Equal(1001, connects.Count);
        Assert.All(connects.Take(500), c => Assert.Equal(0, (int)c!["port"]! % 2));
        Assert.All(connects.Skip(500).Take(500), c => Assert.Equal(1, (int)c!["port"]! % 2));
        Assert.Null((int?)connects[1000]!["port"]);
        var s = j["summary"]!;
        Assert.Equal(1000, (int)s["successes"]!);
        Assert.Equal(1001, (int?)s["first_failure"]);
        Assert.Equal(501, (int?)s["parity_switch_at"]);
        Assert.Equal(1000, (int)s["max_candidates"]!);
    }

    [Fact]
    public void Every_destination_gets_the_whole_range()
    {
        var j = Portsel.Json("fill", "--kernel", "6.18", "--range", "40000-40099", "--destinations", "3");
        Assert.Equal([100, 100, 100], j["summary"]!["successes_per_destination"]!.AsArray().Select(x => (int)x!));
    }

    [Fact]
    public void Same_seed_same_sequence()
    {
        var a = Portsel.Json("fill", "--kernel", "5.10.125", "--range", "40000-40199", "--seed", "42", "--count", "50");
        var b = Portsel.Json("fill", "--kernel", "5.10.125", "--range", "40000-40199", "--seed", "42", "--count", "50");
        Assert.Equal(a["connects"]!.ToJsonString(), b["connects"]!.ToJsonString());
    }
}
