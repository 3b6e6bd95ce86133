using PortSelection.Model.Hashing;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Simulation;

/// <summary>
/// The kernel state a workload simulation needs, in arrays: one namespace (<c>net_hash_mix</c> 0), connections as
/// integer handles (their ehash entries as parallel arrays with index-linked chains), the owners of each local port as a
/// count, and the same port indexes as <see cref="KernelHost"/>'s tables (<see cref="NetnsBindIndex"/>, per destination a
/// live <see cref="PortCostMap"/> and a <see cref="TimeWaitPortMap"/>), so that <see cref="FastConnectScan"/> runs
/// unchanged over them. Every connect gives the same port, counters and state change as <see cref="KernelHost"/> does
/// for the operations of a simulation — a differential property compares whole simulations on both.
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

    private readonly KernelProfile _profile;
    private readonly NamespaceConfig _config;
    private readonly IRandomDraws _draws;
    private readonly IPortOffsetSource _offsets;
    private readonly PerturbState _perturb;
    private readonly PerSocketRange _socketRange;
    private readonly bool _timestamps;
    private readonly uint _ehashMask;
    private readonly uint _ehashSecret;
    private readonly NetnsBindIndex _bind = new();
    private readonly int[] _owners = new int[65536];  // connect-bound owners (live and TIME_WAIT) per local port
    private readonly TimeWaitPortMap _emptyTimeWait = new();
    private readonly PortRange _scanRange;             // the range every connect scans (per-socket range applied)
    private bool _presentKept;                         // the bucket map (_bind.Present) follows _owners: see UnitBuckets
    private readonly Dictionary<Destination, int> _destinationIds = [];
    private Dest[] _dests = [];
    private readonly int[] _heads;                     // ehash chain → newest entry, −1 when empty
    private Entry[] _entries = new Entry[1024];        // connections (ehash entries) by handle
    private int[] _free = new int[1024];
    private int _freeCount, _handles;

    /// <summary>One connection's ehash entry (one cache line holds it).</summary>
    private struct Entry
    {
        public int Next;     // older entry of the same chain, −1 at the tail
        public uint Bucket;
        public int Dest;
        public int Port;
        public long StampMs; // TIME_WAIT entry time; −1 while live
    }

    /// <summary>Builds the state of <paramref name="spec"/> at time 0: the boot secret, perturb table and port offsets drawn from its seed as <see cref="KernelHost"/> draws them, and its listening ports.</summary>
    public CompactHost(WorkloadSpec spec)
    {
        _profile = spec.Kernel;
        _config = spec.Namespace;
        _draws = new SeededDraws(spec.Seed);
        _offsets = KernelPortOffset.ForSimulation(_profile, new SeededDraws(spec.Seed ^ 0x5EED));
        _perturb = new PerturbState(_profile.PerturbOrder, _profile.PerturbOrder > 0 ? _draws : null);
        _socketRange = spec.PerSocketRange;
        _timestamps = spec.Timestamps;
        var layout = TableLayout.Default;
        _ehashMask = (uint)layout.EhashSize - 1;
        _ehashSecret = layout.EhashSecret;
        _heads = new int[layout.EhashSize];
        Array.Fill(_heads, -1);
        foreach (int port in spec.BindOwnedPorts.Ports())
        {
            _bind.Present.Add(port, 1);
            _bind.SetBindOwned(port, true);
        }
        // Every connect scans the same range: the indexes keep its sums (whole passes summed in O(1)).
        _scanRange = PortCapacity.ScanShape(_profile, _config, _socketRange).Range;
        _bind.Present.TrackRange(_scanRange.Low, _scanRange.High);
        // While no scan can leave the lean lane — no listening port, no reserved port in the range, no TIME_WAIT — no scan
        // reads the bucket map (Tables.UnitBuckets): it is kept only from the first TIME_WAIT (rebuilt from the owners).
        _presentKept = _bind.BindOwnedCount > 0 || (_config.Reserved.Count > 0 && _config.Reserved.AnyInRange(_scanRange.Low, _scanRange.High));
    }

    /// <summary>True when <see cref="CompactHost"/> models <paramref name="spec"/> exactly (else run it on <see cref="KernelHost"/>).</summary>
    public static bool Supports(WorkloadSpec spec) =>
        TableLayout.Default.BhashSize >= 65536 && (spec.NoPortSources.IsDefaultOrEmpty || spec.Kernel.BindAddressNoPort);

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
    /// <param name="takenOver">The TIME_WAIT connection whose 4-tuple the new one takes over (its entry is gone; release its handle with <see cref="ReleaseTakenOver"/>), else −1.</param>
    public int Connect(int destinationId, long nowMs, out ScanCounters counters, out int port, out int takenOver)
    {
        var d = _dests[destinationId];
        if (d.OffsetMs != nowMs)
        {
            // port_offset depends on the destination and the time seed only: once per destination and millisecond.
            d.Offset = _offsets.PortOffset(d.Destination, nowMs);
            d.OffsetMs = nowMs;
        }
        var inputs = new ScanInputs(_profile, _config, 0, 0, d.Destination, _socketRange, d.Offset, nowMs);
        var tables = new Tables(this, d, nowMs);
        int p = FastConnectScan.ScanPort(inputs, _config.Reserved, _bind, d.Live, d.TimeWait ?? _emptyTimeWait,
            ref tables, _perturb, _draws, out counters, out bool timeWaitReused);
        takenOver = -1;
        port = p;
        if (p == 0) return -1;
        if (_owners[p]++ == 0 && _presentKept) _bind.Present.Add(p, 1);
        if (timeWaitReused)
        {
            takenOver = d.EntryAt(p);
            Unlink(takenOver);
            _owners[p]--; // the new owner came first: the bucket stays
        }
        return Insert(d, destinationId, p);
    }

    /// <summary>close() without TIME_WAIT: the entry leaves the ehash, the owner its bucket; the handle is free again.</summary>
    public void Close(int handle)
    {
        int port = _entries[handle].Port;
        Unlink(handle);
        Disown(port);
        _free[_freeCount++] = handle;
    }

    /// <summary>close() into TIME_WAIT at <paramref name="nowMs"/>: the entry stays with its chain position, now in the TIME_WAIT index.</summary>
    public void CloseToTimeWait(int handle, long nowMs)
    {
        if (!_presentKept) KeepPresent();
        ref var e = ref _entries[handle];
        var d = _dests[e.Dest];
        int port = e.Port;
        int cost = d.Live.CostAt(port);
        d.Live.Remove(port);
        var tw = d.TimeWait ??= new TimeWaitPortMap();
        tw.Set(port, _timestamps, finWait2: false);
        tw.Ports.SetCost(port, cost);
        e.StampMs = nowMs;
        TimeWait++;
    }

    /// <summary>The TIME_WAIT of <paramref name="handle"/> is over (60 s): its entry and owner go; the handle is free again.</summary>
    public void Expire(int handle) => Close(handle);

    /// <summary>Frees the handle of a TIME_WAIT connection a connect took over (<see cref="Connect"/>'s <c>takenOver</c>).</summary>
    public void ReleaseTakenOver(int handle) => _free[_freeCount++] = handle;

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

    /// <summary>A new live entry at the head of its ehash chain; the entries behind it move down one node.</summary>
    private int Insert(Dest d, int destinationId, int port)
    {
        int h = _freeCount > 0 ? _free[--_freeCount] : NewHandle();
        uint b = d.Bucket(port, _profile.EhashPortAdditive, _ehashSecret) & _ehashMask;
        var entries = _entries;
        int next = _heads[b];
        entries[h] = new Entry { Next = next, Bucket = b, Dest = destinationId, Port = port, StampMs = -1 };
        _heads[b] = h;
        d.SetEntry(port, h);
        d.Live.Add(port, 1);
        MoveDown(next, +1);
        Established++;
        return h;
    }

    /// <summary>Removes the entry of <paramref name="handle"/> from its chain and indexes; the entries behind it move up one node.</summary>
    private void Unlink(int handle)
    {
        var entries = _entries;
        ref var x = ref entries[handle];
        var d = _dests[x.Dest];
        int port = x.Port;
        d.SetEntry(port, -1);
        if (x.StampMs >= 0)
        {
            d.TimeWait!.Remove(port);
            TimeWait--;
        }
        else d.Live.Remove(port);
        ref int link = ref _heads[x.Bucket];
        while (link != handle) link = ref entries[link].Next;
        int next = x.Next;
        link = next;
        MoveDown(next, -1);
        Established--;
    }

    /// <summary>The chain positions (ehash costs) of <paramref name="first"/> and the entries behind it change by <paramref name="by"/>.</summary>
    private void MoveDown(int first, int by)
    {
        var entries = _entries;
        for (int e = first; e >= 0; e = entries[e].Next)
        {
            var d = _dests[entries[e].Dest];
            var map = entries[e].StampMs >= 0 ? d.TimeWait!.Ports : d.Live;
            int p = entries[e].Port;
            map.SetCost(p, map.CostAt(p) + by);
        }
    }

    private int NewHandle()
    {
        if (_handles == _entries.Length)
        {
            int n = _entries.Length * 2;
            Array.Resize(ref _entries, n);
            Array.Resize(ref _free, n);
        }
        return _handles++;
    }

    private int ChainLength(uint bucket)
    {
        int n = 0;
        for (int e = _heads[bucket]; e >= 0; e = _entries[e].Next) n++;
        return n;
    }

    /// <summary>The connections to one destination: their entries by local port and the port indexes the scan reads.</summary>
    private sealed class Dest(Destination destination, uint hashPort0)
    {
        private readonly int[]?[] _slots = new int[]?[65536 >> ChunkShift]; // handle + 1 per port, 0 = none

        public readonly Destination Destination = destination;
        public readonly PortCostMap Live = new();
        public TimeWaitPortMap? TimeWait;
        public ulong Offset;                // port_offset at OffsetMs
        public long OffsetMs = long.MinValue;

        /// <summary>The handle of the entry on <paramref name="port"/>, or −1.</summary>
        public int EntryAt(int port) => (_slots[port >> ChunkShift] is { } c ? c[port & (ChunkSize - 1)] : 0) - 1;

        public void SetEntry(int port, int handle)
        {
            var chunk = _slots[port >> ChunkShift];
            if (chunk is null) _slots[port >> ChunkShift] = chunk = new int[ChunkSize];
            chunk[port & (ChunkSize - 1)] = handle + 1;
        }

        /// <summary><c>inet_ehashfn</c> of the 4-tuple with local port <paramref name="port"/> (not yet masked).</summary>
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
            int e = d.EntryAt(port);
            if (e < 0)
            {
                nodes = host.ChainLength(d.Bucket(port, host._profile.EhashPortAdditive, host._ehashSecret) & host._ehashMask);
                return ScanEntry.None;
            }
            if (host._entries[e].StampMs >= 0)
            {
                nodes = d.TimeWait!.Ports.CostAt(port);
                return ScanEntry.TimeWait;
            }
            nodes = d.Live.CostAt(port);
            return ScanEntry.Live;
        }

        public bool TimeWaitUnique(int port)
        {
            int e = d.EntryAt(port);
            if (e < 0 || host._entries[e].StampMs < 0) return true;
            long stamp = host._entries[e].StampMs;
            return TimeWaitReuse.IsUnique(host._profile, host._config, d.Destination.Source, d.Destination.Address, host._timestamps,
                finWait2: false, stamp / 1000, stamp, nowMs, portPreassigned: false);
        }
    }
}
