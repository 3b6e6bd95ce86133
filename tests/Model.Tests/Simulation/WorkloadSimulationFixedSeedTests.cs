using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Simulation;

namespace PortSelection.Model.Tests.Simulation;

/// <summary>
/// Fixed-seed workload runs pinned to the outputs of the simulation before its per-event path was made cheap
/// (issue #6, perf3: ConnectFast, array bins, bulk TIME_WAIT in the fast scan): same seed, same results. Covers
/// TIME_WAIT recycling (tcp_tw_reuse 1 to the loopback), exhaustion failures (5.10, tcp_tw_reuse 2 with a
/// non-loopback destination), TIME_WAIT expiry and server-side close.
/// </summary>
public class WorkloadSimulationFixedSeedTests
{
    [Theory]
    [InlineData("6.18.44", 1, CloseSide.Client, 26947, 26947, 0, 4173011, 25427, 1, 898, 1519, 674077173, 480699.7559999603, 150, 0)]
    [InlineData("5.10.13", 2, CloseSide.Client, 26999, 22226, 4773, 7797258, 19187, 1013, 1586, 2026, 672313997, 1561661.9459999593, 200, 4773)]
    [InlineData("6.18.44", 2, CloseSide.Server, 26947, 26947, 0, 139605, 0, 0, 0, 621, 674013810, 91331.19000000239, 68, 0)]
    public void Fixed_seed_run_gives_the_pinned_outputs(string kernel, int twReuse, CloseSide close, long attempts, long opened, long failures,
        long candidates, long recycled, long expired, int hostTimeWait, int hostEstablished, long fillSum, double cpuUsSum, int bins, int stepFailures)
    {
        var spec = new WorkloadSpec
        {
            Kernel = KernelProfile.FromRelease(kernel),
            Namespace = new NamespaceConfig { Range = new PortRange(32768, 33791), TcpTwReuse = twReuse, Reserved = PortListSyntax.Parse("33000-33010") },
            Destinations = [new WorkloadDestination(Ipv4Address.Loopback, 7000, 3), new WorkloadDestination(new Ipv4Address(0x0A000002), 443)],
            Arrivals = new ArrivalProcess(ArrivalKind.Poisson, 300),
            Lifetime = LifetimeDistribution.Exponential(2000),
            Close = close, DurationMs = 90_000, StepMs = 1000, Seed = 99,
        };
        var r = WorkloadSimulation.Run(spec);
        Assert.Equal(attempts, r.Attempts);
        Assert.Equal(opened, r.Opened);
        Assert.Equal(failures, r.Failures);
        Assert.Equal(candidates, r.TotalCandidates);
        Assert.Equal(recycled, r.TimeWaitRecycled);
        Assert.Equal(expired, r.TimeWaitExpired);
        Assert.Equal(hostTimeWait, r.HostTimeWait);
        Assert.Equal(hostEstablished, r.HostEstablished);
        Assert.Equal(fillSum, r.FillSequence.Sum(x => (long)x));
        Assert.Equal(cpuUsSum, r.CpuUsSamples.Sum());
        Assert.Equal(bins, r.Bins.Sum(b => b.Length));
        Assert.Equal(stepFailures, r.Steps.Sum(s => s.Failures));
    }
}
