using System.Numerics;
using System.Runtime.CompilerServices;
using PortSelection.Model.Hashing;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Simulation;

/// <summary>
/// The kernel state a workload simulation needs, in arrays: one namespace (<c>net_hash_mix</c> 0), connections as
/// integer handles (destination id and local port: a connection is its 4-tuple), the ehash chains as member lists per
/// bucket (<see cref="EhashChains"/>), the owners of each local port as a count, and the same port indexes as <see cref="KernelHost"/>'s tables (<see cref="NetnsBindIndex"/>, per destination a
/// live <see cref="PortCostMap"/> and a <see cref="TimeWaitPortMap"/>), so that <see cref="FastConnectScan"/> runs
/// unchanged over them (its lean lane of era E without chain positions written out: <see cref="LeanEraEScan"/>). Every connect gives the same port, counters and state change as <see cref="KernelHost"/> does
/// for the operations of a simulation — a differential property compares whole simulations on both. (Built without chain
/// nodes, the ehash chains are not kept and only the chain-node counter differs: it reads 0.)
/// </summary>
/// <remarks>
/// <para>Kernel rules kept (shared/kernel/port-selection.md §2, §4): a port connect() takes gets a bucket created with
/// <c>fastreuse = fastreuseport = −1</c> (<c>__inet_hash_connect</c>, every era) that stays ConnectOwned while its owners
/// come and go — all of them connect-bound, so the 6.18 release rule (d57f4b874946) only ever resets it to −1/−1 — and is
/// destroyed with its last owner; the listening ports of <see cref="WorkloadSpec.BindOwnedPorts"/> are BindOwned buckets
/// (<c>inet_csk_update_fastreuse</c> with neither SO_REUSEADDR nor SO_REUSEPORT). With one namespace and the default
/// 65,536-chain bhash (<c>inet_bhashfn = (port + mix) &amp; (size − 1)</c>, unchanged 3.x → 7.2, port-selection.md §2)
/// every bucket is alone on its chain: a lookup
/// walks 1 node, or 0 when the port has no bucket. Ehash entries join their chain at the head
/// (<c>__sk_nulls_add_node_rcu</c>); a lookup walks to its match (the chain position, kept as the port's cost) or the whole
/// chain; the chain is <c>inet_ehashfn</c> of the 4-tuple (6.15+ port-additive, 9544d60a2605) masked by the table size.
/// A TIME_WAIT socket keeps its entry and its share of the bucket until it expires or a connect takes over its 4-tuple
/// (<c>tcp_twsk_unique()</c>, <c>inet_twsk_bind_unhash</c>).</para>
/// <para>Not covered (the simulation then runs on <see cref="KernelHost"/>): IP_BIND_ADDRESS_NO_PORT sources on a kernel
/// without the option (bind(addr, 0) would take a port), and a bhash smaller than 65,536 chains.</para>
/// </remarks>
internal sealed class CompactHost
{
    private const int ChunkShift = 6;
    private const int ChunkSize = 1 << ChunkShift;
    private const int PortBits = 16;

    /// <summary>The most destination ids a host holds (a handle is the id and the local port in 31 bits).</summary>
    public const int MaxDestinations = 1 << (31 - PortBits);

    private readonly KernelProfile _profile;
    private readonly NamespaceConfig _config;
    private readonly IRandomDraws _draws;
    private readonly IPortOffsetSource _offsets;
    private readonly PerturbState _perturb;
    private readonly PerSocketRange _socketRange;
    private readonly bool _timestamps;
    private readonly bool _portAdditive;
    private readonly uint _ehashMask;
    private readonly uint _ehashSecret;
    private readonly NetnsBindIndex _bind = new();
    private readonly int[] _owners = new int[65536];  // connect-bound owners (live and TIME_WAIT) per local port
    private readonly TimeWaitPortMap _emptyTimeWait = new();
    private readonly PortRange _scanRange;             // the range every connect scans (per-socket range applied)
    private readonly int _firstParityUsable;           // ports of the first scan pass's parity in the scan range, neither reserved nor listening
    private readonly bool _leanEraE;                   // connects may take LeanEraEScan (see the constructor)
    private bool _presentKept;                         // the bucket map (_bind.Present) follows _owners: see UnitBuckets
    private readonly Dictionary<Destination, int> _destinationIds = [];
    private Dest[] _dests = [];
    private readonly EhashChains? _chains;             // members: handles + 1 (never 0); null when chain positions are not kept

    /// <summary>Builds the state of <paramref name="spec"/> at time 0: the boot secret, perturb table and port offsets drawn from its seed as <see cref="KernelHost"/> draws them, and its listening ports.</summary>
    /// <param name="spec">The workload.</param>
    /// <param name="chainNodes">
    /// Keep every entry's ehash chain position, so that the scans count the chain nodes they walk (<see cref="ScanCounters.EhashNodes"/>).
    /// When false the chains are not kept at all and that counter reads 0 — for a run whose calibration gives chain nodes no
    /// weight (<see cref="Cost.CostCalibration.PerChainNodeNs"/> = 0: no result of the simulation depends on it). Every
    /// other counter, every port and every state change is the same either way.
    /// </param>
    public CompactHost(WorkloadSpec spec, bool chainNodes = true)
    {
        _profile = spec.Kernel;
        _config = spec.Namespace;
        _draws = new SeededDraws(spec.Seed);
        _offsets = KernelPortOffset.ForSimulation(_profile, new SeededDraws(spec.Seed ^ 0x5EED));
        _perturb = new PerturbState(_profile.PerturbOrder, _profile.PerturbOrder > 0 ? _draws : null);
        _socketRange = spec.PerSocketRange;
        _timestamps = spec.Timestamps;
        _portAdditive = _profile.EhashPortAdditive;
        var layout = TableLayout.Default;
        _ehashMask = (uint)layout.EhashSize - 1;
        _ehashSecret = layout.EhashSecret;
        _chains = chainNodes ? new EhashChains(layout.EhashSize) : null;
        foreach (int port in spec.BindOwnedPorts.Ports())
        {
            _bind.Present.Add(port, 1);
            _bind.SetBindOwned(port, true);
        }
        // Every connect scans the same range: the indexes keep its sums (whole passes summed in O(1)).
        _scanRange = PortCapacity.ScanShape(_profile, _config, _socketRange).Range;
        _bind.Present.TrackRange(_scanRange.Low, _scanRange.High);
        for (int p = _scanRange.Low; p <= _scanRange.High; p += 2)
            if (!_bind.IsBindOwned(p) && !_config.Reserved.Contains(p)) _firstParityUsable++;
        // While no scan can leave the lean lane — no listening port, no reserved port in the range, no TIME_WAIT — no scan
        // reads the bucket map (Tables.UnitBuckets): it is kept only from the first TIME_WAIT (rebuilt from the owners).
        bool leanNamespace = _bind.BindOwnedCount == 0 && !(_config.Reserved.Count > 0 && _config.Reserved.AnyInRange(_scanRange.Low, _scanRange.High));
        _presentKept = !leanNamespace;
        // The lean lane of FastConnectScan with nothing in the namespace to leave it for (no listening port, no reserved
        // port in the range; a destination's TIME_WAIT and chain positions are checked per connect): written out for era E.
        _leanEraE = leanNamespace && !_socketRange.IsSet && LeanEraEScan.Fits(_profile, _scanRange.Low, _scanRange.High);
    }

    /// <summary>True when <see cref="CompactHost"/> models <paramref name="spec"/> exactly (else run it on <see cref="KernelHost"/>).</summary>
    public static bool Supports(WorkloadSpec spec) =>
        TableLayout.Default.BhashSize >= 65536 && (spec.NoPortSources.IsDefaultOrEmpty || spec.Kernel.BindAddressNoPort)
        && (long)spec.Destinations.Length * Math.Max(1, spec.NoPortSources.IsDefault ? 0 : spec.NoPortSources.Length) <= MaxDestinations;

    /// <summary>Entries in the ehash (live and TIME_WAIT).</summary>
    public int Established { get; private set; }

    /// <summary>TIME_WAIT entries.</summary>
    public int TimeWait { get; private set; }

    /// <summary>The id of the tables of connections from <paramref name="destination"/>'s source to its address and port (created on first use).</summary>
    public int DestinationId(Destination destination)
    {
        if (_destinationIds.TryGetValue(destination, out int id)) return id;
        id = _dests.Length;
        Array.Resize(ref _dests, id + 1);
        _dests[id] = new Dest(destination, _profile.EhashPortAdditive
            ? EhashFn.HashPort0(destination.Source.Be32, destination.Address.Be32, (ushort)destination.Port, _ehashSecret, 0)
            : 0);
        _dests[id].Live.TrackRange(_scanRange.Low, _scanRange.High);
        _dests[id].Handle0 = id << PortBits;
        _destinationIds[destination] = id;
        return id;
    }

    /// <summary>
    /// connect() autobind to destination <paramref name="destinationId"/> at <paramref name="nowMs"/>: the fast scan and,
    /// on success, the commit. Returns the new connection's handle, or −1 (EADDRNOTAVAIL).
    /// </summary>
    /// <param name="destinationId">From <see cref="DestinationId"/>.</param>
    /// <param name="nowMs">Current time (ms, never decreasing).</param>
    /// <param name="counters">The scan's work counters.</param>
    /// <param name="port">The chosen port (0 on failure).</param>
    /// <param name="takenOver">The TIME_WAIT connection whose 4-tuple the new one takes over (its entry is gone; its handle, the new connection's too, needs no release), else −1.</param>
    public int Connect(int destinationId, long nowMs, out ScanCounters counters, out int port, out int takenOver)
    {
        var d = _dests[destinationId];
        if (d.OffsetMs != nowMs)
        {
            // port_offset depends on the destination and the time seed only: once per destination and millisecond.
            d.Offset = _offsets.PortOffset(d.Destination, nowMs);
            d.OffsetMs = nowMs;
        }
        var tables = new Tables(this, d, nowMs);
        int p;
        bool timeWaitReused = false;
        if (_leanEraE && (d.TimeWait is null || d.TimeWait.Ports.Count == 0) && !d.Live.HasCosts)
            p = LeanEraEScan.Scan(ref tables, d.Live, _scanRange.Low, _scanRange.High, _profile.RcuPreCheck, _perturb, _draws, d.Offset, out counters);
        else
        {
            var inputs = new ScanInputs(_profile, _config, 0, 0, d.Destination, _socketRange, d.Offset, nowMs);
            p = FastConnectScan.ScanPort(inputs, _config.Reserved, _bind, d.Live, d.TimeWait ?? _emptyTimeWait,
                ref tables, _perturb, _draws, out counters, out timeWaitReused);
        }
        takenOver = -1;
        port = p;
        if (p == 0) return -1;
        if (_owners[p]++ == 0 && _presentKept) _bind.Present.Add(p, 1);
        if (timeWaitReused)
        {
            takenOver = d.Handle0 | p;
            Unlink(d, p);
            _owners[p]--; // the new owner came first: the bucket stays
        }
        Insert(d, p);
        d.LastPort = p;
        return d.Handle0 | p;
    }

    /// <summary>close() without TIME_WAIT: the entry leaves the ehash, the owner its bucket.</summary>
    public void Close(int handle)
    {
        int port = handle & 0xFFFF;
        var d = _dests[handle >> PortBits];
        Unlink(d, port);
        Disown(port);
        if (_chains is not null && (port & 1) == (_scanRange.Low & 1)) d.Freed = port; // a hint for the chain-record prefetch only
    }

    /// <summary>close() into TIME_WAIT at <paramref name="nowMs"/>: the entry stays with its chain position, now in the TIME_WAIT index.</summary>
    public void CloseToTimeWait(int handle, long nowMs)
    {
        if (!_presentKept) KeepPresent();
        var d = _dests[handle >> PortBits];
        int port = handle & 0xFFFF;
        int cost = d.Live.CostAt(port);
        d.Live.Remove(port);
        var tw = d.TimeWait ??= new TimeWaitPortMap();
        tw.Set(port, _timestamps, finWait2: false);
        tw.Ports.SetCost(port, cost);
        d.SetStamp(port, nowMs);
        TimeWait++;
    }

    /// <summary>The TIME_WAIT of <paramref name="handle"/> is over (60 s): its entry and owner go.</summary>
    public void Expire(int handle) => Close(handle);

    /// <summary>The handle of a TIME_WAIT connection a connect took over (<see cref="Connect"/>'s <c>takenOver</c>) needs no release: nothing to do.</summary>
    public void ReleaseTakenOver(int handle) { }

    private void Disown(int port)
    {
        if (--_owners[port] == 0 && _presentKept) _bind.Present.Remove(port);
    }

    /// <summary>From now on the bucket map follows the owners (a scan may leave the lean lane): built from them once.</summary>
    private void KeepPresent()
    {
        for (int port = 1; port < _owners.Length; port++)
            if (_owners[port] > 0) _bind.Present.Add(port, 1);
        _presentKept = true;
    }

    /// <summary>A hint: <paramref name="handle"/> closes soon — its chain record and index word are fetched into the cache.</summary>
    public void Prefetch(int handle)
    {
        var d = _dests[handle >> PortBits];
        int port = handle & 0xFFFF;
        _chains?.Prefetch(BucketOf(d, port));
        d.Live.Prefetch(port);
    }

    /// <summary>
    /// A hint: the next connect goes to <paramref name="destinationId"/> — the index words where its scan most likely
    /// ends and the chain record of the port it most likely takes are fetched into the cache.
    /// </summary>
    public void PrefetchDestination(int destinationId)
    {
        var d = _dests[destinationId];
        int last = d.LastPort;
        d.Live.Prefetch(last);
        if (_chains is null) return; // the live index's member words: 1 KB for 8,192 ports, the next word on the same line mostly
        d.Live.Prefetch(last + 64);
        uint remaining = (uint)_scanRange.Count & ~1u;
        if (!_portAdditive || d.OffsetMs == long.MinValue || remaining < 2) return;
        // Its scan starts where the perturb slot now points (past the latest choice by i + 2, or by a random bump) with
        // the port offset of its latest connect (the time seed changes every 10 s), and takes the first free port of the
        // first pass's parity from there — or, when that parity is full (at high occupancy it is, but for the ports that
        // closes free one by one), the first free port of the other parity.
        int low = _scanRange.Low;
        int start = low + (int)(PerturbSlot.Start(_profile.Era, _perturb, d.Offset, remaining, out _, out _) & ~1u);
        int q0 = low & 1, port = 0;
        if (d.Live.TrackedCount(q0) < _firstParityUsable)
        {
            port = FirstFreeFrom(d, start, q0);
            if (port == 0 && d.Freed != 0 && !d.Live.Contains(d.Freed)) port = d.Freed; // freed far from the start
            if (port != 0) d.Live.Prefetch(port);
        }
        if (port == 0) port = FirstFreeFrom(d, start + 1, q0 ^ 1);
        if (port != 0) _chains.Prefetch(BucketOf(d, port));
    }

    /// <summary>
    /// The first port of parity <paramref name="q"/> from <paramref name="from"/> on that is not live to
    /// <paramref name="d"/>, within four index words and the scan range; 0 when there is none there.
    /// </summary>
    private int FirstFreeFrom(Dest d, int from, int q)
    {
        ulong parity = 0x5555555555555555UL << q;
        int w = from >> 6;
        ulong free = ~d.Live.BitsOf(w) & parity & (~0UL << (from & 63));
        for (int k = 0; free == 0 && k < 3 && w < (_scanRange.High >> 6); k++) free = ~d.Live.BitsOf(++w) & parity;
        int port = free == 0 ? 0 : (w << 6) | BitOperations.TrailingZeroCount(free);
        return port > _scanRange.High ? 0 : port;
    }

    /// <summary>The ehash bucket of the connection on <paramref name="port"/> to <paramref name="d"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint BucketOf(Dest d, int port) => d.Bucket(port, _portAdditive, _ehashSecret) & _ehashMask;

    /// <summary>A new live entry at the head of its ehash chain; the entries behind it move down one node.</summary>
    private void Insert(Dest d, int port)
    {
        if (_chains is { } chains)
        {
            var moves = new CostMoves(this);
            chains.Push(BucketOf(d, port), (uint)(d.Handle0 | port) + 1, ref moves);
        }
        d.Live.Add(port, _chains is null ? 0 : 1);
        Established++;
    }

    /// <summary>Removes the entry on <paramref name="port"/> to <paramref name="d"/> from its chain and indexes; the entries behind it move up one node.</summary>
    private void Unlink(Dest d, int port)
    {
        if (d.Live.Contains(port)) d.Live.Remove(port);
        else
        {
            d.TimeWait!.Remove(port);
            TimeWait--;
        }
        if (_chains is { } chains)
        {
            var moves = new CostMoves(this);
            chains.Remove(BucketOf(d, port), (uint)(d.Handle0 | port) + 1, ref moves);
        }
        Established--;
    }

    /// <summary>A chain position (ehash cost) moving: the member's live or TIME_WAIT index follows.</summary>
    private readonly struct CostMoves(CompactHost host) : EhashChains.IMoves
    {
        public void Moved(uint member, int by)
        {
            int h = (int)member - 1;
            var d = host._dests[h >> PortBits];
            int port = h & 0xFFFF;
            (d.Live.Contains(port) ? d.Live : d.TimeWait!.Ports).AddCost(port, by);
        }
    }

    /// <summary>The connections to one destination: the port indexes the scan reads and the TIME_WAIT entry times.</summary>
    private sealed class Dest(Destination destination, uint hashPort0)
    {
        private long[]?[]? _stamps; // TIME_WAIT entry time per port, in chunks of 64 ports (allocated on first TIME_WAIT)

        public readonly Destination Destination = destination;
        public readonly PortCostMap Live = new();
        public TimeWaitPortMap? TimeWait;
        public int Handle0;                 // the handles of these connections: Handle0 | port
        public int Freed;                   // the latest port of the first scan pass's parity a close freed (a cache hint)
        public int LastPort;                // the port of the latest connect (a cache hint: the next scan starts near it)
        public ulong Offset;                // port_offset at OffsetMs
        public long OffsetMs = long.MinValue;

        /// <summary>The TIME_WAIT entry time of the connection on <paramref name="port"/> (which must be in TIME_WAIT).</summary>
        public long StampAt(int port) => _stamps![port >> ChunkShift]![port & (ChunkSize - 1)];

        public void SetStamp(int port, long stampMs)
        {
            _stamps ??= new long[]?[65536 >> ChunkShift];
            (_stamps[port >> ChunkShift] ??= new long[ChunkSize])[port & (ChunkSize - 1)] = stampMs;
        }

        /// <summary><c>inet_ehashfn</c> of the 4-tuple with local port <paramref name="port"/> (not yet masked).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public uint Bucket(int port, bool portAdditive, uint secret) => portAdditive
            ? unchecked(hashPort0 + (uint)port)
            : EhashFn.InetEhashfn(Destination.Source.Be32, (ushort)port, Destination.Address.Be32, (ushort)Destination.Port, secret, 0, false);
    }

    /// <summary>The scan's lookups over these arrays.</summary>
    private readonly struct Tables(CompactHost host, Dest d, long nowMs) : IScanTables
    {
        /// <summary>One namespace, a 65,536-chain bhash: every bucket alone on its chain; a live connection's port has a bucket.</summary>
        public static bool UnitBuckets => true;

        public ScanBucket Bucket(int port, out int nodes)
        {
            if (host._bind.IsBindOwned(port)) { nodes = 1; return ScanBucket.BindOwned; }
            if (host._owners[port] > 0) { nodes = 1; return ScanBucket.ConnectOwned; }
            nodes = 0;
            return ScanBucket.None;
        }

        public ScanEntry Entry(int port, out int nodes)
        {
            if (d.Live.Contains(port))
            {
                nodes = d.Live.CostAt(port);
                return ScanEntry.Live;
            }
            if (d.TimeWait is { } tw && tw.Ports.Contains(port))
            {
                nodes = tw.Ports.CostAt(port);
                return ScanEntry.TimeWait;
            }
            nodes = host._chains is { } chains ? chains.Length(host.BucketOf(d, port)) : 0;
            return ScanEntry.None;
        }

        public bool TimeWaitUnique(int port)
        {
            if (d.TimeWait is not { } tw || !tw.Ports.Contains(port)) return true;
            long stamp = d.StampAt(port);
            return TimeWaitReuse.IsUnique(host._profile, host._config, d.Destination.Source, d.Destination.Address, host._timestamps,
                finWait2: false, stamp / 1000, stamp, nowMs, portPreassigned: false);
        }
    }
}
