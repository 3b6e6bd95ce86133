using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Validator.Compare;

/// <summary>The model's connect() fill to one destination: chosen ports in order, and the errno of the first failure.</summary>
/// <param name="Ports">Chosen ports in call order.</param>
/// <param name="FailureError">The error of the connect that ended the fill (None when the bound was reached).</param>
public sealed record AutobindRun(IReadOnlyList<int> Ports, PortError FailureError)
{
    /// <summary>Successful connects.</summary>
    public int Successes => Ports.Count;

    /// <summary>1-based ordinal of the first port whose parity differs from <paramref name="low"/>'s, or null.</summary>
    public int? ParitySwitchAt(int low) => ParitySwitch(Ports, low);

    /// <summary>1-based ordinal of the first port of <paramref name="ports"/> whose parity differs from <paramref name="low"/>'s, or null.</summary>
    public static int? ParitySwitch(IReadOnlyList<int> ports, int low)
    {
        for (int k = 0; k < ports.Count; k++)
            if ((ports[k] & 1) != (low & 1)) return k + 1;
        return null;
    }

    /// <summary>
    /// Runs the model (<see cref="KernelHost"/> for <paramref name="profile"/>): a namespace with <paramref name="config"/>,
    /// the explicit binds placed first (127.0.0.1, BindOwned; listening ones listen), then connects to 127.0.0.1:<paramref name="dport"/>
    /// keeping every socket open until the first failure or <paramref name="maxConnects"/>. The boot secret and table contents are
    /// unknown, so port_offset and the draws come from <paramref name="seed"/>: counts and parity order do not depend on them.
    /// </summary>
    public static AutobindRun Run(KernelProfile profile, NamespaceConfig config, IReadOnlyList<(int Port, bool Listen)> binds,
        SocketOptions socket, int dport, int maxConnects, ulong seed)
    {
        var draws = new SeededDraws(seed);
        var host = new KernelHost(profile, draws, new FixedPortOffset(new SeededDraws(seed ^ 0x5EED).NextU64()),
            perturb: new PerturbState(profile.PerturbOrder, profile.PerturbOrder > 0 ? draws : null));
        var ns = host.AddNamespace(config);
        foreach (var (port, listen) in binds)
            if (host.PlaceBinding(ns, port, Ipv4Address.Loopback, listen) is null)
                throw new ArgumentException($"model: explicit bind of port {port} fails");
        var ports = new List<int>();
        for (int k = 0; k < maxConnects; k++)
        {
            var sk = host.Socket(ns, socket);
            var r = host.Connect(sk, Ipv4Address.Loopback, dport, 0);
            if (r.Port is not int p) return new AutobindRun(ports, r.Error);
            ports.Add(p);
        }
        return new AutobindRun(ports, PortError.None);
    }
}
