using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Scenarios;

/// <summary>
/// The probe's view of one connect() of one thread: the events between its sys_enter and
/// sys_exit (tracepoint backend), around <c>inet_hash_connect</c> (kprobe/fentry backends), or from
/// SYN_SENT to the chosen port or the failed scan (cgroup backend: no syscall events).
/// </summary>
public sealed record ConnectTrace
{
    /// <summary>0-based order among the thread's traced connects.</summary>
    public int Index { get; init; }
    /// <summary>sys_enter of connect.</summary>
    public ProbeEvent? Enter { get; init; }
    /// <summary>CLOSE → SYN_SENT (scan about to start).</summary>
    public ProbeEvent? ScanStart { get; init; }
    /// <summary>First SYN queued / tcp_connect: the chosen port.</summary>
    public ProbeEvent? PortChosen { get; init; }
    /// <summary>SYN_SENT → CLOSE before a SYN: the scan failed.</summary>
    public ProbeEvent? ScanFailed { get; init; }
    /// <summary>Entry into inet_hash_connect (function-level backends).</summary>
    public ProbeEvent? HashConnectEnter { get; init; }
    /// <summary>Return from inet_hash_connect (function-level backends).</summary>
    public ProbeEvent? HashConnectExit { get; init; }
    /// <summary>sys_exit of connect.</summary>
    public ProbeEvent? Exit { get; init; }

    /// <summary>The chosen local port, or null when none was seen.</summary>
    public ushort? ChosenPort => PortChosen?.SourcePort ??
        (HashConnectExit is { Return: 0, SourcePort: > 0 } h ? h.SourcePort : null);

    /// <summary>True when the probe saw the port scan fail.</summary>
    public bool Failed => ScanFailed is not null || HashConnectExit is { Return: < 0 };

    /// <summary>
    /// Time bracketing the port scan, in ns: SYN_SENT → (SYN queued | CLOSE) on the tracepoint
    /// backend (includes ≈ 3–5 µs of fixed work on success), tcp_v4_pre_connect → SYN leaving IP
    /// output on the cgroup backend (more fixed work: the route lookup too; a failed scan has no
    /// end there, so no time), or the time inside inet_hash_connect on the function-level backends.
    /// Null when incomplete.
    /// </summary>
    public long? ScanNs =>
        HashConnectExit is { DurationNs: > 0 } h ? (long)h.DurationNs :
        ScanStart is { } s && (PortChosen ?? ScanFailed) is { } e && e.Aux != ProbeEvent.AuxSeenAtRelease
            ? (long)(e.TimestampNs - s.TimestampNs) : null;

    /// <summary>sys_enter → sys_exit in ns, when both were seen.</summary>
    public long? SyscallNs => Enter is { } a && Exit is { } b ? (long)(b.TimestampNs - a.TimestampNs) : null;

    /// <summary>Return value of the syscall (0 or -errno), when sys_exit was seen.</summary>
    public int? Return => Exit?.Return;

    /// <summary>
    /// Groups one thread's events (any order) into connects: a new connect starts at each
    /// ConnectEnter, or at HashConnectEnter when the backend has no syscall events. When the thread has
    /// neither (cgroup backend), a connect is a ScanStart and the PortChosen or ScanFailed of the same
    /// socket (a failure is seen when the socket is closed, possibly after later connects of the
    /// thread), in the order of the scan starts; an end without a start is a connect of its own.
    /// </summary>
    public static List<ConnectTrace> Assemble(IEnumerable<ProbeEvent> events, uint tid)
    {
        var mine = events.Where(e => e.Tid == tid).OrderBy(e => e.TimestampNs).ToList();
        if (!mine.Any(e => e.Kind is ProbeEventKind.ConnectEnter or ProbeEventKind.HashConnectEnter))
            return AssembleScans(mine);
        var list = new List<ConnectTrace>();
        ConnectTrace? cur = null;
        var sawSyscalls = false;
        foreach (var e in mine)
        {
            switch (e.Kind)
            {
                case ProbeEventKind.ConnectEnter:
                    sawSyscalls = true;
                    if (cur is not null) list.Add(cur);
                    cur = new ConnectTrace { Index = list.Count, Enter = e };
                    break;
                case ProbeEventKind.HashConnectEnter when !sawSyscalls:
                    if (cur is not null) list.Add(cur);
                    cur = new ConnectTrace { Index = list.Count, HashConnectEnter = e };
                    break;
                case ProbeEventKind.HashConnectEnter when cur is not null:
                    cur = cur with { HashConnectEnter = e };
                    break;
                case ProbeEventKind.HashConnectExit when cur is not null:
                    cur = cur with { HashConnectExit = e };
                    break;
                case ProbeEventKind.ScanStart when cur is not null:
                    cur = cur with { ScanStart = e };
                    break;
                case ProbeEventKind.PortChosen when cur is not null && cur.PortChosen is null:
                    cur = cur with { PortChosen = e };
                    break;
                case ProbeEventKind.ScanFailed when cur is not null:
                    cur = cur with { ScanFailed = e };
                    break;
                case ProbeEventKind.ConnectExit when cur is not null:
                    cur = cur with { Exit = e };
                    list.Add(cur);
                    cur = null;
                    break;
            }
        }
        if (cur is not null) list.Add(cur);
        return list;
    }

    /// <summary>Connects of a thread whose events have no syscall or function entries (cgroup backend), paired by socket.</summary>
    private static List<ConnectTrace> AssembleScans(List<ProbeEvent> mine)
    {
        var list = new List<ConnectTrace>();
        var open = new Dictionary<ulong, int>(); // socket -> index in list of its started, unfinished connect
        foreach (var e in mine)
        {
            switch (e.Kind)
            {
                case ProbeEventKind.ScanStart:
                    open[e.Socket] = list.Count;
                    list.Add(new ConnectTrace { ScanStart = e });
                    break;
                case ProbeEventKind.PortChosen or ProbeEventKind.ScanFailed:
                    ConnectTrace t;
                    if (open.Remove(e.Socket, out var k)) t = list[k];
                    else
                    {
                        k = list.Count;
                        t = new ConnectTrace();
                        list.Add(t);
                    }
                    list[k] = e.Kind == ProbeEventKind.PortChosen ? t with { PortChosen = e } : t with { ScanFailed = e };
                    break;
            }
        }
        return list.Select((t, i) => t with { Index = i }).ToList();
    }
}
