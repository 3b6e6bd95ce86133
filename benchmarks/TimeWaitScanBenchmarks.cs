using BenchmarkDotNet.Attributes;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Benchmarks;

/// <summary>
/// One full failing connect() on the default range (28,232 ports) where every port is a TIME_WAIT 4-tuple to the
/// destination (loopback), 10 s old: with tcp_tw_reuse 0 no candidate can be reused (the fast scan counts them in
/// bulk); with tcp_tw_reuse 1, on 6.18 (20 s reuse delay) every TIME_WAIT bit is age-checked one by one, on 5.10 the
/// entries have no peer timestamps and are busy in bulk again. Fast (<see cref="KernelHost.ConnectFast"/>) against the
/// reference scan; both return the candidates examined.
/// </summary>
[MemoryDiagnoser]
public class TimeWaitScanBenchmarks
{
    [Params("5.10.13", "6.18.44")]
    public string Kernel { get; set; } = "6.18.44";

    [Params(0, 1)]
    public int TwReuse { get; set; }

    private KernelHost _fast = null!, _reference = null!;
    private int _fs, _rs;
    private const long Now = 100_000;

    [GlobalSetup]
    public void Setup()
    {
        _fast = Make(reference: false);
        _reference = Make(reference: true);
        _fs = _fast.Socket(0);
        _rs = _reference.Socket(0);
        if (_fast.ConnectFast(_fs, Hosts.Lo, Hosts.Dport, Now).Port is not null) throw new InvalidOperationException("a TIME_WAIT port was reused");
    }

    private KernelHost Make(bool reference)
    {
        var profile = KernelProfile.FromRelease(Kernel);
        var h = new KernelHost(profile, new SeededDraws(42), new FixedPortOffset(0x1234_5678_9ABC_DEF0),
            perturb: new PerturbState(profile.PerturbOrder, null, 0x0BADF00D, 0x0BADF00D)) { UseReferenceScan = reference };
        // 6.14+: 20 s reuse delay, entries 10 s old ⇒ too young; older kernels: no peer timestamps ⇒ never reusable.
        bool delayRule = profile.TimeWaitAge == TimeWaitAgeRule.ReuseDelayMilliseconds;
        h.AddNamespace(new NamespaceConfig { Range = new PortRange(32768, 60999), TcpTwReuse = TwReuse, TcpTwReuseDelayMs = 20_000 });
        var opts = delayRule ? null : new SocketOptions { Timestamps = false };
        for (int p = 32768; p <= 60999; p++)
            h.PlaceConnection(0, new FourTuple(Hosts.Lo, p, Hosts.Lo, Hosts.Dport), timeWaitSinceMs: Now - 10_000, options: opts);
        h.AdvanceTo(Now);
        return h;
    }

    [Benchmark]
    public int Fast() => _fast.ConnectFast(_fs, Hosts.Lo, Hosts.Dport, Now).Counters.Candidates;

    [Benchmark(Baseline = true)]
    public int Reference() => _reference.ConnectFast(_rs, Hosts.Lo, Hosts.Dport, Now).Counters.Candidates;
}
