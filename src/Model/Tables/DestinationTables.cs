namespace PortSelection.Model.Tables;

/// <summary>
/// The part of the established hash that belongs to one (netns, source, destination address, destination port): the
/// entry of each local port (at most one: the 4-tuple is unique), the ports held by live entries and the ports held by
/// TIME_WAIT entries, each with the ehash chain position of its entry as cost. Kept by <see cref="EstablishedTable"/>;
/// read by <see cref="Selection.FastConnectScan"/> (one lookup per scan instead of one per candidate).
/// </summary>
public sealed class DestinationTables
{
    private const int ChunkShift = 6;
    private const int ChunkSize = 1 << ChunkShift;

    private readonly EstablishedEntry?[]?[] _slots = new EstablishedEntry?[]?[65536 >> ChunkShift];
    private readonly TimeWaitPortMap _emptyTimeWait;
    private TimeWaitPortMap? _timeWait;

    internal DestinationTables(DestinationKey key, TimeWaitPortMap emptyTimeWait)
    {
        Key = key;
        _emptyTimeWait = emptyTimeWait;
    }

    /// <summary>The namespace and destination.</summary>
    public DestinationKey Key { get; }

    /// <summary>Ports whose 4-tuple to this destination is held by a live (non-TIME_WAIT) entry; cost = chain position.</summary>
    public PortCostMap Live { get; } = new();

    /// <summary>Ports whose 4-tuple to this destination is held by a TIME_WAIT entry (an empty map until the first one).</summary>
    public TimeWaitPortMap TimeWait => _timeWait ?? _emptyTimeWait;

    /// <summary>The entry whose local port is <paramref name="port"/>, or null.</summary>
    public EstablishedEntry? EntryAt(int port) => _slots[port >> ChunkShift]?[port & (ChunkSize - 1)];

    /// <summary>The TIME_WAIT map, created on first use.</summary>
    internal TimeWaitPortMap TimeWaitForUpdate() => _timeWait ??= new TimeWaitPortMap();

    /// <summary>Stores <paramref name="entry"/> at its local port; false when the port already has an entry.</summary>
    internal bool TryAdd(EstablishedEntry entry)
    {
        int port = entry.Tuple.LocalPort;
        ref var chunk = ref _slots[port >> ChunkShift];
        chunk ??= new EstablishedEntry?[ChunkSize];
        ref var slot = ref chunk[port & (ChunkSize - 1)];
        if (slot is not null) return false;
        slot = entry;
        return true;
    }

    /// <summary>Clears the entry of <paramref name="port"/>.</summary>
    internal void Clear(int port)
    {
        var chunk = _slots[port >> ChunkShift];
        if (chunk is null || chunk[port & (ChunkSize - 1)] is null) return;
        chunk[port & (ChunkSize - 1)] = null;
    }

    /// <summary>The entries in local-port order.</summary>
    internal IEnumerable<EstablishedEntry> Entries()
    {
        foreach (var chunk in _slots)
        {
            if (chunk is null) continue;
            foreach (var e in chunk)
                if (e is not null) yield return e;
        }
    }
}
