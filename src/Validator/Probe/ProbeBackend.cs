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
public sealed record ProbeBackendSpec(ProbeBackend Backend, string ObjectFile, IReadOnlyList<ProbeProgram> Programs)
{
    /// <summary>The mode this backend actually runs for a requested <paramref name="mode"/>: the tracepoint backend
    /// has them all; the others record per event (Detail) and have no floor (null).</summary>
    public ProbeMode? EffectiveMode(ProbeMode mode) =>
        Programs.Any(p => p.Mode is not null) ? mode : ProbeProgram.IsFloor(mode) ? null : ProbeMode.Detail;

    /// <summary>The four backends in fallback order: fentry → kprobe → tracepoint (tp_btf) → classic.</summary>
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
    ];

    /// <summary>The default order: fentry → kprobe → tracepoint (tp_btf) → classic tracepoints.</summary>
    public static IReadOnlyList<ProbeBackend> DefaultOrder { get; } =
        [ProbeBackend.Fentry, ProbeBackend.Kprobe, ProbeBackend.Tracepoint, ProbeBackend.Classic];

    /// <summary>The spec of <paramref name="backend"/>.</summary>
    public static ProbeBackendSpec For(ProbeBackend backend) => All.First(s => s.Backend == backend);
}

/// <summary>The outcome of trying one backend.</summary>
/// <param name="Backend">The backend tried.</param>
/// <param name="Succeeded">True when every required program loaded and attached.</param>
/// <param name="Reason">Why it failed (one line), or notes on optional programs when it succeeded.</param>
public sealed record BackendAttempt(ProbeBackend Backend, bool Succeeded, string Reason);
