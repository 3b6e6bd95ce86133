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
    private readonly Dictionary<(int Netns, int Port), BindBucket> _buckets = [];
    private readonly Dictionary<int, BindBucket> _heads = []; // chain index → newest bucket (intrusive chain)
    private readonly int _mask;
    private readonly Dictionary<int, NetnsBindIndex> _index = [];
    private readonly NetnsBindIndex _emptyIndex = new();
    private readonly Stack<BindBucket> _free = new(); // destroyed buckets, recycled by Create (no allocation per connect)
    private long _sequence;

    /// <summary>Creates an empty table with <paramref name="bhashSize"/> buckets (a power of two).</summary>
    public BindTable(int bhashSize) => _mask = bhashSize - 1;

    /// <summary>Number of buckets in use.</summary>
    public int Count => _buckets.Count;

    /// <summary>The chain index of (netns mix, port).</summary>
    public int ChainIndex(uint netHashMix, int port) => (int)BindHashFn.InetBhashfn((ushort)port, netHashMix, (uint)_mask + 1);

    /// <summary>The bucket of (netns, port) or null.</summary>
    public BindBucket? Find(int netns, int port) => _buckets.GetValueOrDefault((netns, port));

    /// <summary>
    /// The bucket of (netns, port) or null, counting the chain nodes walked: up to the match (newest first) or
    /// the whole chain when absent.
    /// </summary>
    public BindBucket? Find(int netns, uint netHashMix, int port, out int nodesWalked)
    {
        nodesWalked = 0;
        var tb = _buckets.GetValueOrDefault((netns, port));
        if (!_heads.TryGetValue(ChainIndex(netHashMix, port), out var head)) return tb;
        for (var b = head; b is not null; b = b.ChainNext)
        {
            nodesWalked++;
            if (ReferenceEquals(b, tb)) break;
        }
        return tb;
    }

    /// <summary>Creates a bucket (at the head of its chain); the object may be one that <see cref="Destroy"/> released.</summary>
    public BindBucket Create(int netns, uint netHashMix, int port, sbyte fastReuse, sbyte fastReusePort)
    {
        var tb = _free.TryPop(out var old) ? old.Recycle(port, fastReuse, fastReusePort, ++_sequence) : new BindBucket(port, fastReuse, fastReusePort, ++_sequence);
        tb.Netns = netns;
        _buckets.Add((netns, port), tb);
        var idx = ChainIndex(netHashMix, port);
        ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(_heads, idx, out _);
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
        if (!_buckets.Remove((netns, port), out var tb)) return;
        var idx = ChainIndex(netHashMix, port);
        var head = _heads[idx];
        if (ReferenceEquals(head, tb))
        {
            head = tb.ChainNext;
            if (head is null) _heads.Remove(idx);
            else _heads[idx] = head;
        }
        else
        {
            var prev = head;
            while (!ReferenceEquals(prev.ChainNext, tb)) prev = prev.ChainNext!;
            prev.ChainNext = tb.ChainNext;
        }
        tb.ChainNext = null;
        tb.Table = null;
        var ix = IndexFor(netns);
        ix.Present.Set(port, false);
        ix.SetBindOwned(port, false);
        if (head is not null) Renumber(head);
        _free.Push(tb);
    }

    /// <summary>
    /// The port index of a namespace (ports with a bucket and their chain positions, BindOwned ports), kept current
    /// by <see cref="Create"/>, <see cref="Destroy"/> and changes of a bucket's fastreuse state.
    /// </summary>
    public NetnsBindIndex IndexOf(int netns) => _index.GetValueOrDefault(netns) ?? _emptyIndex;

    private NetnsBindIndex IndexFor(int netns)
    {
        if (!_index.TryGetValue(netns, out var ix)) _index[netns] = ix = new NetnsBindIndex();
        return ix;
    }

    /// <summary>Chain positions (newest first, 1-based) are the node counts of a lookup; refresh them after a change.</summary>
    private void Renumber(BindBucket head)
    {
        int k = 1;
        for (var b = head; b is not null; b = b.ChainNext) IndexFor(b.Netns).Present.SetCost(b.Port, k++);
    }

    /// <summary>A bucket's fastreuse / fastreuseport changed.</summary>
    internal void OnStateChanged(BindBucket tb) => IndexFor(tb.Netns).SetBindOwned(tb.Port, tb.IsBindOwned);

    /// <summary>The buckets of a namespace.</summary>
    public IEnumerable<BindBucket> BucketsOf(int netns) => _buckets.Where(kv => kv.Key.Netns == netns).Select(kv => kv.Value);
}
