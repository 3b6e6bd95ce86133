namespace PortSelection.Model.Selection;

/// <summary>How a port choice ended.</summary>
public enum PortError
{
    /// <summary>A port was chosen.</summary>
    None,
    /// <summary>connect(): no usable port in the reachable range (<c>-EADDRNOTAVAIL</c>); no state changed.</summary>
    EADDRNOTAVAIL,
    /// <summary>bind(0) or bind(port): no port / the port is in use (<c>-EADDRINUSE</c>).</summary>
    EADDRINUSE,
}
