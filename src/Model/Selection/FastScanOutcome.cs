using PortSelection.Model.Ports;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Selection;

/// <summary>
/// The outcome of <see cref="FastConnectScan.Scan"/> as a value (no allocation): the fields of
/// <see cref="ConnectResult"/> except the candidate log.
/// </summary>
public struct FastScanOutcome
{
    /// <summary>The chosen port, or null on failure.</summary>
    public int? Port;
    /// <summary>The port_offset used.</summary>
    public ulong PortOffset;
    /// <summary>The perturb-table index (eras D–E), null otherwise.</summary>
    public int? Index;
    /// <summary>The start offset after the modulo and the parity mask.</summary>
    public uint StartOffset;
    /// <summary>The range actually scanned.</summary>
    public PortRange ScanRange;
    /// <summary>Port step (1 or 2).</summary>
    public int Step;
    /// <summary><c>remaining</c> as the kernel computes it.</summary>
    public uint Remaining;
    /// <summary>Index <c>i</c> of the chosen port within its pass, or −1.</summary>
    public int I;
    /// <summary>Pass of the chosen port (1 or 2), or 0.</summary>
    public int Pass;
    /// <summary>Hint or table slot before the scan.</summary>
    public uint StateBefore;
    /// <summary>Hint or table slot after the scan.</summary>
    public uint StateAfter;
    /// <summary>The random draw used at success, or null.</summary>
    public int? Draw;
    /// <summary>The TIME_WAIT entry the new connection replaces, if any.</summary>
    public EstablishedEntry? ReusedTimeWait;
    /// <summary>Work counters (identical to the reference scan's).</summary>
    public ScanCounters Counters;
    /// <summary>True when the chosen port had no bucket.</summary>
    public bool CreatedBucket;
    /// <summary>True when the chosen port's 4-tuple was held by a TIME_WAIT socket that the new connection takes over.</summary>
    internal bool TimeWaitReused;
    /// <summary>The destination's part of the ehash the scan looked at (null when the destination had no entry), so that the commit need not look it up again.</summary>
    internal DestinationTables? Destination;

    /// <summary>The equivalent <see cref="ConnectResult"/> (empty candidate list).</summary>
    public readonly ConnectResult ToResult() => new()
    {
        Port = Port, Error = Port is null ? PortError.EADDRNOTAVAIL : PortError.None, PortOffset = PortOffset, Index = Index,
        StartOffset = StartOffset, ScanRange = ScanRange, Step = Step, Remaining = Remaining, I = I, Pass = Pass,
        StateBefore = StateBefore, StateAfter = StateAfter, Draw = Draw, ReusedTimeWait = ReusedTimeWait, Counters = Counters,
        CreatedBucket = CreatedBucket,
    };
}
