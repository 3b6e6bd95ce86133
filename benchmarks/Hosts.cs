using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Benchmarks;

/// <summary>Hosts in the states the benchmarks measure (default range 32768–60999, loopback, one destination).</summary>
public static class Hosts
{
    public static readonly Ipv4Address Lo = Ipv4Address.Loopback;
    public const int Dport = 7000;

    public static KernelHost Empty(string kernel, bool reference, ulong seed = 42)
    {
        var profile = KernelProfile.FromRelease(kernel);
        var h = new KernelHost(profile, new SeededDraws(seed), new FixedPortOffset(0x1234_5678_9ABC_DEF0),
            perturb: new PerturbState(profile.PerturbOrder, null, 0x0BADF00D, 0x0BADF00D)) { UseReferenceScan = reference };
        h.AddNamespace(new NamespaceConfig { Range = new PortRange(32768, 60999) });
        return h;
    }

    /// <summary>Sparse: every 97th port busy. Half: every even port busy (pass 1 full: the parity cliff). Exhausted: every port busy.</summary>
    public static KernelHost Occupied(string kernel, string occupancy)
    {
        var h = Empty(kernel, reference: false);
        for (int p = 32768; p <= 60999; p++)
        {
            bool busy = occupancy switch { "sparse" => p % 97 == 0, "half" => p % 2 == 0, _ => true };
            if (busy) h.PlaceConnection(0, new FourTuple(Lo, p, Lo, Dport));
        }
        return h;
    }
}
