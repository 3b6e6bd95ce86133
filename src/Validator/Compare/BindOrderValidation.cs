using System.Text.Json.Nodes;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Compare;

/// <summary>One bind(0) step: what the kernel did and what the model allows for some random draw.</summary>
/// <param name="Observed">Observed port (null = failure).</param>
/// <param name="ObservedErrno">errno (0 on success).</param>
/// <param name="ModelPorts">Ports the model can choose at this step given the ports already held (over every draw).</param>
/// <param name="ModelCanFail">True when some draw makes the model fail (EADDRINUSE).</param>
public sealed record BindStep(int? Observed, int ObservedErrno, IReadOnlyList<int> ModelPorts, bool ModelCanFail)
{
    /// <summary>True when the observed outcome is one the model can produce.</summary>
    public bool Possible => Observed is int p ? ModelPorts.Contains(p) : ModelCanFail && ObservedErrno == 98;
}

/// <summary>The result of <c>portsel validate bind</c>.</summary>
/// <param name="Kernel">Kernel release.</param>
/// <param name="Range">Namespace range.</param>
/// <param name="Plain">Steps without SO_REUSEADDR.</param>
/// <param name="Reuse">Steps with SO_REUSEADDR.</param>
public sealed record BindOrderReport(string Kernel, PortRange Range, IReadOnlyList<BindStep> Plain, IReadOnlyList<BindStep> Reuse)
{
    /// <summary>Failed checks.</summary>
    public IReadOnlyList<string> Failures =>
        Plain.Select((s, k) => (s, k, "no SO_REUSEADDR")).Concat(Reuse.Select((s, k) => (s, k, "SO_REUSEADDR")))
            .Where(x => !x.s.Possible)
            .Select(x => $"{x.Item3} bind #{x.k + 1}: {(x.s.Observed?.ToString() ?? Probe.LibC.ErrnoName(x.s.ObservedErrno))} not in the model's {{{string.Join(",", x.s.ModelPorts)}}}{(x.s.ModelCanFail ? " or EADDRINUSE" : "")}")
            .ToList();

    /// <summary>True when every step is one the model can produce.</summary>
    public bool Agrees => Failures.Count == 0;

    /// <summary>The observed order grouped into the model's phases: runs of steps sharing the same allowed set's parity/half.</summary>
    public static string Order(IReadOnlyList<BindStep> steps) =>
        string.Join(" ", steps.Select(s => s.Observed?.ToString() ?? Probe.LibC.ErrnoName(s.ObservedErrno)));

    /// <summary>One verdict line.</summary>
    public string VerdictLine() =>
        $"validate bind: {(Agrees ? "AGREE" : "DISAGREE")} — {Plain.Count(s => s.Possible)}/{Plain.Count} steps without SO_REUSEADDR ({Order(Plain)}), " +
        $"{Reuse.Count(s => s.Possible)}/{Reuse.Count} with ({Order(Reuse)}) possible for the model" + (Agrees ? "" : " — " + string.Join("; ", Failures));

    /// <summary>The JSON object of the report.</summary>
    public JsonObject ToJson()
    {
        static JsonArray Steps(IReadOnlyList<BindStep> steps) => new(steps.Select(s => (JsonNode)new JsonObject
        {
            ["observed"] = s.Observed is int p ? p : Probe.LibC.ErrnoName(s.ObservedErrno),
            ["model_ports"] = new JsonArray(s.ModelPorts.Select(p => (JsonNode)p).ToArray()),
            ["model_can_fail"] = s.ModelCanFail,
            ["possible"] = s.Possible,
        }).ToArray());
        return new JsonObject
        {
            ["check"] = "bind",
            ["kernel"] = Kernel,
            ["range"] = $"{Range.Low}-{Range.High}",
            ["without_reuseaddr"] = Steps(Plain),
            ["with_reuseaddr"] = Steps(Reuse),
            ["failures"] = new JsonArray(Failures.Select(f => (JsonNode)f).ToArray()),
            ["verdict"] = Agrees ? "agree" : "disagree",
        };
    }
}

/// <summary>
/// <c>validate bind</c>: the bind(0) order of <c>inet_csk_find_open_port</c> (port-selection.md §5.3) against
/// <see cref="Bind0Scan"/> through <see cref="KernelHost"/>. The random offset is unknown, so at each step the model is
/// run from the observed state (the ports already held, same options) for every possible draw, and the observed port
/// must be one of the model's outcomes: this checks the parity order (odd first), the SO_REUSEADDR halves and the
/// final EADDRINUSE without guessing the draw.
/// </summary>
public static class BindOrderValidation
{
    /// <summary>Default range (10 ports).</summary>
    public static readonly PortRange DefaultRange = new(40000, 40009);

    /// <summary>Compares one observed sequence of bind(0) results with the model.</summary>
    public static IReadOnlyList<BindStep> Compare(KernelProfile profile, PortRange range, bool reuse, IReadOnlyList<BindZeroResult> observed)
    {
        var steps = new List<BindStep>();
        var held = new List<int>();
        var options = new SocketOptions { Reuse = reuse };
        uint span = (uint)range.Count + 1;
        foreach (var o in observed)
        {
            var ports = new SortedSet<int>();
            bool canFail = false;
            for (uint d1 = 0; d1 < span; d1++)
                for (uint d2 = 0; d2 < (reuse ? span : 1); d2++)
                {
                    var draws = new ScriptedDraws(below: [d1, d2]);
                    var host = new KernelHost(profile, draws, new FixedPortOffset(0), perturb: new PerturbState(profile.PerturbOrder));
                    var ns = host.AddNamespace(NamespaceConfig.DefaultsFor(profile) with { Range = range, Reserved = PortBitmap.Empty });
                    foreach (var p in held)
                        if (host.PlaceBinding(ns, p, Ipv4Address.Loopback, options: options) is null)
                            throw new InvalidOperationException($"model: cannot place the observed binding {p}");
                    var r = host.BindSocket(host.Socket(ns, options), Ipv4Address.Loopback, 0);
                    if (r.Port is int port) ports.Add(port); else canFail = true;
                }
            steps.Add(new BindStep(o.Errno == 0 ? o.Port : null, o.Errno, ports.ToList(), canFail));
            if (o.Errno == 0) held.Add(o.Port);
        }
        return steps;
    }
}
