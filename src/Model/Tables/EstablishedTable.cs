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
    private readonly EstablishedEntry?[] _heads; // bucket index → newest entry (intrusive chain)
    private readonly Func<int, FourTuple, uint> _bucketOf;
    private readonly Dictionary<DestinationKey, DestinationTables> _destinations = [];
    private DestinationTables? _lastDestination; // the latest looked up (destination tables are never removed)
    private readonly PortCostMap _emptyLive = new();
    private readonly TimeWaitPortMap _emptyTimeWait = new();
    private readonly Stack<EstablishedEntry> _free = new(); // recycled entries (no allocation per connect)
    private int _count;
    private int _timeWaitCount;
    private long _sequence;

    /// <summary>
    /// Creates a table of <paramref name="buckets"/> chains; the chain of an entry is given by <paramref name="bucketOf"/>
    /// (netns id, tuple) → bucket index in 0 .. <paramref name="buckets"/> − 1.
    /// </summary>
    public EstablishedTable(int buckets, Func<int, FourTuple, uint> bucketOf)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        _heads = new EstablishedEntry?[buckets];
        _bucketOf = bucketOf;
    }

    /// <summary>Number of entries (live and TIME_WAIT).</summary>
    public int Count => _count;

    /// <summary>Number of TIME_WAIT entries.</summary>
    public int TimeWaitCount => _timeWaitCount;

    /// <summary>The entries of a namespace (grouped by destination, in local-port order within one).</summary>
    public IEnumerable<EstablishedEntry> EntriesOf(int netns) =>
        _destinations.Values.Where(d => d.Key.Netns == netns).SelectMany(d => d.Entries()).ToList();

    /// <summary>Finds the entry for a 4-tuple, counting the chain nodes walked (to the match, or the whole chain).</summary>
    public EstablishedEntry? Find(int netns, FourTuple tuple, out int nodesWalked)
    {
        nodesWalked = 0;
        var head = _heads[_bucketOf(netns, tuple)];
        if (head is null) return null;
        var match = Find(netns, tuple);
        // The chain is kept newest first, as the kernel adds at the head; absent: the whole chain.
        for (var e = head; e is not null; e = e.ChainNext)
        {
            nodesWalked++;
            if (ReferenceEquals(e, match)) break;
        }
        return match;
    }

    /// <summary>
    /// <see cref="Find(int, FourTuple, out int)"/> for a 4-tuple of <paramref name="destination"/> (the tables of the
    /// tuple's netns and destination, already looked up; null when that destination has no entry): a match's chain
    /// position is the cost kept in the destination's port index, so only a miss walks its chain.
    /// </summary>
    internal EstablishedEntry? Find(int netns, FourTuple tuple, DestinationTables? destination, out int nodesWalked)
    {
        int port = tuple.LocalPort;
        var match = destination?.EntryAt(port);
        if (match is not null)
        {
            nodesWalked = match.TimeWait ? destination!.TimeWait.Ports.CostAt(port) : destination!.Live.CostAt(port);
            return match;
        }
        nodesWalked = 0;
        for (var e = _heads[_bucketOf(netns, tuple)]; e is not null; e = e.ChainNext) nodesWalked++;
        return null;
    }

    /// <summary>Finds the entry for a 4-tuple without counting.</summary>
    public EstablishedEntry? Find(int netns, FourTuple tuple) =>
        _destinations.TryGetValue(DestinationKey.Of(netns, tuple), out var d) ? d.EntryAt(tuple.LocalPort) : null;

    /// <summary>
    /// A fresh entry for <paramref name="tuple"/> owned by socket <paramref name="socketId"/>, recycled from a removed
    /// one when possible; not yet in the table (<see cref="Insert(int, EstablishedEntry)"/>).
    /// </summary>
    public EstablishedEntry Rent(FourTuple tuple, int socketId) =>
        _free.TryPop(out var e) ? e.Reset(tuple, socketId) : new EstablishedEntry(tuple, socketId);

    /// <summary>Hands a removed entry back for reuse by <see cref="Rent"/>; the caller must not keep references to it.</summary>
    /// <exception cref="InvalidOperationException">The entry is still in a table.</exception>
    public void Recycle(EstablishedEntry entry)
    {
        if (entry.Table is not null) throw new InvalidOperationException($"entry {entry.Tuple} is still in the table");
        _free.Push(entry);
    }

    /// <summary>Inserts an entry at the head of its chain.</summary>
    /// <exception cref="InvalidOperationException">The 4-tuple is already present (callers check uniqueness first).</exception>
    public void Insert(int netns, EstablishedEntry entry) => Insert(netns, entry, null);

    /// <summary>
    /// <see cref="Insert(int, EstablishedEntry)"/> with the destination tables a scan already looked up (used when they
    /// are those of the entry's destination; null or others: looked up).
    /// </summary>
    internal void Insert(int netns, EstablishedEntry entry, DestinationTables? known)
    {
        var key = DestinationKey.Of(netns, entry.Tuple);
        var dest = known is not null && known.Key == key ? known : DestinationFor(key);
        if (entry.Table is not null || !dest.TryAdd(entry))
            throw new InvalidOperationException($"4-tuple {entry.Tuple} already in ehash");
        _count++;
        entry.Sequence = ++_sequence;
        var idx = _bucketOf(netns, entry.Tuple);
        ref var head = ref _heads[idx];
        entry.ChainNext = head;
        head = entry;
        entry.Netns = netns;
        entry.Bucket = idx;
        entry.Table = this;
        entry.Destination = dest;
        if (!entry.TimeWait) dest.Live.Set(entry.Tuple.LocalPort, true);
        else
        {
            _timeWaitCount++;
            dest.TimeWaitForUpdate().Set(entry);
        }
        Renumber(entry);
    }

    /// <summary>Removes the entry of a 4-tuple; false when absent.</summary>
    public bool Remove(int netns, FourTuple tuple)
    {
        var entry = Find(netns, tuple);
        if (entry is null) return false;
        Remove(entry);
        return true;
    }

    /// <summary>Removes <paramref name="entry"/> (which must be in this table).</summary>
    /// <exception cref="InvalidOperationException">The entry is not in this table.</exception>
    public void Remove(EstablishedEntry entry)
    {
        if (!ReferenceEquals(entry.Table, this)) throw new InvalidOperationException($"entry {entry.Tuple} is not in this table");
        var dest = entry.Destination!;
        int port = entry.Tuple.LocalPort;
        dest.Clear(port);
        _count--;
        ref var head = ref _heads[entry.Bucket];
        var next = entry.ChainNext;
        if (ReferenceEquals(head, entry)) head = next;
        else
        {
            var prev = head!;
            while (!ReferenceEquals(prev.ChainNext, entry)) prev = prev.ChainNext!;
            prev.ChainNext = next;
        }
        entry.ChainNext = null;
        entry.Table = null;
        entry.Destination = null;
        if (entry.TimeWait)
        {
            _timeWaitCount--;
            dest.TimeWaitForUpdate().Remove(port);
        }
        else dest.Live.Set(port, false);
        // The entries before the removed one keep their positions; those after it move up by one.
        for (var e = next; e is not null; e = e.ChainNext)
        {
            var map = e.TimeWait ? e.Destination!.TimeWaitForUpdate().Ports : e.Destination!.Live;
            int lp = e.Tuple.LocalPort;
            map.SetCost(lp, map.CostAt(lp) - 1);
        }
    }

    /// <summary>The per-destination tables of <paramref name="key"/>, or null when it never had an entry.</summary>
    public DestinationTables? DestinationOf(DestinationKey key)
    {
        // Runs of connects to one destination (fills, one-destination workloads) skip the dictionary.
        var last = _lastDestination;
        if (last is not null && last.Key == key) return last;
        var d = _destinations.GetValueOrDefault(key);
        if (d is not null) _lastDestination = d;
        return d;
    }

    private DestinationTables DestinationFor(DestinationKey key)
    {
        if (!_destinations.TryGetValue(key, out var d)) _destinations[key] = d = new DestinationTables(key, _emptyTimeWait);
        return d;
    }

    /// <summary>An empty live index (for destinations without entries).</summary>
    internal PortCostMap EmptyLive => _emptyLive;

    /// <summary>An empty TIME_WAIT index (for destinations without entries).</summary>
    internal TimeWaitPortMap EmptyTimeWait => _emptyTimeWait;

    /// <summary>Chain positions (newest first, 1-based) are the node counts of a lookup; refresh them (live and TIME_WAIT).</summary>
    private static void Renumber(EstablishedEntry head)
    {
        int k = 1;
        for (var e = head; e is not null; e = e.ChainNext, k++)
        {
            var d = e.Destination!;
            var map = e.TimeWait ? d.TimeWaitForUpdate().Ports : d.Live;
            map.SetCost(e.Tuple.LocalPort, k);
        }
    }

    /// <summary>An entry entered (or left) TIME_WAIT.</summary>
    internal void OnTimeWaitChanged(EstablishedEntry e)
    {
        var d = e.Destination!;
        var live = d.Live;
        int port = e.Tuple.LocalPort;
        if (e.TimeWait)
        {
            _timeWaitCount++;
            int cost = live.CostAt(port);
            live.Set(port, false);
            var tw = d.TimeWaitForUpdate();
            tw.Set(e);
            tw.Ports.SetCost(port, cost);
            return;
        }
        _timeWaitCount--;
        d.TimeWaitForUpdate().Remove(port);
        live.Set(port, true);
        if (_heads[e.Bucket] is { } head) Renumber(head);
    }

    /// <summary>The peer-timestamp or FIN_WAIT2 attribute of a TIME_WAIT entry changed.</summary>
    internal void OnTimeWaitAttributesChanged(EstablishedEntry e)
    {
        if (e.TimeWait) e.Destination!.TimeWaitForUpdate().Set(e);
    }

    /// <summary>Length of the chain that <paramref name="tuple"/> hashes to.</summary>
    public int ChainLength(int netns, FourTuple tuple)
    {
        int n = 0;
        for (var e = _heads[_bucketOf(netns, tuple)]; e is not null; e = e.ChainNext) n++;
        return n;
    }
}
