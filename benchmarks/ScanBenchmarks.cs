using BenchmarkDotNet.Attributes;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Benchmarks;

/// <summary>One connect() scan (no state change kept: the hint / slot is restored) per era and occupancy, fast vs reference.</summary>
[MemoryDiagnoser]
public class ScanBenchmarks
{
    [Params("3.13", "4.4", "5.10.13", "5.15.0", "6.1", "6.18.44")]
    public string Kernel { get; set; } = "6.18.44";

    [Params("sparse", "half", "exhausted")]
    public string Occupancy { get; set; } = "sparse";

    private KernelHost _host = null!;
    private ConnectScanRequest _req = null!;
    private readonly SeededDraws _draws = new(7);

    [GlobalSetup]
    public void Setup()
    {
        _host = Hosts.Occupied(Kernel, Occupancy);
        var cfg = _host.ConfigOf(0);
        _req = new ConnectScanRequest
        {
            Profile = _host.Profile, Config = cfg, Netns = 0, Destination = new Destination(Hosts.Lo, Hosts.Lo, Hosts.Dport),
            PortOffset = 0x1234_5678_9ABC_DEF0,
        };
    }

    [Benchmark]
    public int Fast()
    {
        var st = _host.Perturb;
        uint hint = st.Hint;
        var o = FastConnectScan.Scan(_req, _host.Bind, _host.Established, st, _draws);
        st.Hint = hint;
        if (o.Index is int ix) st[ix] = o.StateBefore;
        return o.Counters.Candidates;
    }

    [Benchmark(Baseline = true)]
    public int Reference()
    {
        var st = _host.Perturb;
        uint hint = st.Hint;
        var o = ConnectScan.Run(_req, _host.Bind, _host.Established, st, _draws);
        st.Hint = hint;
        if (o.Index is int ix) st[ix] = o.StateBefore;
        return o.Counters.Candidates;
    }
}
