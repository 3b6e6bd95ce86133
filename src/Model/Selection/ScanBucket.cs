namespace PortSelection.Model.Selection;

/// <summary>What the bhash holds for a candidate port (shared/kernel/port-selection.md §2.2).</summary>
internal enum ScanBucket : byte
{
    /// <summary>No bucket: the port is free.</summary>
    None,
    /// <summary>A bucket created by connect() (<c>fastreuse = fastreuseport = −1</c>): the 4-tuple decides.</summary>
    ConnectOwned,
    /// <summary>A bucket with <c>fastreuse ≥ 0 || fastreuseport ≥ 0</c>: connect() skips the port.</summary>
    BindOwned,
}
