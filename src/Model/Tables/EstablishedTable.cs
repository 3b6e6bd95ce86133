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
    private readonly Dictionary<uint, List<EstablishedEntry>> _chains = [];
    private readonly Func<int, FourTuple, uint> _bucketOf;
    private long _sequence;

    /// <summary>Creates a table whose chain of an entry is given by <paramref name="bucketOf"/> (netns id, tuple) → bucket index.</summary>
    public EstablishedTable(Func<int, FourTuple, uint> bucketOf) => _bucketOf = bucketOf;

    /// <summary>Number of entries (live and TIME_WAIT).</summary>
    public int Count => _entries.Count;

    /// <summary>Number of TIME_WAIT entries.</summary>
    public int TimeWaitCount => _entries.Values.Count(e => e.TimeWait);

    /// <summary>The entries of a namespace.</summary>
    public IEnumerable<EstablishedEntry> EntriesOf(int netns) => _entries.Where(kv => kv.Key.Netns == netns).Select(kv => kv.Value);

    /// <summary>Finds the entry for a 4-tuple, counting the chain nodes walked (to the match, or the whole chain).</summary>
    public EstablishedEntry? Find(int netns, FourTuple tuple, out int nodesWalked)
    {
        nodesWalked = 0;
        if (!_chains.TryGetValue(_bucketOf(netns, tuple), out var chain)) return null;
        _entries.TryGetValue((netns, tuple), out var match);
        if (match is null) { nodesWalked = chain.Count; return null; }
        // The chain is kept newest first, as the kernel adds at the head.
        foreach (var e in chain)
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
        if (!_chains.TryGetValue(idx, out var chain)) _chains[idx] = chain = [];
        chain.Insert(0, entry);
    }

    /// <summary>Removes the entry of a 4-tuple; false when absent.</summary>
    public bool Remove(int netns, FourTuple tuple)
    {
        if (!_entries.Remove((netns, tuple), out var entry)) return false;
        var idx = _bucketOf(netns, tuple);
        var chain = _chains[idx];
        chain.Remove(entry);
        if (chain.Count == 0) _chains.Remove(idx);
        return true;
    }

    /// <summary>Length of the chain that <paramref name="tuple"/> hashes to.</summary>
    public int ChainLength(int netns, FourTuple tuple) => _chains.TryGetValue(_bucketOf(netns, tuple), out var c) ? c.Count : 0;
}
