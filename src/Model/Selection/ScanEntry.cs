namespace PortSelection.Model.Selection;

/// <summary>What the ehash holds for a candidate 4-tuple (<c>__inet_check_established</c>).</summary>
internal enum ScanEntry : byte
{
    /// <summary>No entry: the 4-tuple is unique.</summary>
    None,
    /// <summary>A live connection: busy.</summary>
    Live,
    /// <summary>A TIME_WAIT socket: reusable per <c>tcp_twsk_unique()</c>.</summary>
    TimeWait,
}
