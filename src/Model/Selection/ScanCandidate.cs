namespace PortSelection.Model.Selection;

/// <summary>One examined port of a scan.</summary>
/// <param name="Pass">1 or 2 (the parity pass); for bind(0) with halves, the pass within the half.</param>
/// <param name="I">The loop index <c>i</c> as the kernel counts it (restarts at 0 in pass 2; starts at 1 in era A).</param>
/// <param name="Port">The candidate port.</param>
/// <param name="Verdict">The decision.</param>
/// <param name="Detail">Why, in words (e.g. "time-wait too young", "established", "free", "shared with other destinations").</param>
/// <param name="Half">bind(0) with SO_REUSEADDR: 1 lower part, 2 upper part; 0 otherwise.</param>
/// <param name="Relax">bind(0): the <c>ip_autobind_reuse</c> relax pass.</param>
public readonly record struct ScanCandidate(int Pass, int I, int Port, ScanVerdict Verdict, string Detail, int Half = 0, bool Relax = false);
