using System.Runtime.InteropServices;
using PortSelection.Model.Hashing;

namespace PortSelection.Model.Tables;

/// <summary>
/// The bind hash (bhash): bind buckets of every namespace, keyed by (netns, port), chained by
/// <c>inet_bhashfn(net, port) = (port + net_hash_mix(net)) &amp; (bhash_size − 1)</c>
/// (include/net/inet_hashtables.h, unchanged 3.x → 7.2) so that the nodes a lookup walks can be counted.
/// </summary>
public sealed class BindTable
{
    private readonly List<BindBucket?[]?> _ports = []; // netns id → bucket per port
    private readonly BindBucket?[] _heads;             // chain index → newest bucket (intrusive chain)
    private readonly int _mask;
    private readonly List<NetnsBindIndex?> _index = [];
    private readonly NetnsBindIndex _emptyIndex = new();
    private readonly Stack<BindBucket> _free = new(); // destroyed buckets, recycled by Create (no allocation per connect)
    private int _count;
    private long _sequence;

    /// <summary>Creates an empty table with <paramref name="bhashSize"/> buckets (a power of two).</summary>
    public BindTable(int bhashSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bhashSize, 1);
        _mask = bhashSize - 1;
        _heads = new BindBucket?[bhashSize];
    }

    /// <summary>Number of buckets in use.</summary>
    public int Count => _count;

    /// <summary>The chain index of (netns mix, port).</summary>
    public int ChainIndex(uint netHashMix, int port) => (int)BindHashFn.InetBhashfn((ushort)port, netHashMix, (uint)_mask + 1);

    /// <summary>The bucket of (netns, port) or null.</summary>
    public BindBucket? Find(int netns, int port) =>
        (uint)netns < (uint)_ports.Count && _ports[netns] is { } ports ? ports[port] : null;

    /// <summary>
    /// The bucket of (netns, port) or null, counting the chain nodes walked: up to the match (newest first) or
    /// the whole chain when absent.
    /// </summary>
    public BindBucket? Find(int netns, uint netHashMix, int port, out int nodesWalked)
    {
        nodesWalked = 0;
        var tb = Find(netns, port);
        for (var b = _heads[ChainIndex(netHashMix, port)]; b is not null; b = b.ChainNext)
        {
            nodesWalked++;
            if (ReferenceEquals(b, tb)) break;
        }
        return tb;
    }

    /// <summary>Creates a bucket (at the head of its chain); the object may be one that <see cref="Destroy"/> released.</summary>
    /// <exception cref="InvalidOperationException">(netns, port) already has a bucket.</exception>
    public BindBucket Create(int netns, uint netHashMix, int port, sbyte fastReuse, sbyte fastReusePort)
    {
        ref var slot = ref PortsFor(netns)[port];
        if (slot is not null) throw new InvalidOperationException($"port {port} of netns {netns} already has a bucket");
        var tb = _free.TryPop(out var old) ? old.Recycle(port, fastReuse, fastReusePort, ++_sequence) : new BindBucket(port, fastReuse, fastReusePort, ++_sequence);
        tb.Netns = netns;
        slot = tb;
        _count++;
        ref var head = ref _heads[ChainIndex(netHashMix, port)];
        tb.ChainNext = head;
        head = tb;
        tb.Table = this;
        var ix = IndexFor(netns);
        ix.Present.Set(port, true);
        ix.SetBindOwned(port, tb.IsBindOwned);
        Renumber(tb);
        return tb;
    }

    /// <summary>
    /// Destroys the bucket of (netns, port) (<c>inet_bind_bucket_destroy</c>). The object is recycled by a later
    /// <see cref="Create"/>: references to a destroyed bucket must not be kept.
    /// </summary>
    public void Destroy(int netns, uint netHashMix, int port)
    {
        var tb = Find(netns, port);
        if (tb is null) return;
        _ports[netns]![port] = null;
        _count--;
        ref var head = ref _heads[ChainIndex(netHashMix, port)];
        var next = tb.ChainNext;
        if (ReferenceEquals(head, tb)) head = next;
        else
        {
            var prev = head!;
            while (!ReferenceEquals(prev.ChainNext, tb)) prev = prev.ChainNext!;
            prev.ChainNext = next;
        }
        tb.ChainNext = null;
        tb.Table = null;
        var ix = IndexFor(netns);
        ix.Present.Set(port, false);
        ix.SetBindOwned(port, false);
        // The buckets before the destroyed one keep their positions; those after it move up by one.
        for (var b = next; b is not null; b = b.ChainNext)
        {
            var present = IndexFor(b.Netns).Present;
            present.SetCost(b.Port, present.CostAt(b.Port) - 1);
        }
        _free.Push(tb);
    }

    /// <summary>
    /// The port index of a namespace (ports with a bucket and their chain positions, BindOwned ports), kept current
    /// by <see cref="Create"/>, <see cref="Destroy"/> and changes of a bucket's fastreuse state.
    /// </summary>
    public NetnsBindIndex IndexOf(int netns) =>
        (uint)netns < (uint)_index.Count && _index[netns] is { } ix ? ix : _emptyIndex;

    private NetnsBindIndex IndexFor(int netns)
    {
        while (_index.Count <= netns) _index.Add(null);
        return _index[netns] ??= new NetnsBindIndex();
    }

    private BindBucket?[] PortsFor(int netns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(netns);
        while (_ports.Count <= netns) _ports.Add(null);
        return _ports[netns] ??= new BindBucket?[65536];
    }

    /// <summary>Chain positions (newest first, 1-based) are the node counts of a lookup; refresh them after a change.</summary>
    private void Renumber(BindBucket head)
    {
        int k = 1;
        for (var b = head; b is not null; b = b.ChainNext) IndexFor(b.Netns).Present.SetCost(b.Port, k++);
    }

    /// <summary>A bucket's fastreuse / fastreuseport changed.</summary>
    internal void OnStateChanged(BindBucket tb) => IndexFor(tb.Netns).SetBindOwned(tb.Port, tb.IsBindOwned);

    /// <summary>The buckets of a namespace, in port order.</summary>
    public IEnumerable<BindBucket> BucketsOf(int netns) =>
        (uint)netns < (uint)_ports.Count && _ports[netns] is { } ports ? ports.OfType<BindBucket>().ToList() : [];
}
