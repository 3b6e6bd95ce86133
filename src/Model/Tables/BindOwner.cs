using PortSelection.Model.Ports;

namespace PortSelection.Model.Tables;

/// <summary>
/// One owner of a bind bucket: a bound, listening or connected socket, or a TIME_WAIT socket
/// (<c>sk_bind_node</c> / <c>tw_bind_node</c> on <c>tb-&gt;owners</c>, later on <c>tb2-&gt;owners</c>).
/// </summary>
/// <remarks>Created and recycled by <see cref="Selection.KernelHost"/>: an owner object that left its bucket may be reused.</remarks>
public sealed class BindOwner
{
    internal BindOwner() { }

    /// <summary>Position in its bucket's <see cref="BindBucket.Owners"/> (−1 when in none), for O(1) removal.</summary>
    internal int Index { get; set; } = -1;

    /// <summary>The model socket id (TIME_WAIT owners keep the id of the socket they replaced).</summary>
    public int SocketId { get; internal set; }
    /// <summary>Bound local address; <see cref="Ipv4Address.Any"/> for a wildcard bind.</summary>
    public Ipv4Address LocalAddress { get; internal set; }
    /// <summary>Bound device index (SO_BINDTODEVICE), 0 when unbound.</summary>
    public int BoundDevice { get; internal set; }
    /// <summary>SO_REUSEADDR (<c>sk_reuse</c>).</summary>
    public bool Reuse { get; internal set; }
    /// <summary>SO_REUSEPORT (<c>sk_reuseport</c>).</summary>
    public bool ReusePort { get; internal set; }
    /// <summary>User id (for the SO_REUSEPORT uid rule).</summary>
    public int Uid { get; internal set; }
    /// <summary>The socket is in LISTEN state.</summary>
    public bool Listening { get; set; }
    /// <summary>The owner is a TIME_WAIT socket.</summary>
    public bool TimeWait { get; set; }
    /// <summary>
    /// The port came from connect() autobind (6.18 <c>SOCK_CONNECT_BIND</c>, copied into TIME_WAIT as
    /// <c>tw_connect_bind</c>; d57f4b874946).
    /// </summary>
    public bool ConnectBound { get; internal set; }
}
