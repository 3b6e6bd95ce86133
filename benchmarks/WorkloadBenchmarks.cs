using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Simulation;

namespace PortSelection.Benchmarks;

/// <summary>
/// Workload simulation throughput (era E, 6.18): <see cref="WorkloadSimulation.Run"/> with fixed arrivals, exponential
/// lifetimes and server-side close (no TIME_WAIT), sized so that the steady state holds 50 % or 95 % of an 8192-port
/// range per destination, for 1 and 64 destinations. One operation = one connect() event (the time per operation is
/// the whole simulation — arrivals, closes, scans, statistics — divided by the number of arrivals; events/s = 1e9 / ns).
/// </summary>
[MemoryDiagnoser]
public class WorkloadBenchmarks
{
    /// <summary>Ports per destination (32768–40959).</summary>
    public const int RangePorts = 8192;

    /// <summary>connect() events per run.</summary>
    public const int Events = 1_000_000;

    [Params(1, 64)]
    public int Destinations { get; set; } = 1;

    [Params(50, 95)]
    public int OccupancyPercent { get; set; } = 95;

    private WorkloadSpec _spec = null!;

    [GlobalSetup]
    public void Setup() => _spec = Spec(Destinations, OccupancyPercent);

    /// <summary>The workload: <see cref="Events"/> arrivals over 2 s; mean lifetime from Little's law for the occupancy.</summary>
    public static WorkloadSpec Spec(int destinations, int occupancyPercent)
    {
        double rate = Events / 2.0;
        double inUse = destinations * (double)RangePorts * occupancyPercent / 100.0;
        return new WorkloadSpec
        {
            Kernel = KernelProfile.FromRelease("6.18.44"),
            Namespace = new NamespaceConfig { Range = new PortRange(32768, 32768 + RangePorts - 1) },
            Destinations = [.. Enumerable.Range(0, destinations).Select(d => new WorkloadDestination(new Ipv4Address(0x0A010000u + (uint)d), 443))],
            Arrivals = new ArrivalProcess(ArrivalKind.Fixed, rate),
            Lifetime = LifetimeDistribution.Exponential(inUse / rate * 1000.0),
            Close = CloseSide.Server,
            DurationMs = 2_000,
            StepMs = 100,
            Seed = 7,
        };
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long Simulate() => WorkloadSimulation.Run(_spec).Opened;
}
