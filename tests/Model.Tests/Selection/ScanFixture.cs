using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Model.Tests.Selection;

/// <summary>Builds a host in the states used by the worked examples of port-selection.md §7.</summary>
internal static class ScanFixture
{
    public static readonly Ipv4Address Local = Ipv4Address.Loopback;
    public const int Dport = 5000;

    public static (KernelHost Host, int Netns) Host(string kernel, PortRange range, ulong portOffset,
        uint hintOrTable = 0, IRandomDraws? draws = null, string reserved = "")
    {
        var profile = KernelProfile.FromRelease(kernel);
        var perturb = new PerturbState(profile.PerturbOrder, null, fillValue: hintOrTable, hint: hintOrTable);
        var host = new KernelHost(profile, draws ?? new SeededDraws(1), new FixedPortOffset(portOffset), perturb: perturb);
        int ns = host.AddNamespace(new NamespaceConfig { Range = range, Reserved = PortListSyntax.Parse(reserved) });
        return (host, ns);
    }

    public static void MarkBindOwned(KernelHost host, int ns, params int[] ports)
    {
        foreach (var p in ports) Assert.NotNull(host.PlaceBinding(ns, p, Ipv4Address.Parse("127.0.0.9")));
    }

    public static void MarkBusy(KernelHost host, int ns, params int[] ports)
    {
        foreach (var p in ports) host.PlaceConnection(ns, new FourTuple(Local, p, Local, Dport));
    }

    /// <summary>The common setup of §7: range 32768–32783, reserved {32770}, BindOwned {32772, 32773}, busy {32774, 32776, 32778}.</summary>
    public static (KernelHost Host, int Netns) Section7(string kernel, ulong portOffset, uint hintOrTable, IRandomDraws? draws = null)
    {
        var (host, ns) = Host(kernel, new PortRange(32768, 32783), portOffset, hintOrTable, draws, reserved: "32770");
        MarkBindOwned(host, ns, 32772, 32773);
        MarkBusy(host, ns, 32774, 32776, 32778);
        return (host, ns);
    }

    public static ConnectResult Connect(KernelHost host, int ns, SocketOptions? options = null, int dport = Dport, long nowMs = 0) =>
        host.Connect(host.Socket(ns, options), Local, dport, nowMs, record: true);

    public static (int Pass, int I, int Port, ScanVerdict Verdict)[] Trace(ConnectResult r) =>
        r.Candidates.Select(c => (c.Pass, c.I, c.Port, c.Verdict)).ToArray();
}
