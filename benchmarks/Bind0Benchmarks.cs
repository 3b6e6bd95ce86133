using BenchmarkDotNet.Attributes;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Benchmarks;

/// <summary>bind(0) on a crowded default range (9 of 10 ports BindOwned by listeners' binds), then close (6.18).</summary>
[MemoryDiagnoser]
public class Bind0Benchmarks
{
    private KernelHost _host = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = Hosts.Empty("6.18.44", reference: false);
        for (int p = 32768; p <= 60999; p++)
            if (p % 10 != 0) _host.PlaceBinding(0, p, Ipv4Address.Parse("127.0.0.9"));
    }

    [Benchmark]
    public int? Bind0Crowded()
    {
        int s = _host.Socket(0);
        var r = _host.BindSocket(s, Hosts.Lo, 0);
        _host.Close(s, 0);
        return r.Port;
    }
}
