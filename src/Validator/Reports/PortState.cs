namespace PortSelection.Validator.Reports;

/// <summary>State of one local port as drawn in a <see cref="PortStripChart"/>.</summary>
public enum PortState
{
    /// <summary>No bind bucket: connect() may take it.</summary>
    Free,
    /// <summary>Listed in <c>ip_local_reserved_ports</c>.</summary>
    Reserved,
    /// <summary>Bucket owned by bind() (<c>fastreuse</c> ≥ 0): connect() skips it.</summary>
    BindOwned,
    /// <summary>Used by a connect()ed socket, even port (the first pass of the parity scan, eras C+).</summary>
    UsedEven,
    /// <summary>Used by a connect()ed socket, odd port.</summary>
    UsedOdd,
    /// <summary>Held by a TIME_WAIT socket.</summary>
    TimeWait,
}
