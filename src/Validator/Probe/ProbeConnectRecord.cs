using PortSelection.Model.Occupancy;
using System.Runtime.InteropServices;

namespace PortSelection.Validator.Probe;

/// <summary>
/// The compact-mode ring-buffer record (<see cref="ProbeMode.Compact"/>): one per connect(), field for field the C
/// <c>struct portsel_connect</c> of <c>bpf/portsel_event.h</c> (80 bytes; offsets asserted there with
/// <c>_Static_assert</c> and here by a layout test). Offsets 32–55 coincide with <see cref="ProbeEvent"/>, so
/// <see cref="Kind"/> tells the two records apart. <see cref="ToEvents"/> turns it into the per-event form.
/// The cgroup backend submits the same struct with <see cref="ProbeEventKind.CgroupRecord"/>, one per connect() that
/// reached <c>tcp_v4_pre_connect</c>: no syscall times or errno (<see cref="EnterNs"/> = 0, <see cref="Return"/> = 0);
/// <see cref="ScanStartNs"/> = <c>cgroup/connect4</c> (before the route lookup); on success <see cref="ScanEndNs"/> = the
/// SYN leaving IP output; on failure (no SYN ever left) <see cref="ScanEndNs"/> = 0 and <see cref="ExitNs"/> = when the
/// socket was released; <see cref="Socket"/> = the socket cookie; <see cref="CpuEnter"/>/<see cref="CpuExit"/> = CPU at
/// scan start and at its end (or release).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public readonly record struct ProbeConnectRecord
{
    /// <summary>Size of the record in bytes.</summary>
    public const int Size = 80;

    /// <summary>Offset 0: sys_enter of connect (CLOCK_MONOTONIC ns).</summary>
    [field: FieldOffset(0)] public ulong EnterNs { get; init; }
    /// <summary>Offset 8: CLOSE → SYN_SENT (scan about to start), 0 when not seen.</summary>
    [field: FieldOffset(8)] public ulong ScanStartNs { get; init; }
    /// <summary>Offset 16: first SYN queued, or SYN_SENT → CLOSE (scan failed); 0 when not seen.</summary>
    [field: FieldOffset(16)] public ulong ScanEndNs { get; init; }
    /// <summary>Offset 24: sys_exit of connect.</summary>
    [field: FieldOffset(24)] public ulong ExitNs { get; init; }
    /// <summary>Offset 32: always <see cref="ProbeEventKind.ConnectRecord"/>.</summary>
    [field: FieldOffset(32)] public ProbeEventKind Kind { get; init; }
    /// <summary>Offset 36: connect() return, 0 or <c>-errno</c>.</summary>
    [field: FieldOffset(36)] public int Return { get; init; }
    /// <summary>Offset 40: IPv4 source address, network byte order.</summary>
    [field: FieldOffset(40)] public uint SourceAddressRaw { get; init; }
    /// <summary>Offset 44: IPv4 destination address, network byte order.</summary>
    [field: FieldOffset(44)] public uint DestinationAddressRaw { get; init; }
    /// <summary>Offset 48: local port at the end of the scan (the chosen port when <see cref="Outcome"/> is
    /// <see cref="ScanOutcome.PortChosen"/>).</summary>
    [field: FieldOffset(48)] public ushort SourcePort { get; init; }
    /// <summary>Offset 50: remote port, host order.</summary>
    [field: FieldOffset(50)] public ushort DestinationPort { get; init; }
    /// <summary>Offset 52: address family.</summary>
    [field: FieldOffset(52)] public ushort Family { get; init; }
    /// <summary>Offset 54: how the scan ended.</summary>
    [field: FieldOffset(54)] public ScanOutcome Outcome { get; init; }
    /// <summary>Offset 55: socket state at the end of the scan (see <see cref="TcpSocketState"/>).</summary>
    [field: FieldOffset(55)] public byte State { get; init; }
    /// <summary>Offset 56: process id (tgid).</summary>
    [field: FieldOffset(56)] public uint Pid { get; init; }
    /// <summary>Offset 60: thread id.</summary>
    [field: FieldOffset(60)] public uint Tid { get; init; }
    /// <summary>Offset 64: socket identity (kernel address).</summary>
    [field: FieldOffset(64)] public ulong Socket { get; init; }
    /// <summary>Offset 72: CPU at sys_enter.</summary>
    [field: FieldOffset(72)] public uint CpuEnter { get; init; }
    /// <summary>Offset 76: CPU at sys_exit.</summary>
    [field: FieldOffset(76)] public uint CpuExit { get; init; }

    /// <summary>Syscall number of connect on x86-64 (the <c>aux</c> of connect events).</summary>
    private const uint ConnectNr = 42;

    /// <summary>
    /// The events the detail mode would have submitted for this connect: ConnectEnter, ScanStart (when seen),
    /// PortChosen or ScanFailed (when seen), ConnectExit, with the same timestamps and socket fields. A cgroup record
    /// has no syscall events: ScanStart (at <c>cgroup/connect4</c>, socket fields as in the record, local port 0) and
    /// PortChosen (the SYN left), or ScanFailed stamped with the socket's release and marked
    /// <see cref="ProbeEvent.AuxSeenAtRelease"/> (its scan end is unknown).
    /// </summary>
    public IEnumerable<ProbeEvent> ToEvents()
    {
        if (Kind == ProbeEventKind.CgroupRecord)
        {
            yield return Sock(ScanStartNs, ProbeEventKind.ScanStart, CpuEnter) with
            {
                SourcePort = 0, OldState = (byte)TcpSocketState.Close, NewState = (byte)TcpSocketState.SynSent,
            };
            if (Outcome == ScanOutcome.PortChosen)
                yield return Sock(ScanEndNs, ProbeEventKind.PortChosen, CpuExit) with { NewState = State };
            else if (Outcome == ScanOutcome.Failed)
                yield return Sock(ExitNs, ProbeEventKind.ScanFailed, CpuExit) with
                {
                    OldState = (byte)TcpSocketState.SynSent, NewState = State, Aux = ProbeEvent.AuxSeenAtRelease,
                };
            yield break;
        }
        yield return new ProbeEvent { TimestampNs = EnterNs, Pid = Pid, Tid = Tid, Kind = ProbeEventKind.ConnectEnter, Cpu = CpuEnter, Aux = ConnectNr };
        if (ScanStartNs != 0)
            yield return Sock(ScanStartNs, ProbeEventKind.ScanStart, CpuEnter) with
            {
                SourcePort = 0, OldState = (byte)TcpSocketState.Close, NewState = (byte)TcpSocketState.SynSent,
            };
        if (ScanEndNs != 0 && Outcome == ScanOutcome.PortChosen)
            yield return Sock(ScanEndNs, ProbeEventKind.PortChosen, CpuExit) with { NewState = State };
        if (ScanEndNs != 0 && Outcome == ScanOutcome.Failed)
            yield return Sock(ScanEndNs, ProbeEventKind.ScanFailed, CpuExit) with
            {
                OldState = (byte)TcpSocketState.SynSent, NewState = (byte)TcpSocketState.Close,
            };
        yield return new ProbeEvent
        {
            TimestampNs = ExitNs, Socket = Socket, Pid = Pid, Tid = Tid, Kind = ProbeEventKind.ConnectExit,
            Return = Return, Cpu = CpuExit, Aux = ConnectNr,
        };
    }

    private ProbeEvent Sock(ulong ts, ProbeEventKind kind, uint cpu) => new()
    {
        TimestampNs = ts, Socket = Socket, Pid = Pid, Tid = Tid, Kind = kind, Cpu = cpu,
        SourceAddressRaw = SourceAddressRaw, DestinationAddressRaw = DestinationAddressRaw,
        SourcePort = SourcePort, DestinationPort = DestinationPort, Family = Family,
    };
}

/// <summary>How the port scan of a compact record ended, the <c>PORTSEL_SCAN_*</c> constants.</summary>
public enum ScanOutcome : byte
{
    /// <summary>No SYN_SENT seen (connect failed before the scan, or not a TCP connect).</summary>
    None = 0,
    /// <summary>First SYN queued: the port is chosen.</summary>
    PortChosen = 1,
    /// <summary>SYN_SENT → CLOSE before any SYN: the scan failed (EADDRNOTAVAIL).</summary>
    Failed = 2,
}
