using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Tests.Scenarios;

public class HostSysctlsTests
{
    [Fact]
    public void Missing_tree_reads_as_nulls()
    {
        var h = HostSysctls.Read("/nonexistent-portsel-root");
        Assert.Equal(HostSysctls.None, h);
    }

    [Fact]
    public void Garbage_values_read_as_null()
    {
        var dir = Directory.CreateTempSubdirectory("portsel-sysctl-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "net/core"));
            File.WriteAllText(Path.Combine(dir.FullName, "net/core/somaxconn"), "lots\n");
            Assert.Null(HostSysctls.Read(dir.FullName).Somaxconn);
        }
        finally { dir.Delete(true); }
    }
}
