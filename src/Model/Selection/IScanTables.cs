namespace PortSelection.Model.Selection;

/// <summary>
/// The table lookups <see cref="FastConnectScan"/> makes for a candidate its bitmaps cannot decide, in one namespace
/// and for one destination (source address, remote address and port): the bhash bucket of the port
/// (<c>inet_bind_bucket</c> walk), the ehash entry of the 4-tuple (<c>__inet_check_established</c>) and the
/// <c>tcp_twsk_unique()</c> decision on a TIME_WAIT entry. Implemented by the host's tables and by the compact tables
/// of the workload simulation, so that both run the same scan.
/// </summary>
internal interface IScanTables
{
    /// <summary>The bucket of <paramref name="port"/> and the bhash chain nodes a lookup walks (to the match, or the whole chain).</summary>
    ScanBucket Bucket(int port, out int nodes);

    /// <summary>The ehash entry of the destination's 4-tuple with local port <paramref name="port"/> and the chain nodes walked.</summary>
    ScanEntry Entry(int port, out int nodes);

    /// <summary>
    /// <c>tcp_twsk_unique()</c> with <c>twp != NULL</c> on the TIME_WAIT entry of <paramref name="port"/> at the scan's
    /// time (true also when the port has no TIME_WAIT entry: the candidate is then evaluated).
    /// </summary>
    bool TimeWaitUnique(int port);

    /// <summary>
    /// True when every bhash bucket of the namespace is alone on its chain (a lookup walks one node: one namespace, a
    /// bhash of 65,536 chains or more, <c>inet_bhashfn = (port + net_hash_mix) &amp; (size − 1)</c> since 3.x) and every port with
    /// a live 4-tuple has a bucket: then the lean lane decides a candidate from the live map alone and counts one bhash
    /// node per candidate it skips, and need not read the bucket map (which its owner may then leave unmaintained while no
    /// scan can leave the lean lane).
    /// </summary>
    static abstract bool UnitBuckets { get; }
}
