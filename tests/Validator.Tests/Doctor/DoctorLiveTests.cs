using PortSelection.Model.Occupancy;
using PortSelection.Validator.Doctor;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Tests.Doctor;

/// <summary>
/// Live: the doctor's reading code run inside a private namespace (on its <see cref="NetnsThread"/>, so
/// /proc/thread-self/net/tcp and /proc/sys are the namespace's) against 300 real connections.
/// Destination ports 5401–5499 belong to these tests (the kernel's perturb table is global).
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class DoctorLiveTests(ITestOutputHelper output)
{
    [Fact]
    public void Doctor_sees_300_client_connections_their_parity_and_the_listeners_queue()
    {
        LiveEnvironment.RequireOrSkip();
        const int N = 300, Backlog = 1024;
        const ushort Port = 5401;
        using var ns = NetworkNamespace.Create(new Dictionary<string, string> { ["net.ipv4.ip_local_port_range"] = "40000 40999" });
        var (ports, inputs, report) = ns.Thread.Invoke(() =>
        {
            using var listener = Listener.Open(Port, Backlog);
            var fds = new List<int>();
            try
            {
                var kernelPorts = new List<int>();
                for (int i = 0; i < N; i++)
                {
                    int fd = RawSocket.OpenTcp();
                    Assert.True(fd >= 0, $"socket: {fd}");
                    fds.Add(fd);
                    RawSocket.SetSendTimeout(fd, TimeSpan.FromSeconds(5));
                    int rc = RawSocket.Connect(fd, RawSocket.Loopback, Port);
                    Assert.True(rc == 0, $"connect {i}: {rc}");
                    kernelPorts.Add(RawSocket.LocalPort(fd));
                }
                var read = DoctorInputs.Read(procRoot: null);
                return (kernelPorts, read, OccupancyAnalysis.Analyze(read.Snapshot, trials: 32));
            }
            finally
            {
                foreach (var fd in fds)
                {
                    RawSocket.SetAbortiveClose(fd);
                    RawSocket.Close(fd);
                }
            }
        }, TimeSpan.FromSeconds(60));

        Assert.Equal(new Model.Ports.PortRange(40000, 40999), inputs.Snapshot.Config.Range);
        Assert.StartsWith("sock_diag", inputs.BacklogSource);
        var g = Assert.Single(report.Groups);
        Assert.Equal(("127.0.0.1", "127.0.0.1", (int)Port), (g.Source, g.Destination, g.DestinationPort));
        Assert.Equal(N, g.Live);
        Assert.Equal(0, g.TimeWait);
        Assert.Equal(700, g.Fit);
        // The kernel's choice: even ports first (parity two-pass, port-selection.md §8.1); the doctor's split matches it.
        int even = ports.Count(p => p % 2 == 0);
        Assert.Equal(N, even);
        Assert.Equal((even, N - even), (g.LiveEven, g.LiveOdd));
        Assert.Equal(ports.Order(), inputs.Snapshot.Sockets
            .Where(s => s.State != TcpSocketState.Listen && s.RemotePort == Port).Select(s => s.LocalPort).Order());
        Assert.Equal(0, g.Failures);

        var l = Assert.Single(report.Listeners);
        Assert.Equal(Port, l.Port);
        Assert.Equal(Backlog, l.Backlog);
        Assert.Equal(Math.Min(N, Backlog + 1), l.AcceptQueue);   // the listener never accepts
        Assert.False(l.Full);
        output.WriteLine(PortSelection.Validator.Cli.DoctorCommand.ToText(inputs, report, 5));
    }
}
