using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using PortSelection.Model.Selection;

namespace PortSelection.Benchmarks;

/// <summary>
/// Era E (6.18), fixed seed: fill the default range (28,232 ports) to one destination until EADDRNOTAVAIL, then 100
/// failing connects, through <see cref="KernelHost"/>. Returns the candidates examined (for candidates per second).
/// The reference variant examines ~202 M candidates: one iteration only.
/// </summary>
[MemoryDiagnoser]
public class FillBenchmarks
{
    private KernelHost _host = null!;

    [IterationSetup]
    public void Setup() => _host = Hosts.Empty("6.18.44", reference: false);

    [Benchmark]
    public long FastFillPlus100Failures() => Fill(_host);

    internal static long Fill(KernelHost h)
    {
        long candidates = 0;
        int failures = 0;
        while (failures < 100)
        {
            var r = h.Connect(h.Socket(0), Hosts.Lo, Hosts.Dport);
            candidates += r.Counters.Candidates;
            if (r.Port is null) failures++;
        }
        return candidates;
    }
}

/// <summary>The reference fill (same workload as <see cref="FillBenchmarks"/>), one cold iteration.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.ColdStart, launchCount: 1, warmupCount: 0, iterationCount: 1)]
public class ReferenceFillBenchmarks
{
    private KernelHost _host = null!;

    [IterationSetup]
    public void Setup() => _host = Hosts.Empty("6.18.44", reference: true);

    [Benchmark]
    public long ReferenceFillPlus100Failures() => FillBenchmarks.Fill(_host);
}
