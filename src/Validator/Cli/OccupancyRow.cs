using PortSelection.Model.Simulation;

namespace PortSelection.Validator.Cli;

/// <summary>A row of the occupancy table: the connects made while a destination's occupancy was in [From, To) %, with the analytic companions.</summary>
internal sealed record OccupancyRow(int From, int To, int Attempts, int Failures, double ScanMean, int ScanP99, int ScanMax,
    double AnalyticScan, double CpuUsPerConnect, double FailureSim, double FailureErlangB)
{
    /// <summary>Row edges (%): coarse far from the parity cliff, fine around 50 % and near full.</summary>
    public static readonly int[] Edges = [0, 10, 20, 30, 40, 45, 48, 50, 51, 52, 55, 60, 70, 80, 90, 95, 99, 100, 101];

    /// <summary>Groups the 1 % bins of every destination into rows; p99 of a row is the largest p99 of its bins.</summary>
    public static List<OccupancyRow> Build(WorkloadResult result)
    {
        var spec = result.Spec;
        var regime = ScanLengthAnalytics.RegimeFor(spec);
        var (_, step) = PortCapacity.ScanShape(spec.Kernel, spec.Namespace, spec.PerSocketRange);
        int sources = Math.Max(1, spec.NoPortSources.Length);
        int perSource = result.Capacity / sources;
        var rows = new List<OccupancyRow>();
        for (int e = 0; e + 1 < Edges.Length; e++)
        {
            int lo = Edges[e], hi = Edges[e + 1];
            var bins = result.Bins.SelectMany(b => b).Where(b => b.Percent >= lo && b.Percent < hi).ToList();
            int n = bins.Sum(b => b.Attempts);
            if (n == 0) continue;
            double meanInUse = bins.Sum(b => b.MeanInUse * b.Attempts) / n;
            int fails = bins.Sum(b => b.Failures);
            rows.Add(new OccupancyRow(lo, hi, n, fails,
                bins.Sum(b => b.Scan.Mean * b.Attempts) / n, bins.Max(b => b.Scan.P99), bins.Max(b => b.Scan.Max),
                ScanLengthAnalytics.Expected(regime, step, perSource, (int)Math.Round(meanInUse / sources)),
                bins.Sum(b => b.CpuUsPerConnect * b.Attempts) / n,
                (double)fails / n,
                ExhaustionAnalytics.FailureProbability(result.Capacity, meanInUse)));
        }
        return rows;
    }

    /// <summary>"40–45 %" or "100 %".</summary>
    public string Label => From == 100 ? "100 %" : $"{From}–{To} %";
}
