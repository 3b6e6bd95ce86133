using BenchmarkDotNet.Attributes;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Benchmarks;

/// <summary>
/// Memory per simulated socket (era E, 6.18, default range 32768–60999, connects without TIME_WAIT; port_offset per
/// destination from a seeded SipHash secret, <see cref="KernelPortOffset.ForSimulation"/>, as in the workload simulation).
/// <para><b>Build10k / Build100k</b>: a fresh <see cref="KernelHost"/> and N = 10,000 or 100,000 live connections made
/// with <see cref="KernelHost.Socket"/> + <see cref="KernelHost.ConnectFast"/>, spread round-robin over
/// <see cref="Destinations"/> destinations (10.1.0.d:443). OperationsPerInvoke = N, so the Allocated column is the bytes
/// allocated for the whole build divided by N — bytes per connection, the host's fixed tables (bhash, ehash heads,
/// per-namespace port slots, per-destination port maps) included and amortised — and Mean is the time per connect of the
/// build. Allocated counts garbage too (list growth); the global setup also prints the bytes still reachable per
/// connection after a full GC (retained), to compare.</para>
/// <para>One source address gives 28,232 ports per destination, so 100,000 connections to one destination use
/// <see cref="SourcesFor"/> = 8 source addresses (10.0.0.1–8, 12,500 ports each, 44 %); every other case uses one.</para>
/// <para><b>Churn10k / Churn100k</b>: steady state on a host holding N live connections: close the oldest
/// (<see cref="KernelHost.Close"/>, no TIME_WAIT), <see cref="KernelHost.Release"/> its socket, open a new
/// <see cref="KernelHost.Socket"/> and <see cref="KernelHost.ConnectFast"/> it to the same destination and source. One
/// operation = one close + one connect; the target is 0 B allocated.</para>
/// </summary>
[MemoryDiagnoser]
public class SocketMemoryBenchmarks
{
    /// <summary>The smaller host.</summary>
    public const int Small = 10_000;

    /// <summary>The larger host.</summary>
    public const int Large = 100_000;

    /// <summary>Ports of the default range (32768–60999).</summary>
    public const int RangePorts = 28_232;

    /// <summary>Destination port.</summary>
    public const int Dport = 443;

    /// <summary>Distinct destinations (addresses 10.1.0.0 + d, port 443).</summary>
    [Params(1, 64)]
    public int Destinations { get; set; } = 1;

    private Ipv4Address[] _dst = null!, _src = null!;
    private long _expectedPortSum;
    private long _lastPortSum;
    private bool _buildMismatch;

    // churn state
    private KernelHost _host = null!;
    private int[] _ring = null!;        // socket ids, oldest at _head
    private int[] _ringPair = null!;    // (destination, source) pair index of each ring slot
    private int _head;
    private int _churnN;
    private bool _churnFailed;

    /// <summary>Source addresses needed so that no (source, destination) pair holds more than half the range.</summary>
    /// <param name="n">Connections.</param>
    /// <param name="destinations">Destinations.</param>
    public static int SourcesFor(int n, int destinations) => Math.Max(1, (int)Math.Ceiling(n / (destinations * (RangePorts / 2.0))));

    private void Addresses(int n)
    {
        _dst = [.. Enumerable.Range(0, Destinations).Select(d => new Ipv4Address(0x0A010000u + (uint)d))];
        _src = [.. Enumerable.Range(1, SourcesFor(n, Destinations)).Select(s => new Ipv4Address(0x0A000000u + (uint)s))];
    }

    /// <summary>Builds a host with <paramref name="n"/> live connections; returns it and the sum of the chosen ports.</summary>
    private KernelHost Build(int n, out long portSum, int[]? ring = null, int[]? ringPair = null)
    {
        var profile = KernelProfile.FromRelease("6.18.44");
        var h = new KernelHost(profile, new SeededDraws(42), KernelPortOffset.ForSimulation(profile, new SeededDraws(42 ^ 0x5EED)));
        h.AddNamespace(new NamespaceConfig { Range = new PortRange(32768, 60999) });
        int d = _dst.Length, pairs = d * _src.Length;
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            int pair = i % pairs;
            int s = h.Socket(0);
            var r = h.ConnectFast(s, _dst[pair % d], Dport, 0, _src[pair / d]);
            if (r.Port is not int port) throw new InvalidOperationException($"connect {i} failed: {r.Error}");
            sum += port;
            if (ring is not null) { ring[i] = s; ringPair![i] = pair; }
        }
        portSum = sum;
        return h;
    }

    private void SetupBuild(int n)
    {
        Addresses(n);
        Build(n, out _expectedPortSum);   // warm the code paths
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long before = GC.GetTotalMemory(true);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var h = Build(n, out long sum);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        long retained = GC.GetTotalMemory(true) - before;
        GC.KeepAlive(h);
        if (sum != _expectedPortSum) throw new InvalidOperationException("the build is not deterministic");
        if (h.Established.Count != n) throw new InvalidOperationException($"{h.Established.Count} ehash entries, expected {n}");
        Console.WriteLine($"// N = {n}, {Destinations} destination(s), {_src.Length} source(s): allocated {allocated / (double)n:F0} B/connection, " +
                          $"retained {retained / (double)n:F0} B/connection ({retained / 1048576.0:F1} MiB for the host)");
    }

    /// <summary>Untimed: the expected port sum and the allocated / retained bytes per connection of a 10,000-connection host.</summary>
    [GlobalSetup(Targets = [nameof(Build10k)])]
    public void SetupBuild10k() => SetupBuild(Small);

    /// <summary>Untimed: the same for 100,000 connections.</summary>
    [GlobalSetup(Targets = [nameof(Build100k)])]
    public void SetupBuild100k() => SetupBuild(Large);

    private long TimedBuild(int n)
    {
        var h = Build(n, out long sum);
        _lastPortSum = sum;
        if (sum != _expectedPortSum || h.Established.Count != n) _buildMismatch = true;
        return sum;
    }

    /// <summary>A host with 10,000 live connections; per operation = per connection.</summary>
    [Benchmark(OperationsPerInvoke = Small)]
    public long Build10k() => TimedBuild(Small);

    /// <summary>A host with 100,000 live connections; per operation = per connection.</summary>
    [Benchmark(OperationsPerInvoke = Large)]
    public long Build100k() => TimedBuild(Large);

    /// <summary>Throws when a timed build chose other ports than the setup's (the builds are deterministic).</summary>
    [GlobalCleanup(Targets = [nameof(Build10k), nameof(Build100k)])]
    public void CheckBuild()
    {
        Console.WriteLine($"// port sum: build {_lastPortSum}, setup {_expectedPortSum}");
        if (_buildMismatch) throw new InvalidOperationException($"a timed build gave port sum {_lastPortSum}, the setup {_expectedPortSum}");
    }

    private void SetupChurn(int n)
    {
        Addresses(n);
        _churnN = n;
        _ring = new int[n];
        _ringPair = new int[n];
        _head = 0;
        _host = Build(n, out _, _ring, _ringPair);
    }

    /// <summary>Untimed: a host with 10,000 live connections.</summary>
    [GlobalSetup(Targets = [nameof(Churn10k)])]
    public void SetupChurn10k() => SetupChurn(Small);

    /// <summary>Untimed: a host with 100,000 live connections.</summary>
    [GlobalSetup(Targets = [nameof(Churn100k)])]
    public void SetupChurn100k() => SetupChurn(Large);

    private int Churn()
    {
        int slot = _head;
        int old = _ring[slot], pair = _ringPair[slot], d = _dst.Length;
        _host.Close(old, 0);
        _host.Release(old);
        int s = _host.Socket(0);
        var r = _host.ConnectFast(s, _dst[pair % d], Dport, 0, _src[pair / d]);
        if (r.Port is null) _churnFailed = true;
        _ring[slot] = s;
        _head = slot + 1 == _ring.Length ? 0 : slot + 1;
        return r.Port ?? -1;
    }

    /// <summary>Close the oldest of 10,000 live connections and connect a new one; returns the new port.</summary>
    [Benchmark]
    public int Churn10k() => Churn();

    /// <summary>Close the oldest of 100,000 live connections and connect a new one; returns the new port.</summary>
    [Benchmark]
    public int Churn100k() => Churn();

    /// <summary>Throws when a churn connect failed or the number of live connections changed.</summary>
    [GlobalCleanup(Targets = [nameof(Churn10k), nameof(Churn100k)])]
    public void CheckChurn()
    {
        Console.WriteLine($"// churn: {_host.Established.Count} live connections (expected {_churnN}), failed connects: {_churnFailed}");
        if (_churnFailed || _host.Established.Count != _churnN)
            throw new InvalidOperationException($"churn left {_host.Established.Count} connections (expected {_churnN}) or a connect failed");
    }
}
