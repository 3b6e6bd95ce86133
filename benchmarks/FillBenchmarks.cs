using BenchmarkDotNet.Attributes;
using PortSelection.Model.Selection;

namespace PortSelection.Benchmarks;

/// <summary>
/// Era E (6.18), fixed seed: fill the default range (28,232 ports) to one destination until EADDRNOTAVAIL, then 100
/// failing connects, through <see cref="KernelHost.ConnectFast"/>. Returns the candidates examined (~202 M); the
/// global setup runs the same fill once with the reference scan (untimed, about a minute) and the cleanup checks that
/// every timed fill examined exactly as many candidates (it throws otherwise) and prints both totals.
/// </summary>
[MemoryDiagnoser]
public class FillBenchmarks
{
    private KernelHost _host = null!;
    private long _referenceTotal;
    private long _lastTotal = -1;
    private bool _mismatch;

    [GlobalSetup]
    public void ComputeReferenceTotal() => _referenceTotal = Fill(Hosts.Empty("6.18.44", reference: true));

    [IterationSetup]
    public void Setup() => _host = Hosts.Empty("6.18.44", reference: false);

    [Benchmark]
    public long FastFillPlus100Failures()
    {
        long total = Fill(_host);
        _lastTotal = total;
        if (total != _referenceTotal) _mismatch = true;
        return total;
    }

    [GlobalCleanup]
    public void Check()
    {
        Console.WriteLine($"// candidates: fast {_lastTotal}, reference {_referenceTotal}");
        if (_mismatch) throw new InvalidOperationException($"fast fill examined {_lastTotal} candidates, the reference {_referenceTotal}");
    }

    /// <summary>The fill: connects until 100 have failed; the total of candidates examined.</summary>
    internal static long Fill(KernelHost h)
    {
        long candidates = 0;
        int failures = 0;
        int socket = h.Socket(0);
        while (failures < 100)
        {
            var r = h.ConnectFast(socket, Hosts.Lo, Hosts.Dport);
            candidates += r.Counters.Candidates;
            if (r.Port is null) failures++;
            else socket = h.Socket(0);
        }
        return candidates;
    }
}

/// <summary>The reference fill (same workload as <see cref="FillBenchmarks"/>): exactly one cold iteration (<see cref="OneShotConfig"/>).</summary>
[Config(typeof(OneShotConfig))]
public class ReferenceFillBenchmarks
{
    private KernelHost _host = null!;

    [IterationSetup]
    public void Setup() => _host = Hosts.Empty("6.18.44", reference: true);

    [Benchmark]
    public long ReferenceFillPlus100Failures() => FillBenchmarks.Fill(_host);
}
