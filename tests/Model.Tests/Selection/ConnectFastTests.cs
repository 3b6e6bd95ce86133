using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Tests.Selection;

/// <summary>
/// <see cref="KernelHost.ConnectFast"/> against <see cref="KernelHost.Connect"/> on the reference scan: same fields,
/// same counters, same table state, through a fill to exhaustion with closes (with and without TIME_WAIT) and bound sockets.
/// </summary>
public class ConnectFastTests
{
    private static readonly Ipv4Address Lo = Ipv4Address.Loopback;

    [Theory]
    [InlineData("3.13")]
    [InlineData("4.4")]
    [InlineData("5.10.13")]
    [InlineData("6.1")]
    [InlineData("6.18.44")]
    public void ConnectFast_matches_the_reference_connect(string kernel)
    {
        var profile = KernelProfile.FromRelease(kernel);
        KernelHost Make(bool reference)
        {
            var h = new KernelHost(profile, new SeededDraws(5), new FixedPortOffset(0x1234_5678_9ABC_DEF0), perturb:
                new PerturbState(profile.PerturbOrder, null, 0x0BADF00D, 0x0BADF00D)) { UseReferenceScan = reference };
            h.AddNamespace(new NamespaceConfig { Range = new PortRange(40000, 40999), Reserved = PortListSyntax.Parse("40100-40163"), TcpTwReuse = 1 });
            return h;
        }
        var fast = Make(false);
        var reference = Make(true);
        var open = new List<int>();
        long now = 0;
        for (int n = 0; n < 1200; n++)
        {
            now += n % 7 == 0 ? 1500 : 0;
            int fs = fast.Socket(0), rs = reference.Socket(0);
            Assert.Equal(rs, fs);
            if (n % 50 == 49)
            {
                fast.BindSocket(fs, Lo, 41000 + n);
                reference.BindSocket(rs, Lo, 41000 + n);
            }
            var f = fast.ConnectFast(fs, Lo, 7000 + n % 3, now);
            var r = reference.Connect(rs, Lo, 7000 + n % 3, now);
            Assert.True(f.Port == r.Port && f.Error == r.Error && f.I == r.I && f.Pass == r.Pass && f.StateBefore == r.StateBefore &&
                        f.StateAfter == r.StateAfter && f.Scan.Draw == r.Draw && f.Scan.StartOffset == r.StartOffset &&
                        f.Scan.CreatedBucket == r.CreatedBucket && f.Counters == r.Counters, $"{kernel} connect {n}: {f.Port} {f.Counters} vs {r.Port} {r.Counters}");
            var back = f.ToResult();
            Assert.Equal(r with { Candidates = back.Candidates, ReusedTimeWait = back.ReusedTimeWait }, back);
            if (f.Port is not null) open.Add(fs);
            if (n % 5 == 4 && open.Count > 0)
            {
                int id = open[n % open.Count];
                open.Remove(id);
                var kind = n % 10 == 4 ? CloseKind.TimeWait : CloseKind.NoTimeWait;
                fast.Close(id, now, kind);
                reference.Close(id, now, kind);
            }
        }
        Assert.Equal(State(reference), State(fast));
    }

    private static string State(KernelHost h) =>
        string.Join(";", h.Bind.BucketsOf(0).OrderBy(b => b.Port).Select(b => $"{b.Port}:{b.FastReuse}/{b.FastReusePort}/{b.Owners.Count}")) + "|" +
        string.Join(";", h.Established.EntriesOf(0).OrderBy(e => e.Tuple.LocalPort).ThenBy(e => e.Tuple.RemotePort).Select(e => $"{e.Tuple}:{e.TimeWait}"));
}
