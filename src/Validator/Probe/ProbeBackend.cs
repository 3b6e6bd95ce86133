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
public readonly record struct ProbeProgram(string Name, bool Required);

/// <summary>What the loader needs to know about one backend.</summary>
/// <param name="Backend">The backend.</param>
/// <param name="ObjectFile">File name of the BPF object under the <c>bpf/</c> output folder.</param>
/// <param name="Programs">Programs to attach, in order.</param>
public sealed record ProbeBackendSpec(ProbeBackend Backend, string ObjectFile, IReadOnlyList<ProbeProgram> Programs)
{
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
            new("portsel_sys_enter", true),
            new("portsel_sys_exit", true),
            new("portsel_set_state", true),
            new("portsel_net_dev_queue", true),
            new("portsel_retransmit_skb", false),
            new("portsel_retransmit_synack", false),
            new("portsel_fork", false),
        ]),
        new(ProbeBackend.Classic, "connect_classic.bpf.o",
        [
            new("portsel_classic_sys_enter", true),
            new("portsel_classic_sys_exit", true),
            new("portsel_classic_set_state", true),
            new("portsel_classic_net_dev_queue", true),
            new("portsel_classic_retransmit_skb", false),
            new("portsel_classic_retransmit_synack", false),
            new("portsel_classic_fork", false),
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
