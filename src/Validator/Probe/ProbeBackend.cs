namespace PortSelection.Validator.Probe;

/// <summary>The program sets the probe can use, in the order the loader tries them.</summary>
public enum ProbeBackend
{
    /// <summary><c>fentry/fexit __inet_hash_connect</c> (BPF trampolines; <c>bpf/connect_fentry.bpf.c</c>).</summary>
    Fentry,
    /// <summary><c>kprobe/kretprobe inet_hash_connect</c> + <c>kprobe tcp_connect</c>, the seed probe's
    /// hooks (<c>bpf/connect_kprobe.bpf.c</c>).</summary>
    Kprobe,
    /// <summary>BTF tracepoints <c>sys_enter/sys_exit</c>, <c>inet_sock_set_state</c>, <c>net_dev_queue</c>
    /// bracketing the scan (<c>bpf/connect_tp.bpf.c</c>).</summary>
    Tracepoint,
    /// <summary>Classic (tracefs) tracepoints <c>syscalls/sys_{enter,exit}_connect</c>, <c>sock/inet_sock_set_state</c>,
    /// <c>net/net_dev_queue</c>, <c>tcp/tcp_retransmit_{skb,synack}</c> with the same brackets as
    /// <see cref="Tracepoint"/> (<c>bpf/connect_classic.bpf.c</c>); the fallback when <c>tp_btf</c> is
    /// unavailable. Needs tracefs mounted at <c>/sys/kernel/tracing</c> (see <see cref="Tracefs"/>).</summary>
    Classic,
    /// <summary>cgroup v2 socket programs on a private threaded cgroup (<see cref="ProbeCgroup"/>):
    /// <c>cgroup/connect4</c> (<c>tcp_v4_pre_connect</c>) takes the scan start, <c>cgroup_skb/egress</c> submits one record
    /// when the socket's SYN leaves (port chosen), <c>cgroup/sock_release</c> one when a socket that never sent a SYN is
    /// closed (scan failed; its end is not observable) (<c>bpf/connect_cgroup.bpf.c</c>). Only sockets created by traced
    /// threads run them: the lightest backend here, but it sees connect records only (no syscall times or errno, no
    /// retransmissions, no other state changes).</summary>
    Cgroup,
}

/// <summary>How a backend's programs are attached.</summary>
public enum ProbeAttach
{
    /// <summary><c>bpf_program__attach</c>: the section name says where (tracepoints, kprobes, fentry).</summary>
    Auto,
    /// <summary><c>bpf_program__attach_cgroup</c> on the session's private <see cref="ProbeCgroup"/>.</summary>
    Cgroup,
}

/// <summary>One program of a backend: its name in the object, and whether the backend needs it.</summary>
/// <param name="Name">Function name in the .bpf.c (libbpf program name).</param>
/// <param name="Required">False for extras whose attach failure only costs a warning.</param>
/// <param name="Mode">The only <see cref="ProbeMode"/> this program belongs to; null: every recording mode
/// (not the floors).</param>
/// <param name="FollowsChildren">True for the fork follower, loaded only with
/// <see cref="ProbeOptions.FollowChildren"/>.</param>
public readonly record struct ProbeProgram(string Name, bool Required, ProbeMode? Mode = null, bool FollowsChildren = false)
{
    /// <summary>True when this program is loaded for <paramref name="mode"/> (given the fork option).</summary>
    public bool IsUsedIn(ProbeMode mode, bool followChildren) =>
        (Mode is { } m ? m == mode : !IsFloor(mode)) && (!FollowsChildren || followChildren);

    /// <summary>True for the measurement floors (<see cref="ProbeMode.Floor"/>, <see cref="ProbeMode.HookFloor"/>).</summary>
    public static bool IsFloor(ProbeMode mode) => mode is ProbeMode.Floor or ProbeMode.HookFloor;
}

/// <summary>What the loader needs to know about one backend.</summary>
/// <param name="Backend">The backend.</param>
/// <param name="ObjectFile">File name of the BPF object under the <c>bpf/</c> output folder.</param>
/// <param name="Programs">Programs to attach, in order.</param>
/// <param name="Attach">How the programs are attached.</param>
public sealed record ProbeBackendSpec(ProbeBackend Backend, string ObjectFile, IReadOnlyList<ProbeProgram> Programs,
    ProbeAttach Attach = ProbeAttach.Auto)
{
    /// <summary>The mode this backend actually runs for a requested <paramref name="mode"/>, null when it has none for
    /// it: a backend with per-mode programs runs the modes it has programs for (tracepoint: all four; cgroup: compact
    /// and floor); the others record per event (Detail) and have no floor.</summary>
    public ProbeMode? EffectiveMode(ProbeMode mode) =>
        Programs.Any(p => p.Mode is not null)
            ? Programs.Any(p => p.Mode == mode) ? mode : null
            : ProbeProgram.IsFloor(mode) ? null : ProbeMode.Detail;

    /// <summary>The backends: fentry, kprobe, tracepoint (tp_btf), classic, cgroup.</summary>
    public static IReadOnlyList<ProbeBackendSpec> All { get; } =
    [
        new(ProbeBackend.Fentry, "connect_fentry.bpf.o",
        [
            new("portsel_fentry_hash_connect", true),
            new("portsel_fexit_hash_connect", true),
        ]),
        new(ProbeBackend.Kprobe, "connect_kprobe.bpf.o",
        [
            new("portsel_kp_hash_connect", true),
            new("portsel_krp_hash_connect", true),
            new("portsel_kp_tcp_connect", true),
        ]),
        new(ProbeBackend.Tracepoint, "connect_tp.bpf.o",
        [
            new("portsel_c_sys_enter", true, ProbeMode.Compact),
            new("portsel_c_sys_exit", true, ProbeMode.Compact),
            new("portsel_c_set_state", true, ProbeMode.Compact),
            new("portsel_c_net_dev_queue", true, ProbeMode.Compact),
            new("portsel_sys_enter", true, ProbeMode.Detail),
            new("portsel_sys_exit", true, ProbeMode.Detail),
            new("portsel_set_state", true, ProbeMode.Detail),
            new("portsel_net_dev_queue", true, ProbeMode.Detail),
            new("portsel_floor_sys_enter", true, ProbeMode.Floor),
            new("portsel_floor_sys_exit", true, ProbeMode.Floor),
            new("portsel_floor_sys_enter", true, ProbeMode.HookFloor),
            new("portsel_floor_sys_exit", true, ProbeMode.HookFloor),
            new("portsel_floor_set_state", true, ProbeMode.HookFloor),
            new("portsel_floor_net_dev_queue", true, ProbeMode.HookFloor),
            new("portsel_retransmit_skb", false),
            new("portsel_retransmit_synack", false),
            new("portsel_fork", false, FollowsChildren: true),
        ]),
        new(ProbeBackend.Classic, "connect_classic.bpf.o",
        [
            new("portsel_classic_sys_enter", true),
            new("portsel_classic_sys_exit", true),
            new("portsel_classic_set_state", true),
            new("portsel_classic_net_dev_queue", true),
            new("portsel_classic_retransmit_skb", false),
            new("portsel_classic_retransmit_synack", false),
            new("portsel_classic_fork", false, FollowsChildren: true),
        ]),
        new(ProbeBackend.Cgroup, "connect_cgroup.bpf.o",
        [
            new("portsel_cg_connect4", true, ProbeMode.Compact),
            new("portsel_cg_egress", true, ProbeMode.Compact),
            new("portsel_cg_release", true, ProbeMode.Compact),
            new("portsel_cg_floor_connect4", true, ProbeMode.Floor),
            new("portsel_cg_floor_egress", true, ProbeMode.Floor),
            new("portsel_cg_floor_release", true, ProbeMode.Floor),
        ], ProbeAttach.Cgroup),
    ];

    /// <summary>The default order, for probes that need more than connect records (SYN and SYN-ACK retransmissions,
    /// every state change, syscall times, following forks; <c>portsel probe</c>): fentry → kprobe → tracepoint (tp_btf) →
    /// classic tracepoints.</summary>
    public static IReadOnlyList<ProbeBackend> DefaultOrder { get; } =
        [ProbeBackend.Fentry, ProbeBackend.Kprobe, ProbeBackend.Tracepoint, ProbeBackend.Classic];

    /// <summary>The order for the connect-record checks (<c>validate ports</c>, <c>reserved</c>, <c>step1</c>,
    /// <c>live-fill</c>, <c>bench-probe</c>): fentry → kprobe (they time <c>inet_hash_connect</c> itself) → cgroup (the
    /// lightest bracket where function probes are refused) → tracepoint → classic.</summary>
    public static IReadOnlyList<ProbeBackend> ConnectRecordOrder { get; } =
        [ProbeBackend.Fentry, ProbeBackend.Kprobe, ProbeBackend.Cgroup, ProbeBackend.Tracepoint, ProbeBackend.Classic];

    /// <summary>The spec of <paramref name="backend"/>.</summary>
    public static ProbeBackendSpec For(ProbeBackend backend) => All.First(s => s.Backend == backend);
}

/// <summary>The outcome of trying one backend.</summary>
/// <param name="Backend">The backend tried.</param>
/// <param name="Succeeded">True when every required program loaded and attached.</param>
/// <param name="Reason">Why it failed (one line), or notes on optional programs when it succeeded.</param>
public sealed record BackendAttempt(ProbeBackend Backend, bool Succeeded, string Reason);
