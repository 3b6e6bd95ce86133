using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Tests.Scenarios;

/// <summary>Live: the tracepoint backend against a real 1000-port fill (port-selection.md §8.1).
/// Destination ports are unique per test (5101…): the kernel's perturb table is global.</summary>
[Collection(LiveCollection.Name)]
public sealed class PortFillLiveTests(ITestOutputHelper output)
{
    [Fact]
    public void Tracepoint_backend_records_a_1000_port_fill()
    {
        LiveEnvironment.RequireOrSkip();
        var result = LiveEnvironment.OrSkip(() => PortFillScenario.Run(new PortFillRequest
        {
            RangeLow = 40000,
            RangeHigh = 40999,
            Destinations = [5101],
            Count = 1001,
            TimeLimit = TimeSpan.FromSeconds(30),
            Probe = new ProbeOptions { Backends = [ProbeBackend.Tracepoint] },
        }));

        Assert.Equal(ProbeBackend.Tracepoint, result.Backend);
        Assert.Equal("40000\t40999", result.Sysctls["net.ipv4.ip_local_port_range"]);
        Assert.Equal(1001, result.Connects.Count);
        var ok = result.Connects.Take(1000).ToList();
        Assert.All(ok, c => Assert.Equal(0, c.Errno));
        Assert.All(ok, c => Assert.InRange(c.LocalPort, (ushort)40000, (ushort)40999));
        Assert.Equal(1000, ok.Select(c => c.LocalPort).Distinct().Count());
        Assert.All(ok.Take(500), c => Assert.True(c.LocalPort % 2 == 0, $"connect {c.Index}: port {c.LocalPort} is odd in the first half"));
        Assert.All(ok.Skip(500), c => Assert.True(c.LocalPort % 2 == 1, $"connect {c.Index}: port {c.LocalPort} is even in the second half"));
        Assert.Equal(RawSocket.EAddrNotAvail, result.Connects[1000].Errno);

        Assert.Equal(0, result.LostEvents);
        Assert.Equal(1001, result.Traces.Count);
        for (var i = 0; i < 1000; i++)
        {
            var t = result.Traces[i];
            Assert.Equal(result.Connects[i].LocalPort, t.ChosenPort);
            Assert.Equal(0, t.Return);
            Assert.NotNull(t.ScanNs);
            Assert.Equal((ushort)5101, t.PortChosen!.Value.DestinationPort);
            Assert.Equal("127.0.0.1", t.PortChosen!.Value.DestinationAddress);
        }
        var last = result.Traces[1000];
        Assert.NotNull(last.ScanStart);
        Assert.NotNull(last.ScanFailed);
        Assert.Null(last.PortChosen);
        Assert.True(last.Failed);
        Assert.Equal(-RawSocket.EAddrNotAvail, last.Return);

        // Figures (shown with --logger "console;verbosity=detailed").
        static double Median(IEnumerable<long> xs) { var a = xs.Order().ToArray(); return a.Length == 0 ? double.NaN : a[a.Length / 2] / 1000.0; }
        // The scan cost jumps at 50 % occupancy: every odd-half connect first walks the 500 busy even ports.
        var evenMedian = Median(result.Traces.Take(500).Select(t => t.ScanNs!.Value));
        var oddMedian = Median(result.Traces.Skip(500).Take(500).Select(t => t.ScanNs!.Value));
        Assert.True(oddMedian > 2 * evenMedian, $"odd-half scan median {oddMedian} µs is not well above the even half's {evenMedian} µs");
        output.WriteLine($"first ports: {string.Join(",", ok.Take(10).Select(c => c.LocalPort))} … 501st: {ok[500].LocalPort}");
        output.WriteLine($"scan bracket median µs: even half {Median(result.Traces.Take(500).Select(t => t.ScanNs!.Value)):0.00}, " +
                         $"odd half {Median(result.Traces.Skip(500).Take(500).Select(t => t.ScanNs!.Value)):0.00}, failed {last.ScanNs / 1000.0:0.00}");
        output.WriteLine($"syscall median µs: even half {Median(result.Traces.Take(500).Select(t => t.SyscallNs!.Value)):0.00}, " +
                         $"odd half {Median(result.Traces.Skip(500).Take(500).Select(t => t.SyscallNs!.Value)):0.00}");
        output.WriteLine($"events {result.Events.Count}, lost {result.LostEvents}, netns {result.Namespace}, tid {result.WorkloadTid}");
    }

    [Fact]
    public void Per_socket_range_gives_step_one_and_matches_getsockname()
    {
        LiveEnvironment.RequireOrSkip();
        var result = LiveEnvironment.OrSkip(() => PortFillScenario.Run(new PortFillRequest
        {
            RangeLow = 41000,
            RangeHigh = 41099,
            Destinations = [5102],
            Count = 101,
            Socket = new ConnectSocketOptions { LocalPortRange = (0, 65535) },
            Probe = new ProbeOptions { Backends = [ProbeBackend.Tracepoint] },
        }));
        var ok = result.Connects.Where(c => c.Succeeded).ToList();
        Assert.Equal(100, ok.Count);
        Assert.Equal(RawSocket.EAddrNotAvail, result.Connects[^1].Errno);
        // Step 1: parities interleave within the first half (no even-first rule).
        Assert.Contains(ok.Take(50), c => c.LocalPort % 2 == 1);
        for (var i = 0; i < ok.Count; i++) Assert.Equal(ok[i].LocalPort, result.Traces[i].ChosenPort);
        Assert.Equal(0, result.LostEvents);
    }

    [Fact]
    public void Written_trace_is_json_lines_with_a_header()
    {
        LiveEnvironment.RequireOrSkip();
        var result = LiveEnvironment.OrSkip(() => PortFillScenario.Run((42000, 42009), [5103], 11));
        using var ms = new MemoryStream();
        result.WriteTrace(ms);
        var lines = System.Text.Encoding.UTF8.GetString(ms.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var header = System.Text.Json.JsonDocument.Parse(lines[0]);
        Assert.Equal("header", header.RootElement.GetProperty("type").GetString());
        Assert.True(header.RootElement.GetProperty("hz").GetInt32() > 0);
        Assert.False(string.IsNullOrEmpty(header.RootElement.GetProperty("hz_source").GetString()));
        Assert.Equal("42000\t42009", header.RootElement.GetProperty("sysctls").GetProperty("net.ipv4.ip_local_port_range").GetString());
        Assert.Contains(lines, l => l.Contains("\"kind\":\"scan_failed\"", StringComparison.Ordinal));
        Assert.Equal(10, lines.Count(l => l.Contains("\"kind\":\"port_chosen\"", StringComparison.Ordinal)));
        using var footer = System.Text.Json.JsonDocument.Parse(lines[^1]);
        Assert.Equal(0, footer.RootElement.GetProperty("lost_events").GetInt64());
    }
}
