namespace PortSelection.Validator.Tests.Cli;

/// <summary><c>portsel simulate</c> as a user runs it.</summary>
public class SimulateCommandTests
{
    [Fact]
    public void Spec_file_runs_and_flags_override_it()
    {
        var spec = Path.Combine(Path.GetTempPath(), $"portsel-spec-{Guid.NewGuid():N}.json");
        File.WriteAllText(spec, """{"kernel":"6.18","range":"40000-40199","rate":20,"destinations":["10.0.0.2:443*3","10.0.0.3:80"],"lifetime":"fixed:100000","close":"server","duration_s":20,"step_s":5}""");
        try
        {
            var j = Portsel.Json("simulate", "--spec", spec, "--rate", "30");
            var v = j["variants"]![0]!;
            Assert.Equal(30, (double)v["rate_per_s"]!);
            Assert.Equal(4, v["steps"]!.AsArray().Count);
            Assert.Equal(200, (int)v["capacity_per_destination"]!);
            var s = v["summary"]!;
            Assert.Equal((long)s["opened"]!, (long)s["live"]! + (long)s["time_wait"]! + (long)s["released"]! + (long)s["time_wait_expired"]! + (long)s["time_wait_recycled"]!);
        }
        finally { File.Delete(spec); }
    }

    [Fact]
    public void Bad_lifetime_is_one_line_and_exit_2()
    {
        var (exit, _, stderr) = Portsel.Run("simulate", "--lifetime", "weibull:3");
        Assert.Equal(2, exit);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
