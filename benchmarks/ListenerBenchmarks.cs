using BenchmarkDotNet.Attributes;
using PortSelection.Model.Kernel;
using PortSelection.Model.Listen;

namespace PortSelection.Benchmarks;

/// <summary>
/// Throughput of the listener state machine <see cref="ListenerState"/> (6.18, <c>listen(fd, 128)</c>, somaxconn 4096,
/// loopback RTT 1 ms): a recorded trace of <see cref="EventsPerInvoke"/> input events (SYN, 3rd ACK, accept()) is
/// replayed on a fresh listener through <see cref="ListenerState.OnSyn"/>, <see cref="ListenerState.OnAck"/> and
/// <see cref="ListenerState.Accept"/>. One operation = one input event (request timers that fire in between — SYN-ACK
/// retransmissions, expiries — are part of its cost); events/s = 1e9 / ns. The listener keeps its whole trace, so the
/// allocation per event includes the growth of <see cref="ListenerState.Trace"/> as well as the request and timer nodes.
/// </summary>
/// <remarks>
/// <para>The trace is recorded once in the global setup by closed-loop clients against a scratch listener, so it is the
/// sequence a kernel probe would see: clients whose SYN was dropped retransmit it on the 6.18 SYN schedule (1 s, 2 s …),
/// clients whose 3rd ACK overflowed answer the listener's retransmitted SYN-ACK with another ACK, spoofed flood sources
/// never answer. The mixes:</para>
/// <list type="bullet">
/// <item><b>Steady</b>: 10 new clients per ms, accept() up to 20 per ms — below capacity, no drop.</item>
/// <item><b>Overload</b>: 10 new clients per ms, accept() only 5 per ms — the accept queue overflows: SYNs dropped,
/// 3rd ACKs overflow (requests kept, <c>tcp_abort_on_overflow</c> 0), SYN and SYN-ACK retransmissions.</item>
/// <item><b>Flood</b>: 2 real clients and 8 spoofed SYNs per ms, accept() up to 10 per ms — the SYN queue fills with
/// requests that are never acknowledged: SYN cookies with <c>tcp_syncookies</c> 1, <c>TCPReqQFullDrop</c> with 0.</item>
/// </list>
/// <para>The setup replays the trace once and asserts that the mix does what it claims (no drop in Steady; overflows in
/// Overload; cookies sent and validated, or SYN-queue drops, in Flood); every timed replay must reproduce its checksum of
/// outcomes and counters (checked in the cleanup).</para>
/// </remarks>
[MemoryDiagnoser]
public class ListenerBenchmarks
{
    /// <summary>Input events replayed per invocation (on one fresh listener).</summary>
    public const int EventsPerInvoke = 30_000;

    /// <summary>The listen() argument.</summary>
    public const int ListenArg = 128;

    /// <summary>Client RTT in ms (the 3rd ACK follows the SYN-ACK after this long).</summary>
    public const long RttMs = 1;

    /// <summary>The event mix (see the class remarks).</summary>
    [Params(ListenerMix.Steady, ListenerMix.Overload, ListenerMix.Flood)]
    public ListenerMix Mix { get; set; } = ListenerMix.Steady;

    /// <summary><c>net.ipv4.tcp_syncookies</c> (6.18 default: 1).</summary>
    [Params(0, 1)]
    public int Syncookies { get; set; } = 1;

    private ListenQueueProfile _profile = null!;
    private ListenSysctls _sysctls;
    private ListenerStep[] _steps = null!;
    private long _expected;
    private long _last;
    private bool _mismatch;

    /// <summary>Records the trace of the mix and checks it (see the class remarks).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _profile = KernelProfile.FromRelease("6.18.44").Listen;
        _sysctls = ListenSysctls.Defaults(_profile).WithSomaxconn(4096).WithSyncookies(Syncookies);
        _steps = Record(_profile, _sysctls, Mix, EventsPerInvoke);
        if (_steps.Length != EventsPerInvoke) throw new InvalidOperationException($"recorded {_steps.Length} events, expected {EventsPerInvoke}");

        var tally = new long[16];
        var l = new ListenerState(_profile, _sysctls, ListenArg);
        _expected = Replay(l, _steps, tally);
        var c = l.Counters;
        long synDrops = tally[(int)SynOutcome.DroppedAcceptQueueFull] + tally[(int)SynOutcome.DroppedSynQueueFull] + tally[(int)SynOutcome.DroppedThreeQuarterRule];
        Console.WriteLine($"// {Mix}, syncookies {Syncookies}: {_steps[^1].TimeMs + 1} ms of traffic, {c}");
        string? wrong = Mix switch
        {
            ListenerMix.Steady when c.ListenDrops != 0 || synDrops != 0 || c.PassiveOpens < EventsPerInvoke / 3 - 100 => "steady mix dropped or stalled",
            ListenerMix.Overload when c.ListenOverflows == 0 || tally[(int)SynOutcome.DroppedAcceptQueueFull] == 0 ||
                                      tally[8 + (int)AckOutcome.OverflowRequestKept] == 0 || c.TcpSynRetrans == 0 => "overload mix did not overflow both queues' tests",
            ListenerMix.Flood when Syncookies == 1 && (c.SyncookiesSent == 0 || c.SyncookiesRecv == 0 || tally[8 + (int)AckOutcome.CookieChildQueued] == 0) => "flood mix sent or validated no cookie",
            ListenerMix.Flood when Syncookies == 0 && (c.TcpReqQFullDrop == 0 || c.SyncookiesSent != 0) => "flood mix without cookies had no SYN-queue drop",
            _ => null,
        };
        if (wrong is not null) throw new InvalidOperationException($"{wrong}: {c}");
    }

    /// <summary>Replays the recorded events on a fresh listener; returns the checksum of outcomes and counters.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public long Replay()
    {
        long h = Replay(new ListenerState(_profile, _sysctls, ListenArg), _steps, null);
        _last = h;
        if (h != _expected) _mismatch = true;
        return h;
    }

    /// <summary>Throws when a timed replay did not reproduce the setup's checksum.</summary>
    [GlobalCleanup]
    public void Check()
    {
        Console.WriteLine($"// checksum: replay {_last}, setup {_expected}");
        if (_mismatch) throw new InvalidOperationException($"a replay gave checksum {_last}, the setup {_expected}");
    }

    /// <summary>The replay loop: one call per event; the checksum sums the outcome codes, then mixes in the final state.</summary>
    /// <param name="l">A fresh listener.</param>
    /// <param name="steps">The events.</param>
    /// <param name="tally">Outcome counts (SYN outcomes at 0.., ACK outcomes at 8..) or null.</param>
    private static long Replay(ListenerState l, ListenerStep[] steps, long[]? tally)
    {
        long h = 0;
        foreach (ref readonly var s in steps.AsSpan())
        {
            int code = s.Kind switch
            {
                ListenerStepKind.Syn => (int)l.OnSyn(s.TimeMs, s.ClientId),
                ListenerStepKind.Ack => 8 + (int)l.OnAck(s.TimeMs, s.ClientId),
                _ => l.Accept(s.TimeMs) ? 15 : 14,
            };
            h += code;
            if (tally is not null) tally[code]++;
        }
        var c = l.Counters;
        return h * 1_000_003 + l.AcceptQueueLength * 1009 + l.RequestCount * 31 + c.ListenDrops * 7 + c.SyncookiesRecv * 3 + c.TcpSynRetrans + l.Trace.Count;
    }

    /// <summary>
    /// Records <paramref name="count"/> input events of closed-loop clients against a scratch listener (see the class remarks).
    /// </summary>
    /// <param name="profile">Listen-queue profile.</param>
    /// <param name="sysctls">Sysctls.</param>
    /// <param name="mix">The mix.</param>
    /// <param name="count">Events to record.</param>
    public static ListenerStep[] Record(ListenQueueProfile profile, ListenSysctls sysctls, ListenerMix mix, int count)
    {
        var (realPerMs, spoofedPerMs, acceptPerMs) = mix switch
        {
            ListenerMix.Steady => (10, 0, 20),
            ListenerMix.Overload => (10, 0, 5),
            _ => (2, 8, 10),
        };
        var schedule = ClientSynSchedule.Default(profile);
        var l = new ListenerState(profile, sysctls, ListenArg);
        var steps = new List<ListenerStep>(count);
        // pending client packets: (kind, client) by (time, sequence)
        var pending = new PriorityQueue<(ListenerStepKind Kind, long Client), (long TimeMs, long Seq)>();
        var firstSynMs = new Dictionary<long, long>();   // real clients: first SYN instant
        var synsSent = new Dictionary<long, int>();       // real clients: SYNs sent so far
        var keptAfterAck = new HashSet<long>();          // real clients whose 3rd ACK overflowed (request kept)
        var order = new Random(42);                       // seeded: the same trace in every process
        long seq = 0, nextClient = 0;
        int traceSeen = 0;

        for (long t = 0; steps.Count < count; t++)
        {
            // this ms's new SYNs, real and spoofed in a seeded random order (real ones must not always come first)
            int real = realPerMs, spoofed = spoofedPerMs;
            while (real + spoofed > 0)
            {
                long id = nextClient++;
                if (order.Next(real + spoofed) < real)
                {
                    real--;
                    firstSynMs[id] = t;
                    pending.Enqueue((ListenerStepKind.Syn, id), (t, seq++));
                }
                else
                {
                    spoofed--;
                    pending.Enqueue((ListenerStepKind.Syn, -1 - id), (t, seq++));   // negative: never answers
                }
            }

            while (steps.Count < count && pending.TryPeek(out var p, out var when) && when.TimeMs <= t)
            {
                pending.Dequeue();
                steps.Add(new ListenerStep(p.Kind, t, p.Client));
                if (p.Kind == ListenerStepKind.Syn)
                {
                    var o = l.OnSyn(t, p.Client);
                    if (p.Client < 0) { Follow(); continue; }
                    int sent = synsSent[p.Client] = synsSent.GetValueOrDefault(p.Client) + 1;
                    if (o is SynOutcome.RequestCreated or SynOutcome.CookieSent or SynOutcome.SynAckResent)
                        pending.Enqueue((ListenerStepKind.Ack, p.Client), (t + RttMs, seq++));
                    else if (schedule.AttemptMs(sent) is long retransmitMs)
                        pending.Enqueue((ListenerStepKind.Syn, p.Client), (firstSynMs[p.Client] + retransmitMs, seq++));
                }
                else
                {
                    var o = l.OnAck(t, p.Client);
                    if (o == AckOutcome.OverflowRequestKept) keptAfterAck.Add(p.Client); else keptAfterAck.Remove(p.Client);
                }
                Follow();
            }

            for (int i = 0; i < acceptPerMs && steps.Count < count && l.AcceptQueueLength > 0; i++)
            {
                steps.Add(new ListenerStep(ListenerStepKind.Accept, t, -1));
                l.Accept(t);
                Follow();
            }
        }
        return [.. steps];

        // A client whose overflowed ACK left its request in the queue answers each retransmitted SYN-ACK with an ACK.
        void Follow()
        {
            var trace = l.Trace;
            for (; traceSeen < trace.Count; traceSeen++)
            {
                var e = trace[traceSeen];
                if (e.Kind == ListenerTraceKind.SynAckRetransmitted && keptAfterAck.Remove(e.ClientId))
                    pending.Enqueue((ListenerStepKind.Ack, e.ClientId), (Math.Max(e.TimeMs + RttMs, l.NowMs), seq++));
            }
        }
    }
}

/// <summary>The event mixes of <see cref="ListenerBenchmarks"/>.</summary>
public enum ListenerMix
{
    /// <summary>SYN → 3rd ACK → accept() below capacity.</summary>
    Steady,
    /// <summary>accept() at half the arrival rate: the accept queue overflows.</summary>
    Overload,
    /// <summary>A SYN flood of spoofed sources (4 of 5 SYNs) with real clients among them.</summary>
    Flood,
}

/// <summary>Kind of a recorded listener input event.</summary>
public enum ListenerStepKind : byte
{
    /// <summary>A SYN (first or retransmitted).</summary>
    Syn,
    /// <summary>A 3rd ACK.</summary>
    Ack,
    /// <summary>accept().</summary>
    Accept,
}

/// <summary>One recorded input event of <see cref="ListenerBenchmarks"/>.</summary>
/// <param name="Kind">SYN, ACK or accept().</param>
/// <param name="TimeMs">Instant in ms (non-decreasing).</param>
/// <param name="ClientId">Client (negative: spoofed source; -1 for accept()).</param>
public readonly record struct ListenerStep(ListenerStepKind Kind, long TimeMs, long ClientId);
