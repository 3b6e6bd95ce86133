using System.Runtime.InteropServices;
using PortSelection.Model.Ports;

namespace PortSelection.Model.Tables;

/// <summary>
/// The established hash (ehash): live connections and TIME_WAIT sockets of every namespace, keyed by
/// (netns, 4-tuple), with chains so that the nodes a lookup walks can be counted.
/// </summary>
/// <remarks>
/// One chain holds ESTABLISHED/SYN_SENT and TIME_WAIT sockets since 3.13 (a separate <c>twchain</c> before);
/// new entries are added at the head (<c>__sk_nulls_add_node_rcu</c>). A lookup
/// (<c>__inet_check_established</c>, net/ipv4/inet_hashtables.c) walks the chain to the first full match.
/// </remarks>
public sealed class EstablishedTable
{
    private readonly Dictionary<(int Netns, FourTuple Tuple), EstablishedEntry> _entries = [];
    private readonly Dictionary<uint, EstablishedEntry> _heads = []; // bucket index → newest entry (intrusive chain)
    private readonly Func<int, FourTuple, uint> _bucketOf;
    private readonly Dictionary<DestinationKey, PortCostMap> _live = [];
    private readonly PortCostMap _emptyLive = new();
    private readonly Dictionary<DestinationKey, TimeWaitPortMap> _timeWait = [];
    private readonly TimeWaitPortMap _emptyTimeWait = new();
    private int _timeWaitCount;
    private long _sequence;

    /// <summary>Creates a table whose chain of an entry is given by <paramref name="bucketOf"/> (netns id, tuple) → bucket index.</summary>
    public EstablishedTable(Func<int, FourTuple, uint> bucketOf) => _bucketOf = bucketOf;

    /// <summary>Number of entries (live and TIME_WAIT).</summary>
    public int Count => _entries.Count;

    /// <summary>Number of TIME_WAIT entries.</summary>
    public int TimeWaitCount => _timeWaitCount;

    /// <summary>The entries of a namespace.</summary>
    public IEnumerable<EstablishedEntry> EntriesOf(int netns) => _entries.Where(kv => kv.Key.Netns == netns).Select(kv => kv.Value);

    /// <summary>Finds the entry for a 4-tuple, counting the chain nodes walked (to the match, or the whole chain).</summary>
    public EstablishedEntry? Find(int netns, FourTuple tuple, out int nodesWalked)
    {
        nodesWalked = 0;
        if (!_heads.TryGetValue(_bucketOf(netns, tuple), out var head)) return null;
        _entries.TryGetValue((netns, tuple), out var match);
        // The chain is kept newest first, as the kernel adds at the head; absent: the whole chain.
        for (var e = head; e is not null; e = e.ChainNext)
        {
            nodesWalked++;
            if (ReferenceEquals(e, match)) break;
        }
        return match;
    }

    /// <summary>Finds the entry for a 4-tuple without counting.</summary>
    public EstablishedEntry? Find(int netns, FourTuple tuple) => _entries.GetValueOrDefault((netns, tuple));

    /// <summary>Inserts an entry at the head of its chain.</summary>
    /// <exception cref="InvalidOperationException">The 4-tuple is already present (callers check uniqueness first).</exception>
    public void Insert(int netns, EstablishedEntry entry)
    {
        if (!_entries.TryAdd((netns, entry.Tuple), entry))
            throw new InvalidOperationException($"4-tuple {entry.Tuple} already in ehash");
        entry.Sequence = ++_sequence;
        var idx = _bucketOf(netns, entry.Tuple);
        ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(_heads, idx, out _);
        entry.ChainNext = head;
        head = entry;
        entry.Netns = netns;
        entry.Bucket = idx;
        entry.Table = this;
        if (!entry.TimeWait) LiveOf(entry).Set(entry.Tuple.LocalPort, true);
        else
        {
            _timeWaitCount++;
            TimeWaitOf(entry).Set(entry);
        }
        Renumber(entry);
    }

    /// <summary>Removes the entry of a 4-tuple; false when absent.</summary>
    public bool Remove(int netns, FourTuple tuple)
    {
        if (!_entries.Remove((netns, tuple), out var entry)) return false;
        var idx = entry.Bucket;
        var head = _heads[idx];
        if (ReferenceEquals(head, entry))
        {
            head = entry.ChainNext;
            if (head is null) _heads.Remove(idx);
            else _heads[idx] = head;
        }
        else
        {
            var prev = head;
            while (!ReferenceEquals(prev.ChainNext, entry)) prev = prev.ChainNext!;
            prev.ChainNext = entry.ChainNext;
        }
        entry.ChainNext = null;
        entry.Table = null;
        if (entry.TimeWait)
        {
            _timeWaitCount--;
            TimeWaitOf(entry).Remove(tuple.LocalPort);
        }
        else LiveOf(entry).Set(tuple.LocalPort, false);
        entry.LiveMap = null;
        entry.TimeWaitMap = null;
        if (head is not null) Renumber(head);
        return true;
    }

    /// <summary>
    /// The ports whose 4-tuple to <paramref name="key"/>'s destination is held by a live (non-TIME_WAIT) entry, with
    /// the ehash chain position of that entry as cost; kept current by insertion, removal and TIME_WAIT entry.
    /// </summary>
    public PortCostMap LiveIndexOf(DestinationKey key) => _live.GetValueOrDefault(key) ?? _emptyLive;

    private PortCostMap LiveFor(DestinationKey key)
    {
        if (!_live.TryGetValue(key, out var m)) _live[key] = m = new PortCostMap();
        return m;
    }

    /// <summary>
    /// The ports whose 4-tuple to <paramref name="key"/>'s destination is held by a TIME_WAIT entry, with the ehash
    /// chain position of that entry as cost and the attributes that rule out reuse; kept current like
    /// <see cref="LiveIndexOf"/>.
    /// </summary>
    public TimeWaitPortMap TimeWaitIndexOf(DestinationKey key) => _timeWait.GetValueOrDefault(key) ?? _emptyTimeWait;

    private TimeWaitPortMap TimeWaitFor(DestinationKey key)
    {
        if (!_timeWait.TryGetValue(key, out var m)) _timeWait[key] = m = new TimeWaitPortMap();
        return m;
    }

    /// <summary>The live port index of an entry's destination (kept in the entry).</summary>
    private PortCostMap LiveOf(EstablishedEntry e) => e.LiveMap ??= LiveFor(DestinationKey.Of(e.Netns, e.Tuple));

    /// <summary>The TIME_WAIT port index of an entry's destination (kept in the entry).</summary>
    private TimeWaitPortMap TimeWaitOf(EstablishedEntry e) => e.TimeWaitMap ??= TimeWaitFor(DestinationKey.Of(e.Netns, e.Tuple));

    /// <summary>Chain positions (newest first, 1-based) are the node counts of a lookup; refresh them (live and TIME_WAIT).</summary>
    private void Renumber(EstablishedEntry head)
    {
        int k = 1;
        for (var e = head; e is not null; e = e.ChainNext, k++)
        {
            var map = e.TimeWait ? TimeWaitOf(e).Ports : LiveOf(e);
            map.SetCost(e.Tuple.LocalPort, k);
        }
    }

    /// <summary>An entry entered (or left) TIME_WAIT.</summary>
    internal void OnTimeWaitChanged(EstablishedEntry e)
    {
        var live = LiveOf(e);
        var tw = TimeWaitOf(e);
        int port = e.Tuple.LocalPort;
        if (e.TimeWait)
        {
            _timeWaitCount++;
            int cost = live.Cost[port];
            live.Set(port, false);
            tw.Set(e);
            tw.Ports.SetCost(port, cost);
            return;
        }
        _timeWaitCount--;
        tw.Remove(port);
        live.Set(port, true);
        if (_heads.TryGetValue(e.Bucket, out var head)) Renumber(head);
    }

    /// <summary>The peer-timestamp or FIN_WAIT2 attribute of a TIME_WAIT entry changed.</summary>
    internal void OnTimeWaitAttributesChanged(EstablishedEntry e)
    {
        if (e.TimeWait) TimeWaitOf(e).Set(e);
    }

    /// <summary>Length of the chain that <paramref name="tuple"/> hashes to.</summary>
    public int ChainLength(int netns, FourTuple tuple)
    {
        if (!_heads.TryGetValue(_bucketOf(netns, tuple), out var head)) return 0;
        int n = 0;
        for (var e = head; e is not null; e = e.ChainNext) n++;
        return n;
    }
}
