namespace PortSelection.Model.Tables;

/// <summary>
/// The ports whose 4-tuple to one (netns, destination) is held by a TIME_WAIT entry, with the ehash chain position
/// of that entry as cost (<see cref="Ports"/>), and the entry attributes that make reuse impossible whatever the
/// time: no peer timestamps, FIN_WAIT2 substate (never reused on 5.10+).
/// </summary>
/// <remarks>
/// Maintained by <see cref="EstablishedTable"/> on insertion, removal, TIME_WAIT entry and attribute changes; read by
/// <see cref="Selection.FastConnectScan"/>, which treats TIME_WAIT candidates that cannot be reused as busy in bulk
/// (<c>tcp_twsk_unique()</c>, shared/kernel/port-selection.md §2.3).
/// </remarks>
public sealed class TimeWaitPortMap
{
    private readonly ulong[] _noTimestamps = new ulong[PortCostMap.Words];
    private readonly ulong[] _finWait2 = new ulong[PortCostMap.Words];

    /// <summary>TIME_WAIT ports; cost = nodes an ehash lookup of the 4-tuple walks (its chain position).</summary>
    public PortCostMap Ports { get; } = new();

    /// <summary>TIME_WAIT ports whose peer sent no timestamps (<c>tw_ts_recent_stamp == 0</c>), read in place by the fast scan.</summary>
    internal ulong[] NoTimestampsArray => _noTimestamps;

    /// <summary>TIME_WAIT ports in the FIN_WAIT2 substate, read in place by the fast scan.</summary>
    internal ulong[] FinWait2Array => _finWait2;


    /// <summary>Adds the port of a TIME_WAIT <paramref name="entry"/> with its attributes, or updates them.</summary>
    public void Set(EstablishedEntry entry) => Set(entry.Tuple.LocalPort, entry.HasTimestamps, entry.FinWait2Substate);

    /// <summary>Adds <paramref name="port"/> as a TIME_WAIT port with the given attributes, or updates them.</summary>
    internal void Set(int port, bool hasTimestamps, bool finWait2)
    {
        Ports.Set(port, true);
        SetBit(_noTimestamps, port, !hasTimestamps);
        SetBit(_finWait2, port, finWait2);
    }

    /// <summary>Removes <paramref name="port"/> (its cost drops to 0).</summary>
    public void Remove(int port)
    {
        Ports.Set(port, false);
        SetBit(_noTimestamps, port, false);
        SetBit(_finWait2, port, false);
    }

    private static void SetBit(ulong[] bits, int port, bool on)
    {
        ulong bit = 1UL << (port & 63);
        if (on) bits[port >> 6] |= bit;
        else bits[port >> 6] &= ~bit;
    }
}
