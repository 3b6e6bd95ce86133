using System.Text.Json.Nodes;
using PortSelection.Model.Kernel;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary><c>validate backlog</c>: the listener matrix live vs the listen-queue model.</summary>
public static class ValidateBacklog
{
    /// <summary>Listen port used inside each private namespace.</summary>
    public const ushort ListenPort = 5250;

    /// <summary>Runs the matrix.</summary>
    /// <exception cref="ProbeUnavailableException">Not root.</exception>
    public static CheckOutcome Run(ValidateOptions o)
    {
        var rows = RunMatrix(BacklogComparison.DefaultMatrix);
        var ok = rows.All(r => r.Match);
        var json = new JsonObject
        {
            ["check"] = "backlog",
            ["cases"] = new JsonArray(rows.Select(r => (JsonNode)r.ToJson()).ToArray()),
            ["matched"] = rows.Count(r => r.Match),
            ["verdict"] = ok ? "agree" : "disagree",
        };
        var bad = rows.Where(r => !r.Match).Select(r => $"B={r.Case.Backlog}/somaxconn={r.Case.Somaxconn}/M={r.Case.MaxSynBacklog}/C={r.Case.Syncookies}: predicted {r.Predicted.Established} observed {r.Observed.Established}");
        var verdict = $"validate backlog: {(ok ? "AGREE" : "DISAGREE")} — {rows.Count(r => r.Match)}/{rows.Count} cases match " +
            $"(established before first drop, Recv-Q, Send-Q, ListenOverflows/ListenDrops)" + (ok ? "" : ": " + string.Join("; ", bad));
        return new CheckOutcome(verdict, json, ok);
    }

    /// <summary>Runs the cases live and pairs them with the model.</summary>
    public static List<BacklogRow> RunMatrix(IReadOnlyList<BacklogCase> cases)
    {
        if (LibC.GetEuid() != 0) throw new ProbeUnavailableException("validate backlog needs root (network namespaces)");
        var release = KernelClock.Release();
        var profile = KernelProfile.FromRelease(release);
        var rows = new List<BacklogRow>();
        foreach (var c in cases)
        {
            var observed = BacklogScenario.Run(c, ListenPort);
            var failures = observed.Attempts - observed.Established;
            rows.Add(new BacklogRow(release, c, BacklogComparison.Predict(profile, c, failures), observed));
        }
        return rows;
    }
}
