using PortSelection.Model.Ports;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Selection;

/// <summary>The outcome of one connect() autobind scan, with everything needed to explain and cost it.</summary>
public sealed record ConnectResult
{
    /// <summary>The chosen port, or null on failure.</summary>
    public int? Port { get; init; }
    /// <summary>None, or EADDRNOTAVAIL.</summary>
    public PortError Error { get; init; }
    /// <summary>The port_offset used (u32 eras zero-extended).</summary>
    public ulong PortOffset { get; init; }
    /// <summary>The perturb-table index (eras D–E), null otherwise.</summary>
    public int? Index { get; init; }
    /// <summary>The start offset after the modulo and the parity mask (pass 1 begins at <c>low + StartOffset</c>; era A at <c>low + (StartOffset+1) % remaining</c>).</summary>
    public uint StartOffset { get; init; }
    /// <summary>The range actually scanned (after the per-socket clamp).</summary>
    public PortRange ScanRange { get; init; }
    /// <summary>1 with a per-socket range on 6.8+ (or era A/B), 2 otherwise.</summary>
    public int Step { get; init; }
    /// <summary><c>remaining</c> as the kernel computes it (rounded down to even when step is 2).</summary>
    public uint Remaining { get; init; }
    /// <summary>The index <c>i</c> at which the port was found (within its pass), or −1.</summary>
    public int I { get; init; } = -1;
    /// <summary>The pass (1 or 2) in which the port was found, or 0.</summary>
    public int Pass { get; init; }
    /// <summary>The hint (eras A–C) or table slot (D–E) before the scan.</summary>
    public uint StateBefore { get; init; }
    /// <summary>The hint or table slot after the scan (equal to <see cref="StateBefore"/> on failure).</summary>
    public uint StateAfter { get; init; }
    /// <summary>The random draw used at success (era E rand8, era D rand16), or null when none was drawn.</summary>
    public int? Draw { get; init; }
    /// <summary>The TIME_WAIT entry the new connection replaced, if any.</summary>
    public EstablishedEntry? ReusedTimeWait { get; init; }
    /// <summary>The examined candidates in order (empty unless recording was asked for).</summary>
    public IReadOnlyList<ScanCandidate> Candidates { get; init; } = [];
    /// <summary>Work counters.</summary>
    public ScanCounters Counters { get; init; }
    /// <summary>True when the bind bucket of the chosen port did not exist and was created.</summary>
    public bool CreatedBucket { get; init; }
}
