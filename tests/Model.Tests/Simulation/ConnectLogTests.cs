using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Simulation;

namespace PortSelection.Model.Tests.Simulation;

/// <summary>
/// The simulation's connect log gives the statistics a list per reporting step and per occupancy bin gives: for random
/// connects to several destinations (scan lengths from 0 to 65,535, any bin, failures), cut into steps at random
/// places, every step segment and every bin equals <see cref="ScanStatistics"/> of its own list, and the bins' totals
/// (attempts, failures, CPU, connections in use) equal the lists' — including logs that grow past their first capacity.
/// </summary>
public class ConnectLogTests
{
    [Fact]
    public void Steps_and_bins_equal_those_of_plain_lists() =>
        Prop.ForAll(Arb.From(
            from k in Gen.Choose(1, 3)
            from expected in Gen.Choose(0, 40)
            from events in Gen.ArrayOf(
                from d in Gen.Choose(0, 2)
                from bin in Gen.Frequency((6, Gen.Choose(90, 96)), (1, Gen.Choose(0, 100)))
                from candidates in Gen.Frequency((6, Gen.Choose(0, 3000)), (1, Gen.Choose(0, 65535)))
                from failed in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
                from cut in Gen.Frequency((30, Gen.Constant(false)), (1, Gen.Constant(true)))
                select (d, bin, candidates, failed, cut), 700)
            select (k, expected, events)), x =>
        {
            var (k, expected, events) = x;
            var log = new ConnectLog(k, [.. Enumerable.Repeat((long)expected, k)]);
            var step = Enumerable.Range(0, k).Select(_ => new List<int>()).ToArray();
            var from = new int[k];
            var bins = new Dictionary<(int D, int Bin), (List<int> Scans, int Failures, double Cpu, long InUse)>();
            int n = 0;
            foreach (var (d0, bin, candidates, failed, cut) in events)
            {
                int d = d0 % k;
                double cpu = 0.5 + candidates * 0.25;
                int inUse = candidates / 3 + n++;
                log.Add(d, bin, candidates, cpu, inUse);
                if (failed) log.Failure(d, bin);
                step[d].Add(candidates);
                var b = bins.TryGetValue((d, bin), out var v) ? v : ([], 0, 0.0, 0L);
                b.Scans.Add(candidates);
                bins[(d, bin)] = (b.Scans, b.Failures + (failed ? 1 : 0), b.Cpu + cpu, b.InUse + inUse);
                if (!cut) continue;
                for (int e = 0; e < k; e++)
                {
                    Assert.Equal(step[e].Count, log.Count(e) - from[e]);
                    Assert.Equal(ScanStatistics.Of(step[e].ToArray().AsSpan()), log.Since(e, from[e]));
                    from[e] = log.Count(e);
                    step[e].Clear();
                }
            }
            for (int d = 0; d < k; d++)
            {
                Assert.Equal(ScanStatistics.Of(step[d].ToArray().AsSpan()), log.Since(d, from[d]));
                var expectedBins = bins.Where(b => b.Key.D == d).OrderBy(b => b.Key.Bin).Select(b => new OccupancyBin(b.Key.Bin, b.Value.Scans.Count,
                    b.Value.Failures, ScanStatistics.Of(b.Value.Scans.ToArray().AsSpan()), b.Value.Cpu / b.Value.Scans.Count / 1000.0,
                    (double)b.Value.InUse / b.Value.Scans.Count));
                Assert.Equal(expectedBins, log.Bins(d));
            }
        }).QuickCheckThrowOnFailure();
}
