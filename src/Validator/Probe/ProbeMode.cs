namespace PortSelection.Validator.Probe;

/// <summary>What the tracepoint backend records per connect(); the cgroup backend has <see cref="Compact"/> and
/// <see cref="Floor"/>; the function-level and classic backends always record per event (see <see cref="ProbeSession.Mode"/>).</summary>
public enum ProbeMode
{
    /// <summary>Default: per-thread state in a BPF hash map and ONE <see cref="ProbeConnectRecord"/> per connect(),
    /// submitted at sys_exit; user space expands it into the same <see cref="ProbeEvent"/>s the detail mode
    /// produces for the connect (enter, scan start, port chosen or scan failed, exit). No other state changes.</summary>
    Compact,
    /// <summary>One <see cref="ProbeEvent"/> per step (≈ 6–9 per loopback connect), including every TCP state
    /// change of the traced tasks.</summary>
    Detail,
    /// <summary>Measurement floor: empty programs, no events. Tracepoint backend: on <c>sys_enter</c>/<c>sys_exit</c> only,
    /// what any syscall-tracepoint probe costs at least. Cgroup backend: on <c>cgroup/connect4</c>, <c>cgroup_skb/egress</c>
    /// and <c>cgroup/sock_release</c>, the least that backend costs.</summary>
    Floor,
    /// <summary>Measurement floor of the compact mode's hook set: empty programs on <c>sys_enter</c>, <c>sys_exit</c>,
    /// <c>inet_sock_set_state</c> and <c>net_dev_queue</c>; no events (tracepoint backend only).</summary>
    HookFloor,
}
