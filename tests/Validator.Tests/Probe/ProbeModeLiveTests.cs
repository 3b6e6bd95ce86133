using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Tests.Probe;

/// <summary>Live: the compact mode (one record per connect, the default) gives the same per-connect view as the
/// detail mode; the floor mode attaches and records nothing. Destination ports 5601–5603 (unique to these tests).</summary>
[Collection(LiveCollection.Name)]
public sealed class ProbeModeLiveTests(ITestOutputHelper output)
{
    private static PortFillResult Fill(ushort dport, ProbeMode mode) => LiveEnvironment.OrSkip(() => PortFillScenario.Run(new PortFillRequest
    {
        RangeLow = 43000,
        RangeHigh = 43199,
        Destinations = [dport],
        Count = 201,
        TimeLimit = TimeSpan.FromSeconds(30),
        Probe = new ProbeOptions { Backends = [ProbeBackend.Tracepoint], Mode = mode },
    }));

    [Fact]
    public void Compact_and_detail_modes_give_the_same_connect_view()
    {
        LiveEnvironment.RequireOrSkip();
        var compact = Fill(5601, ProbeMode.Compact);
        var detail = Fill(5602, ProbeMode.Detail);
        Assert.Equal(ProbeMode.Compact, compact.Header.Mode);
        Assert.Equal(ProbeMode.Detail, detail.Header.Mode);

        foreach (var (r, dport) in new[] { (compact, 5601), (detail, 5602) })
        {
            Assert.Equal(0, r.LostEvents);
            Assert.Equal(201, r.Connects.Count);
            Assert.Equal(201, r.Traces.Count);
            for (var i = 0; i < 200; i++)
            {
                var t = r.Traces[i];
                Assert.Equal(0, r.Connects[i].Errno);
                Assert.Equal(r.Connects[i].LocalPort, t.ChosenPort);
                Assert.Equal(0, t.Return);
                Assert.False(t.Failed);
                Assert.InRange(t.ScanNs!.Value, 1, 10_000_000);
                Assert.InRange(t.SyscallNs!.Value, t.ScanNs!.Value, 100_000_000);
                Assert.Equal((ushort)dport, t.ScanStart!.Value.DestinationPort);
                Assert.Equal((ushort)dport, t.PortChosen!.Value.DestinationPort);
                Assert.Equal("127.0.0.1", t.PortChosen!.Value.SourceAddress);
                Assert.Equal(t.ScanStart!.Value.Socket, t.PortChosen!.Value.Socket);
            }
            var last = r.Traces[200];
            Assert.True(last.Failed);
            Assert.Null(last.ChosenPort);
            Assert.Equal(-RawSocket.EAddrNotAvail, last.Return);
            Assert.NotNull(last.ScanNs);
            Assert.Equal((ushort)dport, last.ScanFailed!.Value.DestinationPort);
        }

        // The compact mode carries only the connect brackets; the detail mode every state change too.
        Assert.DoesNotContain(compact.Events, e => e.Kind == ProbeEventKind.StateChange);
        Assert.Contains(detail.Events, e => e.Kind == ProbeEventKind.StateChange);
        Assert.Equal(201 * 4, compact.Events.Count);
        output.WriteLine($"events: compact {compact.Events.Count}, detail {detail.Events.Count}");
    }

    [Fact]
    public void Compact_mode_follows_untrace_and_retrace_of_a_thread()
    {
        // The compact programs cache the pids filter's answer per thread; Trace/Untrace must invalidate it.
        LiveEnvironment.RequireOrSkip();
        using var session = LiveEnvironment.OrSkip(() => ProbeSession.Open(new ProbeOptions { Backends = [ProbeBackend.Tracepoint] }));
        Assert.Equal(ProbeMode.Compact, session.Mode);
        using var ns = NetworkNamespace.Create(new Dictionary<string, string> { ["net.ipv4.ip_local_port_range"] = "44000 44099" });
        var tid = ns.Thread.Tid;
        var filler = new ConnectFiller();
        Listener? listener = null;
        try
        {
            ns.Thread.Invoke(() => { listener = Listener.Open(5603, 64); });
            int Connects(int n)
            {
                ns.Thread.Invoke(() => filler.Run(Enumerable.Repeat((ushort)5603, n).ToList(), new ConnectSocketOptions(), TimeSpan.FromSeconds(10)));
                return ConnectTrace.Assemble(session.TakeEvents(), (uint)tid).Count;
            }
            Assert.Equal(0, session.Trace(tid));
            Assert.Equal(3, Connects(3));
            Assert.Equal(0, session.Untrace(tid));
            Assert.Equal(0, Connects(2));
            Assert.Equal(0, session.Trace(tid));
            Assert.Equal(2, Connects(2));
            session.Untrace(tid);
            Assert.Equal(0, session.LostEvents);
        }
        finally
        {
            ns.Thread.Invoke(() =>
            {
                filler.Dispose();
                listener?.Dispose();
            });
        }
    }

    [Fact]
    public void Floor_mode_attaches_and_records_nothing()
    {
        LiveEnvironment.RequireOrSkip();
        using var session = LiveEnvironment.OrSkip(() => ProbeSession.Open(new ProbeOptions { Backends = [ProbeBackend.Tracepoint], Mode = ProbeMode.Floor }));
        Assert.Equal(ProbeMode.Floor, session.Mode);
        Assert.Equal(0, session.Trace(Environment.ProcessId));
        _ = File.ReadAllText("/proc/self/stat"); // some syscalls
        Assert.Empty(session.TakeEvents());
        Assert.Equal(0, session.ReceivedRecords);
        session.Untrace(Environment.ProcessId);
    }

    [Fact]
    public void Floor_mode_is_refused_by_backends_without_it()
    {
        LiveEnvironment.RequireOrSkip();
        var e = Assert.Throws<ProbeUnavailableException>(() =>
            ProbeSession.Open(new ProbeOptions { Backends = [ProbeBackend.Classic], Mode = ProbeMode.Floor }));
        Assert.Contains("not available on the classic backend", e.Message, StringComparison.Ordinal);
    }
}
