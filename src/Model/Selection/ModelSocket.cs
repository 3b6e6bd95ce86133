using PortSelection.Model.Ports;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Selection;

/// <summary>A socket of the model host.</summary>
public sealed class ModelSocket
{
    internal ModelSocket(int id, int netns, SocketOptions options) { Id = id; Netns = netns; Options = options; }

    /// <summary>Makes a released socket object a new unbound socket (id recycling by <see cref="KernelHost.Release"/>).</summary>
    internal void Reset(int netns, SocketOptions options)
    {
        Netns = netns;
        Options = options;
        State = SocketState.Unbound;
        LocalAddress = default;
        LocalPort = 0;
        RemoteAddress = default;
        RemotePort = 0;
        ConnectBound = false;
        Owner = null;
        Entry = null;
        Released = false;
    }

    /// <summary>Socket id.</summary>
    public int Id { get; }
    /// <summary>Namespace id.</summary>
    public int Netns { get; private set; }
    /// <summary>Options.</summary>
    public SocketOptions Options { get; private set; }
    /// <summary>State.</summary>
    public SocketState State { get; internal set; }
    /// <summary>Local address (Any until bound or connected).</summary>
    public Ipv4Address LocalAddress { get; internal set; }
    /// <summary>Local port (0 until bound or connected).</summary>
    public int LocalPort { get; internal set; }
    /// <summary>Remote address once connected.</summary>
    public Ipv4Address RemoteAddress { get; internal set; }
    /// <summary>Remote port once connected.</summary>
    public int RemotePort { get; internal set; }
    /// <summary>The port came from connect() autobind (6.18 SOCK_CONNECT_BIND).</summary>
    public bool ConnectBound { get; internal set; }
    internal BindOwner? Owner { get; set; }
    /// <summary>The ehash entry of a connected socket (live, or TIME_WAIT after close), null otherwise.</summary>
    internal EstablishedEntry? Entry { get; set; }
    /// <summary>True between <see cref="KernelHost.Release"/> and the <see cref="KernelHost.Socket"/> call that reuses the id.</summary>
    internal bool Released { get; set; }

    /// <summary>The 4-tuple (meaningful once connected).</summary>
    public FourTuple Tuple => new(LocalAddress, LocalPort, RemoteAddress, RemotePort);
}
