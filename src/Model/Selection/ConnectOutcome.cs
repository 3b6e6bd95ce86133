using PortSelection.Model.Ports;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Selection;

/// <summary>
/// The outcome of <see cref="KernelHost.ConnectFast"/> as a value: the fields of <see cref="ConnectResult"/> without
/// the candidate log, so that fills and simulations can connect without allocating a result.
/// </summary>
public readonly struct ConnectOutcome
{
    /// <summary>Wraps a scan outcome and its error.</summary>
    public ConnectOutcome(FastScanOutcome scan, PortError error)
    {
        Scan = scan;
        Error = error;
    }

    /// <summary>The scan's fields (port, i, pass, state before / after, draw, counters, …).</summary>
    public FastScanOutcome Scan { get; }
    /// <summary>None, or EADDRNOTAVAIL.</summary>
    public PortError Error { get; }
    /// <summary>The chosen port, or null on failure.</summary>
    public int? Port => Scan.Port;
    /// <summary>Index <c>i</c> of the chosen port within its pass, or −1.</summary>
    public int I => Scan.I;
    /// <summary>Pass of the chosen port (1 or 2), or 0.</summary>
    public int Pass => Scan.Pass;
    /// <summary>Hint or table slot before the connect.</summary>
    public uint StateBefore => Scan.StateBefore;
    /// <summary>Hint or table slot after the connect.</summary>
    public uint StateAfter => Scan.StateAfter;
    /// <summary>Work counters.</summary>
    public ScanCounters Counters => Scan.Counters;

    /// <summary>The outcome of a <see cref="ConnectResult"/> (its candidate log dropped).</summary>
    public static ConnectOutcome From(ConnectResult r) => new(new FastScanOutcome
    {
        Port = r.Port, PortOffset = r.PortOffset, Index = r.Index, StartOffset = r.StartOffset, ScanRange = r.ScanRange,
        Step = r.Step, Remaining = r.Remaining, I = r.I, Pass = r.Pass, StateBefore = r.StateBefore, StateAfter = r.StateAfter,
        Draw = r.Draw, ReusedTimeWait = r.ReusedTimeWait, Counters = r.Counters, CreatedBucket = r.CreatedBucket,
    }, r.Error);

    /// <summary>The equivalent <see cref="ConnectResult"/> (empty candidate list).</summary>
    public ConnectResult ToResult()
    {
        var r = Scan.ToResult();
        return r.Error == Error ? r : r with { Error = Error };
    }
}
