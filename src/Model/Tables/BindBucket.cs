using PortSelection.Model.Ports;

namespace PortSelection.Model.Tables;

/// <summary>
/// An <c>inet_bind_bucket</c> ("tb"): one per (netns, port) with any owner, with its <c>fastreuse</c> /
/// <c>fastreuseport</c> state, and its per-address <c>inet_bind2_bucket</c>s ("tb2", 6.1+ bhash2).
/// </summary>
/// <remarks>
/// Created by connect() autobind with −1/−1 in every era (<c>__inet_hash_connect</c>); created by bind() with
/// <c>fastreuse = reuse &amp;&amp; !listening</c>, <c>fastreuseport = reuseport ? ANY : 0</c>; a joining bind() can
/// only lower <c>fastreuse</c> to 0 and sets <c>fastreuseport</c> to 0 or STRICT
/// (<c>inet_csk_update_fastreuse</c>, net/ipv4/inet_connection_sock.c). shared/kernel/port-selection.md §2.2.
/// </remarks>
public sealed class BindBucket
{
    /// <summary><c>FASTREUSEPORT_ANY</c>.</summary>
    public const sbyte FastReusePortAny = 1;
    /// <summary><c>FASTREUSEPORT_STRICT</c>.</summary>
    public const sbyte FastReusePortStrict = 2;

    /// <summary>Creates a bucket for <paramref name="port"/>.</summary>
    public BindBucket(int port, sbyte fastReuse, sbyte fastReusePort, long sequence)
    {
        Port = port;
        _fastReuse = fastReuse;
        _fastReusePort = fastReusePort;
        Sequence = sequence;
    }

    private sbyte _fastReuse;
    private sbyte _fastReusePort;

    /// <summary>The table that holds this bucket (keeps its port index current), null when not in a table.</summary>
    internal BindTable? Table { get; set; }

    /// <summary>Model id of the bucket's namespace (set by <see cref="BindTable.Create"/>).</summary>
    internal int Netns { get; set; }

    /// <summary>The next (older) bucket of the same bhash chain (intrusive chain of <see cref="BindTable"/>).</summary>
    internal BindBucket? ChainNext { get; set; }

    /// <summary>The port.</summary>
    public int Port { get; private set; }
    /// <summary>Creation order (newer buckets sit nearer the head of the bhash chain).</summary>
    public long Sequence { get; private set; }
    /// <summary><c>tb-&gt;fastreuse</c>: −1 (connect-created), 0 or 1.</summary>
    public sbyte FastReuse { get => _fastReuse; internal set { _fastReuse = value; Table?.OnStateChanged(this); } }
    /// <summary><c>tb-&gt;fastreuseport</c>: −1, 0, ANY (1) or STRICT (2).</summary>
    public sbyte FastReusePort { get => _fastReusePort; internal set { _fastReusePort = value; Table?.OnStateChanged(this); } }
    /// <summary>The owners (all tb2 lists together).</summary>
    public List<BindOwner> Owners { get; } = [];
    /// <summary>Per-address (tb2) fastreuse state, 6.18 (d57f4b874946) keeps it per tb2.</summary>
    internal Tb2Set Tb2;
    /// <summary>Owners per (local address, bound device), and how many are not connect-bound (kept by the host with <see cref="Owners"/>).</summary>
    internal OwnerTally Tally;

    /// <summary>
    /// Makes a destroyed bucket (no longer in a table) a new one for <paramref name="port"/>, as the constructor would:
    /// no owners, no tb2, the given fastreuse state (recycled by <see cref="BindTable.Create"/>).
    /// </summary>
    internal BindBucket Recycle(int port, sbyte fastReuse, sbyte fastReusePort, long sequence)
    {
        Port = port;
        _fastReuse = fastReuse;
        _fastReusePort = fastReusePort;
        Sequence = sequence;
        Owners.Clear();
        Tb2 = default;
        Tally = default;
        ChainNext = null;
        Table = null;
        return this;
    }

    /// <summary>True when connect() skips this port: <c>fastreuse ≥ 0 || fastreuseport ≥ 0</c>.</summary>
    public bool IsBindOwned => FastReuse >= 0 || FastReusePort >= 0;

    /// <summary>The state this bucket gives its port for connect().</summary>
    public PortState State => IsBindOwned ? PortState.BindOwned : PortState.ConnectOwned;

    /// <inheritdoc />
    public override string ToString() => $"tb(port {Port}, fastreuse {FastReuse}, fastreuseport {FastReusePort}, owners {Owners.Count})";
}
