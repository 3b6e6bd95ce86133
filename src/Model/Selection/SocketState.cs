namespace PortSelection.Model.Selection;

/// <summary>The life of a model socket.</summary>
public enum SocketState
{
    /// <summary>Created, no address or port.</summary>
    Unbound,
    /// <summary>IP_BIND_ADDRESS_NO_PORT: address recorded, port deferred to connect().</summary>
    AddressOnly,
    /// <summary>bind() gave it a port.</summary>
    Bound,
    /// <summary>Listening.</summary>
    Listening,
    /// <summary>Connected (in ehash).</summary>
    Connected,
    /// <summary>Closed (its 4-tuple may live on as TIME_WAIT).</summary>
    Closed,
}
