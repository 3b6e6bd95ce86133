using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Tests.Probe;

/// <summary>Live: the classic-tracepoint backend (bpf/connect_classic.bpf.c). tracefs is mounted by the test only
/// when it was not mounted, and unmounted again on every exit path (the machine is left as found).</summary>
[Collection(LiveCollection.Name)]
public sealed class ClassicBackendLiveTests(ITestOutputHelper output)
{
    [Fact]
    public void Classic_backend_records_a_200_port_fill_equal_to_getsockname()
    {
        LiveEnvironment.RequireOrSkip();
        var wasMounted = Tracefs.IsMounted();
        PortFillResult result;
        using (LiveEnvironment.OrSkip(Tracefs.MountTemporarily))
        {
            Assert.True(Tracefs.IsMounted());
            result = LiveEnvironment.OrSkip(() => PortFillScenario.Run(new PortFillRequest
            {
                RangeLow = 40000,
                RangeHigh = 40199,
                Destinations = [5501],
                Count = 200,
                TimeLimit = TimeSpan.FromSeconds(30),
                Probe = new ProbeOptions { Backends = [ProbeBackend.Classic] },
            }));
        }
        Assert.Equal(wasMounted, Tracefs.IsMounted());

        foreach (var a in result.Attempts) output.WriteLine($"{a.Backend}: ok={a.Succeeded} {a.Reason}");
        Assert.Equal(ProbeBackend.Classic, result.Backend);
        Assert.Equal(200, result.Connects.Count);
        Assert.All(result.Connects, c => Assert.Equal(0, c.Errno));
        Assert.Equal(200, result.Connects.Select(c => c.LocalPort).Distinct().Count());
        Assert.Equal(0, result.LostEvents);
        Assert.Equal(200, result.Traces.Count);
        for (var i = 0; i < 200; i++)
        {
            var t = result.Traces[i];
            Assert.Equal(result.Connects[i].LocalPort, t.ChosenPort);
            Assert.Equal(0, t.Return);
            Assert.NotNull(t.ScanNs);
            Assert.Equal((ushort)5501, t.PortChosen!.Value.DestinationPort);
            Assert.Equal("127.0.0.1", t.PortChosen!.Value.DestinationAddress);
        }
        output.WriteLine($"first ports: {string.Join(",", result.Connects.Take(10).Select(c => c.LocalPort))}; events {result.Events.Count}");
    }

    [Fact]
    public void Without_tracefs_the_classic_backend_fails_with_the_mount_hint()
    {
        LiveEnvironment.RequireOrSkip();
        if (Tracefs.IsMounted()) Assert.Skip("tracefs is mounted on this machine; the project never unmounts a mount it did not make");
        var e = Assert.Throws<ProbeUnavailableException>(() => ProbeSession.Open(new ProbeOptions { Backends = [ProbeBackend.Classic] }));
        Assert.Contains(Tracefs.NotMountedReason, e.Message, StringComparison.Ordinal);
        Assert.Contains("classic", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", e.Message, StringComparison.Ordinal);
        Assert.False(Tracefs.IsMounted());
    }

    [Fact]
    public void Auto_order_ends_with_classic_after_tp_btf()
    {
        Assert.Equal([ProbeBackend.Fentry, ProbeBackend.Kprobe, ProbeBackend.Tracepoint, ProbeBackend.Classic], ProbeBackendSpec.DefaultOrder);
        Assert.Equal([ProbeBackend.Classic], PortSelection.Validator.Cli.ProbeCommand.ParseBackends("classic"));
        Assert.Equal(ProbeBackendSpec.DefaultOrder, PortSelection.Validator.Cli.ProbeCommand.ParseBackends("auto"));
        Assert.Equal("connect_classic.bpf.o", ProbeBackendSpec.For(ProbeBackend.Classic).ObjectFile);
    }
}
