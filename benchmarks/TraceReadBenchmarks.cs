using BenchmarkDotNet.Attributes;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Probe;

namespace PortSelection.Benchmarks;

/// <summary>
/// Reading a recorded trace back for replay (<see cref="TraceFile.Read(string)"/>): a JSON Lines file of 100,000
/// connects × 6 events (connect_enter, scan_start, port_chosen, state_change, connect_exit, and a state change of the
/// accepted socket — the shape a live fill records), written once with <see cref="TraceWriter"/>. One operation = one
/// event line: the byte path (event lines parsed in place from a pooled buffer) against the general line reader
/// (<see cref="TraceFile.Read(TextReader)"/>, one string and one <c>JsonDocument</c> per line) it falls back to.
/// </summary>
[MemoryDiagnoser]
public class TraceReadBenchmarks
{
    /// <summary>Connects in the trace.</summary>
    public const int Connects = 100_000;

    /// <summary>Event lines in the trace.</summary>
    public const int Events = Connects * 6;

    private string _path = null!;

    [GlobalSetup]
    public void Write()
    {
        _path = Path.Combine(Path.GetTempPath(), $"portsel-bench-trace-{Environment.ProcessId}.jsonl");
        using (var stream = File.Create(_path))
        using (var w = new TraceWriter(stream))
            WriteTrace(w);
        // Both readers must agree before anything is timed.
        var fast = TraceFile.Read(_path);
        using var reader = new StreamReader(_path);
        var general = TraceFile.Read(reader);
        if (fast.Events.Count != Events || !fast.Events.SequenceEqual(general.Events))
            throw new InvalidOperationException($"trace readers disagree: {fast.Events.Count} vs {general.Events.Count} events");
    }

    private static void WriteTrace(TraceWriter w)
    {
        w.WriteHeader(new TraceHeader
        {
            KernelRelease = "6.18.44", Hz = new KernelHz(250, "benchmark"), Backend = ProbeBackend.Tracepoint, Attempts = [],
            Sysctls = new Dictionary<string, string> { ["net.ipv4.ip_local_port_range"] = "32768 60999" },
        });
        ulong ts = 1_000_000_000;
        const uint Lo = 0x0100007F;
        for (int c = 0; c < Connects; c++)
        {
            ushort port = (ushort)(32768 + c % 28232);
            ulong sk = 0xffff8881_0000_0000UL + (ulong)c * 0x800;
            w.WriteEvent(new ProbeEvent { TimestampNs = ts, Kind = ProbeEventKind.ConnectEnter, Pid = 4242, Tid = 4243, Cpu = 1 });
            w.WriteEvent(new ProbeEvent { TimestampNs = ts + 2_100, Kind = ProbeEventKind.ScanStart, Pid = 4242, Tid = 4243, Cpu = 1, Socket = sk,
                Family = 2, DestinationAddressRaw = Lo, DestinationPort = 5290, OldState = 7, NewState = 2 });
            w.WriteEvent(new ProbeEvent { TimestampNs = ts + 6_000, DurationNs = 3_900, Kind = ProbeEventKind.PortChosen, Pid = 4242, Tid = 4243, Cpu = 1,
                Socket = sk, Family = 2, SourceAddressRaw = Lo, DestinationAddressRaw = Lo, SourcePort = port, DestinationPort = 5290 });
            w.WriteEvent(new ProbeEvent { TimestampNs = ts + 14_000, Kind = ProbeEventKind.StateChange, Pid = 4242, Tid = 4243, Cpu = 1, Socket = sk,
                Family = 2, SourceAddressRaw = Lo, DestinationAddressRaw = Lo, SourcePort = port, DestinationPort = 5290, OldState = 2, NewState = 1 });
            w.WriteEvent(new ProbeEvent { TimestampNs = ts + 15_500, DurationNs = 15_500, Kind = ProbeEventKind.ConnectExit, Pid = 4242, Tid = 4243, Cpu = 1 });
            w.WriteEvent(new ProbeEvent { TimestampNs = ts + 15_900, Kind = ProbeEventKind.StateChange, Pid = 4242, Tid = 4243, Cpu = 0, Socket = sk + 0x400,
                Family = 2, SourceAddressRaw = Lo, DestinationAddressRaw = Lo, SourcePort = 5290, DestinationPort = port, OldState = 3, NewState = 1 });
            ts += 20_000;
        }
        w.WriteFooter(Events, 0, 0);
    }

    [GlobalCleanup]
    public void Delete() => File.Delete(_path);

    [Benchmark(OperationsPerInvoke = Events)]
    public int BytePath() => TraceFile.Read(_path).Events.Count;

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public int LineReader()
    {
        using var reader = new StreamReader(_path);
        return TraceFile.Read(reader).Events.Count;
    }
}
