using System.Runtime.InteropServices;

namespace PortSelection.Validator.Probe;

/// <summary>
/// One ring-buffer record, field for field the C <c>struct portsel_event</c> of
/// <c>bpf/portsel_event.h</c> (64 bytes; the offsets are asserted there with <c>_Static_assert</c>
/// and here by a layout test).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public readonly record struct ProbeEvent
{
    /// <summary>Size of the record in bytes.</summary>
    public const int Size = 64;

    /// <summary>Offset 0: <c>bpf_ktime_get_ns()</c>, i.e. CLOCK_MONOTONIC in ns.</summary>
    [field: FieldOffset(0)] public ulong TimestampNs { get; init; }
    /// <summary>Offset 8: kind-specific duration in ns (hash-connect exit), else 0.</summary>
    [field: FieldOffset(8)] public ulong DurationNs { get; init; }
    /// <summary>Offset 16: socket identity (kernel address; only for correlating events).</summary>
    [field: FieldOffset(16)] public ulong Socket { get; init; }
    /// <summary>Offset 24: process id (tgid) current when the event fired.</summary>
    [field: FieldOffset(24)] public uint Pid { get; init; }
    /// <summary>Offset 28: thread id current when the event fired.</summary>
    [field: FieldOffset(28)] public uint Tid { get; init; }
    /// <summary>Offset 32: what happened.</summary>
    [field: FieldOffset(32)] public ProbeEventKind Kind { get; init; }
    /// <summary>Offset 36: syscall or function return value: 0 or <c>-errno</c>.</summary>
    [field: FieldOffset(36)] public int Return { get; init; }
    /// <summary>Offset 40: IPv4 source address in network byte order.</summary>
    [field: FieldOffset(40)] public uint SourceAddressRaw { get; init; }
    /// <summary>Offset 44: IPv4 destination address in network byte order.</summary>
    [field: FieldOffset(44)] public uint DestinationAddressRaw { get; init; }
    /// <summary>Offset 48: local port (<c>skc_num</c>), host order.</summary>
    [field: FieldOffset(48)] public ushort SourcePort { get; init; }
    /// <summary>Offset 50: remote port, host order.</summary>
    [field: FieldOffset(50)] public ushort DestinationPort { get; init; }
    /// <summary>Offset 52: address family (2 = AF_INET).</summary>
    [field: FieldOffset(52)] public ushort Family { get; init; }
    /// <summary>Offset 54: TCP state before (state events; see <see cref="PortSelection.Model.Occupancy.TcpSocketState"/>).</summary>
    [field: FieldOffset(54)] public byte OldState { get; init; }
    /// <summary>Offset 55: TCP state after.</summary>
    [field: FieldOffset(55)] public byte NewState { get; init; }
    /// <summary>Offset 56: CPU the event fired on.</summary>
    [field: FieldOffset(56)] public uint Cpu { get; init; }
    /// <summary>Offset 60: kind-specific auxiliary value (syscall number for connect events; <see cref="AuxSeenAtRelease"/>
    /// on a ScanFailed whose timestamp is not the scan's end).</summary>
    [field: FieldOffset(60)] public uint Aux { get; init; }

    /// <summary><see cref="Aux"/> of a ScanFailed event of the cgroup backend: the failure was seen when the socket was
    /// released (closed), so <see cref="TimestampNs"/> is that moment, not the end of the scan (which that backend cannot
    /// observe). Such a connect has no scan time.</summary>
    public const uint AuxSeenAtRelease = 1;

    /// <summary>Source address as dotted quad.</summary>
    public string SourceAddress => FormatIPv4(SourceAddressRaw);

    /// <summary>Destination address as dotted quad.</summary>
    public string DestinationAddress => FormatIPv4(DestinationAddressRaw);

    /// <summary>Formats an IPv4 address held in network byte order in a little-endian u32.</summary>
    public static string FormatIPv4(uint networkOrder) =>
        $"{networkOrder & 0xFF}.{(networkOrder >> 8) & 0xFF}.{(networkOrder >> 16) & 0xFF}.{networkOrder >> 24}";
}

/// <summary>Event kinds, the <c>PORTSEL_EV_*</c> constants of <c>bpf/portsel_event.h</c>.</summary>
public enum ProbeEventKind : uint
{
    /// <summary>Not a valid event.</summary>
    None = 0,
    /// <summary><c>sys_enter</c> of connect (x86-64 nr 42).</summary>
    ConnectEnter = 1,
    /// <summary><c>sys_exit</c> of that connect; <see cref="ProbeEvent.Return"/> = 0 or -errno.</summary>
    ConnectExit = 2,
    /// <summary><c>inet_sock_set_state</c> CLOSE → SYN_SENT: <c>tcp_v4_connect</c> is about to call
    /// <c>inet_hash_connect()</c>; the local port is still 0.</summary>
    ScanStart = 3,
    /// <summary>SYN_SENT → CLOSE before any SYN left: <c>inet_hash_connect()</c> failed (EADDRNOTAVAIL).</summary>
    ScanFailed = 4,
    /// <summary>The port is chosen: first SYN queued (<c>net_dev_queue</c>) or <c>tcp_connect</c> entered.</summary>
    PortChosen = 5,
    /// <summary>Any other TCP state change seen in a traced task's context.</summary>
    StateChange = 6,
    /// <summary><c>tcp_retransmit_skb</c> on a traced socket still in SYN_SENT.</summary>
    SynRetransmit = 7,
    /// <summary><c>tcp_retransmit_synack</c> on a registered listen port.</summary>
    SynAckRetransmit = 8,
    /// <summary>Entry of <c>inet_hash_connect</c> (kprobe) / <c>__inet_hash_connect</c> (fentry).</summary>
    HashConnectEnter = 9,
    /// <summary>Return of it; <see cref="ProbeEvent.DurationNs"/> is the time inside.</summary>
    HashConnectExit = 10,
    /// <summary>Compact mode: a <see cref="ProbeConnectRecord"/> (one per connect); never kept as an event, the
    /// session expands it with <see cref="ProbeConnectRecord.ToEvents"/>.</summary>
    ConnectRecord = 11,
    /// <summary>Cgroup backend: a <see cref="ProbeConnectRecord"/> per port scan (no syscall times); never kept as an
    /// event, the session expands it with <see cref="ProbeConnectRecord.ToEvents"/> into ScanStart and PortChosen or
    /// ScanFailed.</summary>
    CgroupRecord = 12,
}

