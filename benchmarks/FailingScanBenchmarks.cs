using BenchmarkDotNet.Attributes;
using PortSelection.Model.Selection;

namespace PortSelection.Benchmarks;

/// <summary>
/// One full failing connect() per era on the exhausted default range (28,232 ports, every one a live 4-tuple to the
/// destination): the whole scan (both passes where the era has two) ends in EADDRNOTAVAIL. <c>ConnectFast</c> goes
/// through <see cref="KernelHost"/> on one unconnected socket (a failure changes no state); <c>Scan</c> is
/// <see cref="FastConnectScan.Scan"/> alone. Both return the candidates examined (28,232 or 2 × 14,116).
/// </summary>
[MemoryDiagnoser]
public class FailingScanBenchmarks
{
    [Params("3.13", "4.4", "5.10.13", "5.15.0", "6.1", "6.18.44")]
    public string Kernel { get; set; } = "6.18.44";

    private KernelHost _host = null!;
    private int _socket;
    private ConnectScanRequest _req = null!;
    private readonly SeededDraws _draws = new(7);

    [GlobalSetup]
    public void Setup()
    {
        _host = Hosts.Occupied(Kernel, "exhausted");
        _socket = _host.Socket(0);
        _req = new ConnectScanRequest
        {
            Profile = _host.Profile, Config = _host.ConfigOf(0), Netns = 0,
            Destination = new PortSelection.Model.Ports.Destination(Hosts.Lo, Hosts.Lo, Hosts.Dport), PortOffset = 0x1234_5678_9ABC_DEF0,
        };
        if (_host.ConnectFast(_socket, Hosts.Lo, Hosts.Dport).Port is not null) throw new InvalidOperationException("range not exhausted");
    }

    [Benchmark]
    public int ConnectFast() => _host.ConnectFast(_socket, Hosts.Lo, Hosts.Dport).Counters.Candidates;

    [Benchmark]
    public int Scan() => FastConnectScan.Scan(_req, _host.Bind, _host.Established, _host.Perturb, _draws).Counters.Candidates;
}
