namespace PortSelection.Model.Simulation;

/// <summary>Which end closes a connection first.</summary>
public enum CloseSide
{
    /// <summary>The client (the connect() side) closes first: its socket stays in TIME_WAIT for 60 s (TCP_TIMEWAIT_LEN), reusable per <c>tcp_tw_reuse</c>.</summary>
    Client,
    /// <summary>The server closes first: the TIME_WAIT is on the server, the client's port is released at close.</summary>
    Server,
}
