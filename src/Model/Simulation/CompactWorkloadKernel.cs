using System.Collections.Immutable;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Model.Simulation;

/// <summary>The workload operations on a <see cref="CompactHost"/> (destination tables resolved once per destination and source).</summary>
internal readonly struct CompactWorkloadKernel : IWorkloadKernel
{
    private readonly CompactHost _host;
    private readonly int[] _ids; // destination × max(1, sources) + source → CompactHost destination id
    private readonly int _sources;

    /// <summary>The kernel of <paramref name="spec"/> (which <see cref="CompactHost.Supports"/>).</summary>
    public CompactWorkloadKernel(WorkloadSpec spec)
    {
        // The chain positions are kept only when the cost formula weighs the chain nodes (no result depends on them otherwise).
        _host = new CompactHost(spec, chainNodes: spec.Calibration.PerChainNodeNs != 0);
        var sources = spec.NoPortSources.IsDefault ? ImmutableArray<Ipv4Address>.Empty : spec.NoPortSources;
        _sources = Math.Max(1, sources.Length);
        _ids = new int[spec.Destinations.Length * _sources];
        for (int d = 0; d < spec.Destinations.Length; d++)
        {
            var target = spec.Destinations[d];
            // The spec's routed source when the socket has no address (KernelHost.ConnectFast with routedSource), else the bound one.
            var routed = spec.Source;
            for (int s = 0; s < _sources; s++)
            {
                var source = sources.Length > 0 && !sources[s].IsAny ? sources[s] : routed;
                _ids[d * _sources + s] = _host.DestinationId(new Destination(source, target.Address, target.Port));
            }
        }
    }

    /// <inheritdoc />
    public int Connect(int destination, int source, long nowMs, out ScanCounters counters, out int port, out int takenOver) =>
        _host.Connect(_ids[destination * _sources + Math.Max(0, source)], nowMs, out counters, out port, out takenOver);

    /// <inheritdoc />
    public void Close(int handle, long nowMs, bool timeWait)
    {
        if (timeWait) _host.CloseToTimeWait(handle, nowMs);
        else _host.Close(handle);
    }

    /// <inheritdoc />
    public void AdvanceTo(long nowMs) { }

    /// <inheritdoc />
    public void Expire(int handle) => _host.Expire(handle);

    /// <inheritdoc />
    public void ReleaseTakenOver(int handle) => _host.ReleaseTakenOver(handle);

    /// <inheritdoc />
    public void Prefetch(int handle) => _host.Prefetch(handle);

    /// <inheritdoc />
    public void PrefetchDestination(int destination) => _host.PrefetchDestination(_ids[destination * _sources]);

    /// <inheritdoc />
    public int Established => _host.Established;

    /// <inheritdoc />
    public int TimeWait => _host.TimeWait;
}
