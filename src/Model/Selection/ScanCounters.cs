namespace PortSelection.Model.Selection;

/// <summary>
/// The work one scan did, in the units of the cost model (shared/kernel/port-selection.md §10.1):
/// <c>cost ≈ a + b_r·Reserved + b_p·Probes + b_e·TupleChecks + c·(BhashNodes + EhashNodes) + d·Locks</c>.
/// </summary>
public record struct ScanCounters
{
    /// <summary>Loop iterations (ports looked at), reserved ones included.</summary>
    public int Candidates;
    /// <summary>Candidates skipped because reserved (no lock).</summary>
    public int Reserved;
    /// <summary>Candidates whose bind bucket was consulted (<c>Candidates − Reserved</c>).</summary>
    public int Probes;
    /// <summary>Probes that found a BindOwned bucket.</summary>
    public int BindOwned;
    /// <summary>Probes that ran a 4-tuple uniqueness check (ConnectOwned bucket), or bind(0) conflict tests.</summary>
    public int TupleChecks;
    /// <summary>bhash chain nodes walked (all walks, including the 6.15+ locked re-walk).</summary>
    public int BhashNodes;
    /// <summary>ehash chain nodes walked (all walks, including the 6.15+ lockless pre-check).</summary>
    public int EhashNodes;
    /// <summary>bhash bucket locks taken: one per probe before 6.15; only the final or a TIME_WAIT candidate in 6.15+.</summary>
    public int Locks;
    /// <summary>ehash bucket locks taken (<c>__inet_check_established</c> under the lock).</summary>
    public int EhashLocks;
    /// <summary>4-tuple matches that were TIME_WAIT sockets.</summary>
    public int TimeWaitMatches;
    /// <summary><c>cond_resched()</c> calls (one per failed probe since 4.6).</summary>
    public int Rescheds;
}
