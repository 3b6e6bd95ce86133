using System.Text.Json.Nodes;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Compare;

/// <summary>One reconnect: observed and predicted outcome.</summary>
/// <param name="TcpTwReuse">Namespace <c>tcp_tw_reuse</c>.</param>
/// <param name="AfterCloseMs">Time of the connect after the client's close (ms, measured).</param>
/// <param name="ObservedErrno">0 or errno.</param>
/// <param name="PredictedError">The model's outcome.</param>
public sealed record TimeWaitRow(int TcpTwReuse, double AfterCloseMs, int ObservedErrno, PortError PredictedError)
{
    /// <summary>True when the kernel and the model agree (success ⇔ None, EADDRNOTAVAIL ⇔ 99).</summary>
    public bool Match => PredictedError == PortError.None ? ObservedErrno == 0 : ObservedErrno == RawSocket.EAddrNotAvail;
}

/// <summary>The result of <c>portsel validate timewait</c>.</summary>
/// <param name="Kernel">Kernel release.</param>
/// <param name="Rows">Reconnects.</param>
public sealed record TimeWaitReport(string Kernel, IReadOnlyList<TimeWaitRow> Rows)
{
    /// <summary>True when every row matches.</summary>
    public bool Agrees => Rows.Count > 0 && Rows.All(r => r.Match);

    private static string Outcome(int errno) => errno == 0 ? "ok" : Probe.LibC.ErrnoName(errno);

    /// <summary>One verdict line.</summary>
    public string VerdictLine() => $"validate timewait: {(Agrees ? "AGREE" : "DISAGREE")} — " + string.Join(", ", Rows.Select(r =>
        FormattableString.Invariant($"tw_reuse={r.TcpTwReuse} @{r.AfterCloseMs / 1000:0.00}s {Outcome(r.ObservedErrno)} (model {(r.PredictedError == PortError.None ? "ok" : r.PredictedError.ToString())})")));

    /// <summary>The JSON object of the report.</summary>
    public JsonObject ToJson() => new()
    {
        ["check"] = "timewait",
        ["kernel"] = Kernel,
        ["attempts"] = new JsonArray(Rows.Select(r => (JsonNode)new JsonObject
        {
            ["tcp_tw_reuse"] = r.TcpTwReuse,
            ["after_close_ms"] = Math.Round(r.AfterCloseMs, 1),
            ["observed"] = Outcome(r.ObservedErrno),
            ["predicted"] = r.PredictedError == PortError.None ? "ok" : r.PredictedError.ToString(),
            ["match"] = r.Match,
        }).ToArray()),
        ["verdict"] = Agrees ? "agree" : "disagree",
    };
}

/// <summary>
/// <c>validate timewait</c>: TIME_WAIT recycling by connect() autobind on a one-port range (port-selection.md §2.3,
/// <c>tcp_twsk_unique</c>), predicted by <see cref="KernelHost"/> for the running profile with the measured
/// timestamps: the first connection closes into TIME_WAIT at its measured close time, each reconnect runs at its
/// measured start time.
/// </summary>
public static class TimeWaitValidation
{
    /// <summary>Default reconnect delays (ms after the client's close).</summary>
    public static readonly IReadOnlyList<int> DefaultDelaysMs = [150, 1150];

    /// <summary>Predicts each reconnect of an observation and pairs it with the kernel's outcome.</summary>
    public static IReadOnlyList<TimeWaitRow> Compare(KernelProfile profile, TimeWaitObservation o, int dport)
    {
        var host = new KernelHost(profile, new SeededDraws(3), new FixedPortOffset(0), perturb: new PerturbState(profile.PerturbOrder));
        var ns = host.AddNamespace(NamespaceConfig.DefaultsFor(profile) with
        {
            Range = new PortRange(o.FirstPort, o.FirstPort), Reserved = PortBitmap.Empty, TcpTwReuse = o.TcpTwReuse,
        });
        long Ms(double t) => (long)Math.Floor(t);
        var c1 = host.Socket(ns);
        if (host.Connect(c1, Ipv4Address.Loopback, dport, Ms(o.ConnectMs)).Port is null)
            throw new InvalidOperationException("model: the first connect fails");
        host.Close(c1, Ms(o.ClientCloseMs), CloseKind.TimeWait);
        var rows = new List<TimeWaitRow>();
        foreach (var a in o.Attempts)
        {
            var r = host.Connect(host.Socket(ns), Ipv4Address.Loopback, dport, Ms(a.AtMs));
            rows.Add(new TimeWaitRow(o.TcpTwReuse, a.AtMs - o.ClientCloseMs, a.Errno, r.Error));
        }
        return rows;
    }
}
