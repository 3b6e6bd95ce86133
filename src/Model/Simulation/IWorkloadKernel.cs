using PortSelection.Model.Selection;

namespace PortSelection.Model.Simulation;

/// <summary>
/// The kernel operations of a workload simulation — connect() autobind, close() with or without TIME_WAIT, TIME_WAIT
/// expiry — over connection handles. Two implementations give identical results: <see cref="CompactWorkloadKernel"/>
/// (arrays, the default) and <see cref="HostWorkloadKernel"/> (<see cref="KernelHost"/>, the general host).
/// </summary>
internal interface IWorkloadKernel
{
    /// <summary>connect() to destination <paramref name="destination"/> of the spec from source <paramref name="source"/> (−1: none bound); the new handle or −1.</summary>
    /// <param name="destination">Index into <see cref="WorkloadSpec.Destinations"/>.</param>
    /// <param name="source">Index into <see cref="WorkloadSpec.NoPortSources"/>, or −1 when the socket binds no address.</param>
    /// <param name="nowMs">Current time (ms).</param>
    /// <param name="counters">The scan's work counters.</param>
    /// <param name="port">The chosen port (0 on failure).</param>
    /// <param name="takenOver">The TIME_WAIT connection whose 4-tuple the new one took over, else −1.</param>
    int Connect(int destination, int source, long nowMs, out ScanCounters counters, out int port, out int takenOver);

    /// <summary>close() of a connection at <paramref name="nowMs"/>: into TIME_WAIT, or gone (and its handle free).</summary>
    void Close(int handle, long nowMs, bool timeWait);

    /// <summary>Time moves to <paramref name="nowMs"/> (before TIME_WAIT expiries are reported).</summary>
    void AdvanceTo(long nowMs);

    /// <summary>The TIME_WAIT of <paramref name="handle"/> ended (60 s after its close): its handle is free.</summary>
    void Expire(int handle);

    /// <summary>The handle of a TIME_WAIT connection reported as <c>takenOver</c> by <see cref="Connect"/> is free.</summary>
    void ReleaseTakenOver(int handle);

    /// <summary>A hint: the connection <paramref name="handle"/> closes soon (its tables may be fetched into the cache).</summary>
    void Prefetch(int handle);

    /// <summary>A hint: the next connect goes to <paramref name="destination"/> (its tables may be fetched into the cache).</summary>
    void PrefetchDestination(int destination);

    /// <summary>Ehash entries (live and TIME_WAIT).</summary>
    int Established { get; }

    /// <summary>TIME_WAIT entries.</summary>
    int TimeWait { get; }
}
