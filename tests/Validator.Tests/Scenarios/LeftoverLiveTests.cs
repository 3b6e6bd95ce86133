using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Tests.Scenarios;

/// <summary>Live: nothing is left behind, and host-wide sysctls are untouched
/// (the assembly fixture repeats the check after the whole suite).</summary>
[Collection(LiveCollection.Name)]
public sealed class LeftoverLiveTests(LiveSuiteFixture suite)
{
    [Fact]
    public void Scenario_leaves_no_namespace_pin_process_or_host_sysctl_change()
    {
        LiveEnvironment.RequireOrSkip();
        var result = LiveEnvironment.OrSkip(() => PortFillScenario.Run((43000, 43003), [5104], 5));
        Assert.Equal(4, result.Connects.Count(c => c.Succeeded));

        Assert.DoesNotContain(result.Namespace, NamespaceJanitor.ListNamespaces());
        Assert.Empty(LiveSuiteFixture.OurNamespaces());
        Assert.Empty(LiveSuiteFixture.OurCgroups());
        Assert.Empty(LiveSuiteFixture.OurThreadsInPortselCgroups());
        Assert.Empty(NamespaceJanitor.ListPins());
        Assert.Empty(LiveSuiteFixture.OurChildren());
        Assert.Equal(0, LiveResources.Count);
        Assert.Equal(suite.RangeBefore, LiveSuiteFixture.ReadOrEmpty(LiveSuiteFixture.HostRange));
        Assert.Equal(suite.ReservedBefore, LiveSuiteFixture.ReadOrEmpty(LiveSuiteFixture.HostReserved));
        Assert.Matches(@"^\d+\t\d+\n$", LiveSuiteFixture.ReadOrEmpty(LiveSuiteFixture.HostRange));
    }

    [Fact]
    public void Cgroup_backend_scenario_leaves_no_cgroup_or_moved_thread()
    {
        LiveEnvironment.RequireOrSkip();
        var result = LiveEnvironment.OrSkip(() => PortFillScenario.Run(new PortFillRequest
        {
            RangeLow = 43000, RangeHigh = 43003, Destinations = [5105], Count = 5,
            Probe = new PortSelection.Validator.Probe.ProbeOptions { Backends = [PortSelection.Validator.Probe.ProbeBackend.Cgroup] },
        }));
        Assert.Equal(4, result.Connects.Count(c => c.Succeeded));
        Assert.NotNull(result.Header.Cgroup);
        Assert.DoesNotContain(result.Header.Cgroup, NamespaceJanitor.ListCgroups());
        Assert.Empty(LiveSuiteFixture.OurCgroups());
        Assert.Empty(LiveSuiteFixture.OurThreadsInPortselCgroups());
        Assert.Equal(0, LiveResources.Count);
    }

    [Fact]
    public void Cleanup_removes_a_cgroup_of_a_dead_creator()
    {
        LiveEnvironment.RequireOrSkip();
        var mount = PortSelection.Validator.Probe.ProbeCgroup.MountPoint();
        if (mount is null) Assert.Skip("no cgroup v2 hierarchy mounted here");
        var pidMax = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim());
        var dead = Path.Combine(mount, $"{NetworkNamespace.Prefix}{pidMax + 1}-1");
        Directory.CreateDirectory(dead);
        try
        {
            Assert.Contains(dead, NamespaceJanitor.ListCgroups());
            var report = NamespaceJanitor.Cleanup();
            Assert.Contains(report, r => r.Kind == "cgroup" && r.Name == dead && r.Action == "removed");
            Assert.False(Directory.Exists(dead));
        }
        finally
        {
            if (Directory.Exists(dead)) Directory.Delete(dead);
        }
    }

    [Fact]
    public void Namespace_sysctls_stay_inside_the_namespace()
    {
        LiveEnvironment.RequireOrSkip();
        var hostBefore = LiveSuiteFixture.ReadOrEmpty(LiveSuiteFixture.HostRange);
        using (var ns = NetworkNamespace.Create(new Dictionary<string, string> { ["net.ipv4.ip_local_port_range"] = "44000 44010" }))
        {
            Assert.Equal("44000\t44010", ns.ReadSysctl("net.ipv4.ip_local_port_range"));
            Assert.Equal(hostBefore, LiveSuiteFixture.ReadOrEmpty(LiveSuiteFixture.HostRange));
            Assert.Contains(ns.Name, NamespaceJanitor.ListNamespaces());
            Assert.Throws<ArgumentException>(() => ns.SetSysctl("kernel.hostname", "x"));
        }
        Assert.Empty(LiveSuiteFixture.OurNamespaces());
    }

    [Fact]
    public void Cleanup_removes_a_namespace_of_a_dead_creator_and_keeps_live_ones()
    {
        LiveEnvironment.RequireOrSkip();
        // A pid that cannot be alive: above pid_max.
        var pidMax = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim());
        var dead = $"{NetworkNamespace.Prefix}{pidMax + 1}-1";
        var created = ExternalTool.Run(ExternalTool.Ip, ["netns", "add", dead]);
        Assert.True(created.Ok, created.StdErr);
        try
        {
            using var mine = NetworkNamespace.Create();
            var report = NamespaceJanitor.Cleanup();
            Assert.Contains(report, r => r.Name == dead && r.Action == "removed");
            Assert.Contains(report, r => r.Name == mine.Name && r.Action.StartsWith("kept", StringComparison.Ordinal));
            Assert.DoesNotContain(dead, NamespaceJanitor.ListNamespaces());
        }
        finally
        {
            if (NamespaceJanitor.ListNamespaces().Contains(dead)) NetworkNamespace.Delete(dead);
        }
    }
}
