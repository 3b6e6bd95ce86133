using PortSelection.Model.Occupancy;
using System.Text.Json;

namespace PortSelection.Validator.Probe;

/// <summary>The first line of a trace: what the kernel and probe were.</summary>
public sealed record TraceHeader
{
    /// <summary>Kernel release.</summary>
    public required string KernelRelease { get; init; }
    /// <summary>CONFIG_HZ and its source.</summary>
    public required KernelHz Hz { get; init; }
    /// <summary>jiffies ↔ CLOCK_MONOTONIC anchor (null when /proc/timer_list is absent).</summary>
    public JiffiesAnchor? Jiffies { get; init; }
    /// <summary>Backend used.</summary>
    public required ProbeBackend Backend { get; init; }
    /// <summary>Probe mode used (compact records are written expanded, as the same events); null when unknown.</summary>
    public ProbeMode? Mode { get; init; }
    /// <summary>Every backend tried, with reasons.</summary>
    public required IReadOnlyList<BackendAttempt> Attempts { get; init; }
    /// <summary>The private cgroup the programs were attached to (cgroup backend), else null.</summary>
    public string? Cgroup { get; init; }
    /// <summary>Sysctls of the namespace the workload ran in (or the host's, read-only).</summary>
    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();
    /// <summary>Namespace name, when the workload ran in one.</summary>
    public string? Namespace { get; init; }
    /// <summary>Traced pids/tids.</summary>
    public IReadOnlyList<int> Traced { get; init; } = [];
}

/// <summary>
/// Writes a trace as JSON Lines: one header object (<c>"type":"header"</c>), then one object per
/// event (<c>"type":"event"</c>), then optionally a footer with the lost-event counts.
/// </summary>
public sealed class TraceWriter(Stream stream) : IDisposable
{
    private readonly Utf8JsonWriter _json = new(stream, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    private readonly Stream _stream = stream;

    /// <summary>Writes the header line.</summary>
    public void WriteHeader(TraceHeader h)
    {
        _json.WriteStartObject();
        _json.WriteString("type", "header");
        _json.WriteString("tool", "portsel");
        _json.WriteString("kernel_release", h.KernelRelease);
        _json.WriteNumber("hz", h.Hz.Hz);
        _json.WriteString("hz_source", h.Hz.Source);
        if (h.Jiffies is { } j)
        {
            _json.WriteStartObject("jiffies_anchor");
            _json.WriteNumber("jiffies", j.Jiffies);
            _json.WriteNumber("monotonic_ns", j.MonotonicNs);
            _json.WriteNumber("read_start_ns", j.ReadStartNs);
            _json.WriteNumber("read_end_ns", j.ReadEndNs);
            _json.WriteString("source", "/proc/timer_list (now at / jiffies:)");
            _json.WriteEndObject();
        }
        else _json.WriteNull("jiffies_anchor");
        _json.WriteString("clock", "CLOCK_MONOTONIC (bpf_ktime_get_ns)");
        _json.WriteString("backend", h.Backend.ToString().ToLowerInvariant());
        if (h.Mode is { } mode) _json.WriteString("probe_mode", mode.ToString().ToLowerInvariant());
        _json.WriteStartArray("attempts");
        foreach (var a in h.Attempts)
        {
            _json.WriteStartObject();
            _json.WriteString("backend", a.Backend.ToString().ToLowerInvariant());
            _json.WriteBoolean("ok", a.Succeeded);
            _json.WriteString("reason", a.Reason);
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
        if (h.Cgroup is not null) _json.WriteString("cgroup", h.Cgroup);
        if (h.Namespace is not null) _json.WriteString("netns", h.Namespace);
        _json.WriteStartObject("sysctls");
        foreach (var (k, v) in h.Sysctls) _json.WriteString(k, v);
        _json.WriteEndObject();
        _json.WriteStartArray("traced");
        foreach (var p in h.Traced) _json.WriteNumberValue(p);
        _json.WriteEndArray();
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>Writes one event line.</summary>
    public void WriteEvent(in ProbeEvent e)
    {
        _json.WriteStartObject();
        _json.WriteString("type", "event");
        _json.WriteNumber("ts_ns", e.TimestampNs);
        _json.WriteString("kind", KindName(e.Kind));
        _json.WriteNumber("pid", e.Pid);
        _json.WriteNumber("tid", e.Tid);
        _json.WriteNumber("cpu", e.Cpu);
        if (e.Return != 0)
        {
            _json.WriteNumber("ret", e.Return);
            _json.WriteString("errno", LibC.ErrnoName(-e.Return));
        }
        if (e.Socket != 0) _json.WriteString("sk", $"0x{e.Socket:x}");
        if (e.Family != 0)
        {
            _json.WriteNumber("family", e.Family);
            _json.WriteString("saddr", e.SourceAddress);
            _json.WriteNumber("sport", e.SourcePort);
            _json.WriteString("daddr", e.DestinationAddress);
            _json.WriteNumber("dport", e.DestinationPort);
        }
        if (e.OldState != 0) _json.WriteString("old_state", ((TcpSocketState)e.OldState).ToString());
        if (e.NewState != 0) _json.WriteString("new_state", ((TcpSocketState)e.NewState).ToString());
        if (e.DurationNs != 0) _json.WriteNumber("duration_ns", e.DurationNs);
        if (e.Aux != 0) _json.WriteNumber("aux", e.Aux);
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>Writes the footer line with the lost-event counts.</summary>
    public void WriteFooter(long events, long lost, long lostThreadStates)
    {
        _json.WriteStartObject();
        _json.WriteString("type", "footer");
        _json.WriteNumber("events", events);
        _json.WriteNumber("lost_events", lost);
        _json.WriteNumber("lost_thread_states", lostThreadStates);
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>snake_case name of a kind, as written in traces.</summary>
    public static string KindName(ProbeEventKind k) => k switch
    {
        ProbeEventKind.ConnectEnter => "connect_enter",
        ProbeEventKind.ConnectExit => "connect_exit",
        ProbeEventKind.ScanStart => "scan_start",
        ProbeEventKind.ScanFailed => "scan_failed",
        ProbeEventKind.PortChosen => "port_chosen",
        ProbeEventKind.StateChange => "state_change",
        ProbeEventKind.SynRetransmit => "syn_retransmit",
        ProbeEventKind.SynAckRetransmit => "synack_retransmit",
        ProbeEventKind.HashConnectEnter => "hash_connect_enter",
        ProbeEventKind.HashConnectExit => "hash_connect_exit",
        ProbeEventKind.ConnectRecord => "connect_record",
        ProbeEventKind.CgroupRecord => "cgroup_record",
        _ => $"kind_{(uint)k}",
    };

    private void EndLine()
    {
        _json.Flush();
        _stream.WriteByte((byte)'\n');
        _json.Reset();
    }

    /// <summary>Flushes the stream.</summary>
    public void Flush() => _stream.Flush();

    /// <summary>Flushes; the stream belongs to the caller.</summary>
    public void Dispose()
    {
        _json.Flush();
        _stream.Flush();
        _json.Dispose();
    }
}
