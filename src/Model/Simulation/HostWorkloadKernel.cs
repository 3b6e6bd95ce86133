using System.Collections.Immutable;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Model.Simulation;

/// <summary>The workload operations on a <see cref="KernelHost"/>: one socket per connection, released when it holds nothing.</summary>
internal readonly struct HostWorkloadKernel : IWorkloadKernel
{
    private readonly KernelHost _host;
    private readonly int _ns;
    private readonly WorkloadSpec _spec;
    private readonly ImmutableArray<Ipv4Address> _sources;
    private readonly SocketOptions _options;

    /// <summary>The host of <paramref name="spec"/>: boot secret, perturb table and port offsets drawn from its seed, its listening ports placed.</summary>
    public HostWorkloadKernel(WorkloadSpec spec)
    {
        var profile = spec.Kernel;
        _spec = spec;
        _host = new KernelHost(profile, new SeededDraws(spec.Seed), KernelPortOffset.ForSimulation(profile, new SeededDraws(spec.Seed ^ 0x5EED)));
        _ns = _host.AddNamespace(spec.Namespace);
        foreach (int port in spec.BindOwnedPorts.Ports()) _host.PlaceBinding(_ns, port, Ipv4Address.Any, listening: true);
        _sources = spec.NoPortSources.IsDefault ? [] : spec.NoPortSources;
        _options = new SocketOptions
        {
            LocalPortRange = spec.PerSocketRange, Timestamps = spec.Timestamps, BindAddressNoPort = _sources.Length > 0,
        };
    }

    /// <inheritdoc />
    public int Connect(int destination, int source, long nowMs, out ScanCounters counters, out int port, out int takenOver)
    {
        var target = _spec.Destinations[destination];
        int socket = _host.Socket(_ns, _options);
        if (source >= 0) _host.BindSocket(socket, _sources[source], 0);
        var res = _host.ConnectFast(socket, target.Address, target.Port, nowMs, _spec.Source);
        counters = res.Counters;
        takenOver = -1;
        if (res.Port is int p)
        {
            port = p;
            if (res.Scan.ReusedTimeWait is { } tw) takenOver = tw.SocketId;
            return socket;
        }
        port = 0;
        _host.Close(socket, nowMs);
        _host.Release(socket);
        return -1;
    }

    /// <inheritdoc />
    public void Close(int handle, long nowMs, bool timeWait)
    {
        _host.Close(handle, nowMs, timeWait ? CloseKind.TimeWait : CloseKind.NoTimeWait);
        if (!timeWait) _host.Release(handle);
    }

    /// <inheritdoc />
    public void AdvanceTo(long nowMs) => _host.AdvanceTo(nowMs);

    /// <inheritdoc />
    public void Expire(int handle) => _host.Release(handle);

    /// <inheritdoc />
    public void ReleaseTakenOver(int handle) => _host.Release(handle);

    /// <inheritdoc />
    public void Prefetch(int handle) { }

    /// <inheritdoc />
    public void PrefetchDestination(int destination) { }

    /// <inheritdoc />
    public int Established => _host.Established.Count;

    /// <inheritdoc />
    public int TimeWait => _host.Established.TimeWaitCount;
}
