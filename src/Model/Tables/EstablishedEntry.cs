using PortSelection.Model.Ports;

namespace PortSelection.Model.Tables;

/// <summary>
/// One entry of the established hash: a live connection (SYN_SENT/ESTABLISHED/…) or a TIME_WAIT socket with
/// the timestamps <c>tcp_twsk_unique()</c> reads.
/// </summary>
/// <remarks>
/// Entries are created and recycled by <see cref="EstablishedTable"/> (<see cref="EstablishedTable.Rent"/>): an entry
/// removed from the table may be reused for a later connection, so references must not be kept past the entry's
/// removal, except for the TIME_WAIT entry a connect reports as reused (that one is never recycled).
/// </remarks>
public sealed class EstablishedEntry
{
    internal EstablishedEntry(FourTuple tuple, int socketId)
    {
        Tuple = tuple;
        SocketId = socketId;
    }

    /// <summary>The 4-tuple.</summary>
    public FourTuple Tuple { get; private set; }
    /// <summary>The socket id of the connection (or of the socket that entered TIME_WAIT).</summary>
    public int SocketId { get; private set; }
    /// <summary>True for a TIME_WAIT socket.</summary>
    public bool TimeWait
    {
        get => _timeWait;
        set
        {
            if (_timeWait == value) return;
            _timeWait = value;
            Table?.OnTimeWaitChanged(this);
        }
    }

    private bool _timeWait;

    /// <summary>The table that holds this entry (keeps its port index current), null when not in a table.</summary>
    internal EstablishedTable? Table { get; set; }

    /// <summary>Model id of the entry's namespace (set on insertion).</summary>
    internal int Netns { get; set; }

    /// <summary>The next (older) entry of the same ehash chain (intrusive chain of <see cref="EstablishedTable"/>).</summary>
    internal EstablishedEntry? ChainNext { get; set; }

    /// <summary>The ehash chain index (set on insertion).</summary>
    internal uint Bucket { get; set; }

    /// <summary>The per-destination part of the table that holds the entry (null when not in a table).</summary>
    internal DestinationTables? Destination { get; set; }
    /// <summary>TIME_WAIT substate is FIN_WAIT2 (never reused on 5.10+).</summary>
    public bool FinWait2Substate
    {
        get => _finWait2;
        set
        {
            if (_finWait2 == value) return;
            _finWait2 = value;
            Table?.OnTimeWaitAttributesChanged(this);
        }
    }

    /// <summary>The peer used TCP timestamps (<c>tw_ts_recent_stamp != 0</c>); required for any reuse.</summary>
    public bool HasTimestamps
    {
        get => _hasTimestamps;
        set
        {
            if (_hasTimestamps == value) return;
            _hasTimestamps = value;
            Table?.OnTimeWaitAttributesChanged(this);
        }
    }

    private bool _finWait2;
    private bool _hasTimestamps = true;
    /// <summary><c>tw_ts_recent_stamp</c>: seconds of the last timestamp received (≈ the close time).</summary>
    public long TsRecentStampSeconds { get; set; }
    /// <summary><c>tw_entry_stamp</c> (6.14+): when the socket entered TIME_WAIT, in ms.</summary>
    public long EntryStampMs { get; set; }
    /// <summary>When the TIME_WAIT socket dies (entry + 60 s, TCP_TIMEWAIT_LEN), in ms.</summary>
    public long ExpiresAtMs { get; set; } = long.MaxValue;
    /// <summary>Insertion order (newer entries sit nearer the head of the ehash chain).</summary>
    public long Sequence { get; set; }

    /// <summary>Makes a removed entry a fresh one for <paramref name="tuple"/> (recycling by <see cref="EstablishedTable"/>).</summary>
    internal EstablishedEntry Reset(FourTuple tuple, int socketId)
    {
        Tuple = tuple;
        SocketId = socketId;
        _timeWait = false;
        _finWait2 = false;
        _hasTimestamps = true;
        TsRecentStampSeconds = 0;
        EntryStampMs = 0;
        ExpiresAtMs = long.MaxValue;
        Sequence = 0;
        Table = null;
        Destination = null;
        ChainNext = null;
        Bucket = 0;
        Netns = 0;
        return this;
    }
}
