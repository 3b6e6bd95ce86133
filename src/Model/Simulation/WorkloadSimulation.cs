using System.Collections.Immutable;
using PortSelection.Model.Cost;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Model.Simulation;

/// <summary>
/// Discrete-event simulation of a client workload on a <see cref="KernelHost"/>: every arrival runs the kernel's
/// connect() scan of the modelled era (bit-exact port choice), every close releases the port or enters TIME_WAIT
/// (60 s, reusable per <c>tcp_tw_reuse</c> and the era's age rule, port-selection.md §2.3), and each scan's work
/// counters are turned into predicted CPU by <see cref="ConnectCost"/>.
/// </summary>
/// <remarks>
/// Deterministic: the host's boot secret, perturb table and draws and the workload's arrivals and lifetimes all come
/// from <see cref="WorkloadSpec.Seed"/>; time is simulated. Events at the same simulated time are processed in a
/// fixed order (closes before arrivals).
/// </remarks>
public static class WorkloadSimulation
{
    private const int FillSequenceCap = 50_000;
    private const int CpuSampleCap = 200_000;

    /// <summary>Runs the workload.</summary>
    /// <param name="spec">The workload.</param>
    /// <param name="progress">Called now and then with the fraction of simulated time done (0..1).</param>
    /// <exception cref="ArgumentException">The spec is invalid (<see cref="WorkloadSpec.Validate"/>).</exception>
    public static WorkloadResult Run(WorkloadSpec spec, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Validate() is { } error) throw new ArgumentException(error, nameof(spec));
        return CompactHost.Supports(spec)
            ? RunWith(spec, progress, new CompactWorkloadKernel(spec))
            : RunWith(spec, progress, new HostWorkloadKernel(spec));
    }

    /// <summary><see cref="Run"/> on <see cref="KernelHost"/> (the general host) instead of the compact tables: the same result.</summary>
    internal static WorkloadResult RunOnHost(WorkloadSpec spec, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Validate() is { } error) throw new ArgumentException(error, nameof(spec));
        return RunWith(spec, progress, new HostWorkloadKernel(spec));
    }

    private static WorkloadResult RunWith<TKernel>(WorkloadSpec spec, Action<double>? progress, TKernel kernel) where TKernel : struct, IWorkloadKernel
    {
        var profile = spec.Kernel;
        var random = new WorkloadRandom(spec.Seed ^ 0x9E3779B97F4A7C15UL);
        int k = spec.Destinations.Length;
        var cumulative = new double[k];
        double acc = 0;
        for (int d = 0; d < k; d++) cumulative[d] = acc += spec.Destinations[d].Weight;
        var picker = new DestinationPicker(cumulative);

        var (range, _) = PortCapacity.ScanShape(profile, spec.Namespace, spec.PerSocketRange);
        int r = range.Count;
        int blocked = PortCapacity.Blocked(profile, spec.Namespace, spec.PerSocketRange, spec.BindOwnedPorts);
        int sources = spec.NoPortSources.IsDefault ? 0 : spec.NoPortSources.Length;
        int sourceCount = Math.Max(1, sources);
        // The occupancy bin of a destination depends only on its connections in use: a table instead of two divisions per connect.
        var binOf = new int[r * sourceCount + 64];
        for (int n = 0; n < binOf.Length; n++) binOf[n] = OccupancyBinOf(n, sourceCount, blocked, r);

        var closes = CloseQueue.For(spec.Arrivals.RatePerSecond / 1000.0, spec.Lifetime.MeanMs);
        var twExpiry = new Queue<(int Socket, long Due)>(); // due times never decrease: first in, first due
        var twDest = new Dictionary<int, (int Dest, long Due)>(); // connection handle → destination and end of its TIME_WAIT
        var inUse = new int[k];
        int live = 0, sourceNext = 0;
        long attempts = 0, opened = 0, released = 0, expired = 0, recycled = 0, failures = 0, totalCandidates = 0;
        long? firstFailure = null;
        bool truncated = false;

        // expected connects per destination (the log's initial capacity): arrivals over the run times the weight's share
        double expectedArrivals = spec.Arrivals.RatePerSecond * spec.DurationMs / 1000.0;
        var expected = new long[k];
        for (int d = 0; d < k; d++) expected[d] = (long)Math.Min(1 << 24, expectedArrivals * spec.Destinations[d].Weight / acc);
        var log = new ConnectLog(k, expected);
        var step = new StepAccumulator(k);
        var steps = ImmutableArray.CreateBuilder<WorkloadStep>();
        var fill = ImmutableArray.CreateBuilder<int>();
        var cpuSamples = new List<double>((int)Math.Clamp(double.IsFinite(expectedArrivals) ? expectedArrivals : 0, 16, CpuSampleCap));

        var arrivals = spec.Arrivals;
        bool fixedArrivals = arrivals.Kind == ArrivalKind.Fixed;
        double fixedGap = arrivals.NextGapMs(random); // the first gap; every gap when fixed (no draw)
        var lifetime = spec.Lifetime;
        var calibration = spec.Calibration;
        bool clientClose = spec.Close == CloseSide.Client;
        long durationMs = spec.DurationMs, stepMs = spec.StepMs, budget = spec.CandidateBudget;
        long stepStart = 0;
        long stepEnd = Math.Min(stepMs, durationMs);
        double nextArrival = fixedGap;
        // The next arrival's draws (the gap after it, its pick) are taken as soon as the previous arrival is done — the
        // same draws in the same order as taking them when it comes — so its destination is known ahead (a cache hint).
        double aheadGap = fixedArrivals ? fixedGap : arrivals.NextGapMs(random);
        int aheadDest = picker.Pick(random.NextDouble() * acc);
        long events = 0, endMs = durationMs;

        while (true)
        {
            double tClose = closes.PeekTime;
            double tNext = Math.Min(nextArrival, tClose);
            if (tNext >= stepEnd) // stepEnd ≤ durationMs: also the end of the run
            {
                while (tNext >= stepEnd && stepStart < durationMs)
                {
                    ExpireTimeWait(stepEnd, ref kernel, twExpiry, twDest, inUse, ref expired);
                    steps.Add(step.Flush(stepEnd, stepStart, log, inUse, sourceCount, blocked, r, live, twDest.Count));
                    stepStart = stepEnd;
                    stepEnd = Math.Min(stepEnd + stepMs, durationMs);
                }
                if (tNext >= durationMs || stepStart >= durationMs) break;
            }

            long now = (long)Math.Floor(tNext);
            if (twExpiry.Count != 0) ExpireTimeWait(now, ref kernel, twExpiry, twDest, inUse, ref expired);
            if ((++events & 4095) == 0) progress?.Invoke(tNext / durationMs);

            if (tClose <= nextArrival)
            {
                var (conn, dest) = closes.Dequeue();
                if (k > 1 && closes.PeekSocket() is var soon and >= 0) kernel.Prefetch(soon); // one destination's tables stay cached
                live--;
                if (clientClose) CloseToTimeWait(ref kernel, conn, dest, now, twExpiry, twDest);
                else
                {
                    kernel.Close(conn, now, timeWait: false);
                    released++;
                    inUse[dest]--;
                }
                continue;
            }

            nextArrival += aheadGap;
            int di = aheadDest;
            int inUseBefore = inUse[di];
            int bin = (uint)inUseBefore < (uint)binOf.Length ? binOf[inUseBefore] : OccupancyBinOf(inUseBefore, sourceCount, blocked, r);

            int handle = kernel.Connect(di, sources > 0 ? sourceNext++ % sources : -1, now, out var counters, out int port, out int takenOver);
            attempts++;
            int candidates = counters.Candidates;
            totalCandidates += candidates;
            double costNs = ConnectCost.Nanoseconds(counters, calibration);
            step.Add(di, costNs);
            if (cpuSamples.Count < CpuSampleCap) cpuSamples.Add(costNs / 1000.0);
            log.Add(di, bin, candidates, costNs, inUseBefore);

            if (handle >= 0)
            {
                opened++;
                live++;
                inUse[di]++;
                if (di == 0 && fill.Count < FillSequenceCap) fill.Add(port);
                if (takenOver >= 0) TakeOver(ref kernel, takenOver, twDest, inUse, ref recycled);
                closes.Enqueue(handle, di, tNext + lifetime.SampleMs(random));
            }
            else
            {
                failures++;
                step.Failures[di]++;
                log.Failure(di, bin);
                firstFailure ??= now;
            }
            if (!fixedArrivals) aheadGap = arrivals.NextGapMs(random);
            aheadDest = picker.Pick(random.NextDouble() * acc);
            if (k > 1) kernel.PrefetchDestination(aheadDest);

            if (budget > 0 && totalCandidates >= budget)
            {
                truncated = true;
                endMs = Math.Max(stepStart + 1, now);
                steps.Add(step.Flush(endMs, stepStart, log, inUse, sourceCount, blocked, r, live, twDest.Count));
                break;
            }
        }

        kernel.AdvanceTo(endMs);
        ExpireTimeWait(endMs, ref kernel, twExpiry, twDest, inUse, ref expired);
        progress?.Invoke(1.0);

        return new WorkloadResult
        {
            Spec = spec,
            Steps = steps.ToImmutable(),
            Bins = [.. Enumerable.Range(0, k).Select(log.Bins)],
            Capacity = PortCapacity.PerDestination(spec),
            Attempts = attempts,
            Opened = opened,
            Live = live,
            TimeWait = twDest.Count,
            Released = released,
            TimeWaitExpired = expired,
            TimeWaitRecycled = recycled,
            Failures = failures,
            FirstFailureMs = firstFailure,
            FillSequence = fill.ToImmutable(),
            CpuUsSamples = [.. cpuSamples],
            TotalCandidates = totalCandidates,
            Truncated = truncated,
            EndMs = endMs,
            HostEstablished = kernel.Established,
            HostTimeWait = kernel.TimeWait,
        };
    }

    /// <summary>Client close: <paramref name="conn"/> (to destination <paramref name="dest"/>) enters TIME_WAIT at <paramref name="now"/> for 60 s.</summary>
    private static void CloseToTimeWait<TKernel>(ref TKernel kernel, int conn, int dest, long now, Queue<(int Socket, long Due)> twExpiry,
        Dictionary<int, (int Dest, long Due)> twDest) where TKernel : struct, IWorkloadKernel
    {
        kernel.Close(conn, now, timeWait: true);
        twExpiry.Enqueue((conn, now + KernelHost.TimeWaitLengthMs));
        twDest[conn] = (dest, now + KernelHost.TimeWaitLengthMs);
    }

    /// <summary>A connect took over the TIME_WAIT 4-tuple of <paramref name="takenOver"/>: that connection is gone.</summary>
    private static void TakeOver<TKernel>(ref TKernel kernel, int takenOver, Dictionary<int, (int Dest, long Due)> twDest, int[] inUse,
        ref long recycled) where TKernel : struct, IWorkloadKernel
    {
        if (!twDest.Remove(takenOver, out var twd)) return;
        recycled++;
        inUse[twd.Dest]--;
        kernel.ReleaseTakenOver(takenOver);
    }

    /// <summary>Ends the TIME_WAIT of every connection due by <paramref name="now"/> (60 s after its close).</summary>
    private static void ExpireTimeWait<TKernel>(long now, ref TKernel kernel, Queue<(int Socket, long Due)> twExpiry,
        Dictionary<int, (int Dest, long Due)> twDest, int[] inUse, ref long expired) where TKernel : struct, IWorkloadKernel
    {
        if (!twExpiry.TryPeek(out var first) || first.Due > now) return;
        kernel.AdvanceTo(now); // the host's TIME_WAIT timers end at the same instants: then the socket can be released
        while (twExpiry.TryPeek(out var item) && item.Due <= now)
        {
            var (conn, due) = twExpiry.Dequeue();
            // A stale item: that TIME_WAIT was reused by a connect, and the handle may belong to a later connection by now.
            if (twDest.TryGetValue(conn, out var d) && d.Due == due)
            {
                twDest.Remove(conn);
                expired++;
                inUse[d.Dest]--;
                kernel.Expire(conn);
            }
        }
    }

    /// <summary>The occupancy bin (percent, 0..100) of a destination with <paramref name="inUse"/> connections.</summary>
    private static int OccupancyBinOf(int inUse, int sourceCount, int blocked, int r) =>
        Math.Clamp((int)Math.Floor(Occupancy(inUse, sourceCount, blocked, r) * 100 + 1e-9), 0, 100);

    /// <summary>The occupancy of a destination's range: its connections per source plus the blocked ports, over the range.</summary>
    private static double Occupancy(int inUse, int sourceCount, int blocked, int r) => (inUse / (double)sourceCount + blocked) / r;

    /// <summary>Per destination, the connects of the current reporting step (their scan lengths are a segment of the <see cref="ConnectLog"/>).</summary>
    private sealed class StepAccumulator(int k)
    {
        private readonly int[] _from = new int[k]; // log position of the step's first connect
        private readonly double[] _cpu = new double[k];
        private double _cpuNs;

        public readonly int[] Failures = new int[k];

        public void Add(int d, double costNs)
        {
            _cpu[d] += costNs;
            _cpuNs += costNs;
        }

        /// <summary>The step ending at <paramref name="end"/>; starts the next one.</summary>
        public WorkloadStep Flush(long end, long stepStart, ConnectLog log, int[] inUse, int sourceCount, int blocked, int r, int live, int timeWait)
        {
            var dests = ImmutableArray.CreateBuilder<DestinationStep>(k);
            int fails = 0;
            for (int d = 0; d < k; d++)
            {
                int attempts = log.Count(d) - _from[d];
                var stats = log.Since(d, _from[d]);
                dests.Add(new DestinationStep(attempts, Failures[d], stats,
                    attempts == 0 ? 0 : _cpu[d] / attempts / 1000.0, inUse[d], Occupancy(inUse[d], sourceCount, blocked, r)));
                fails += Failures[d];
                _from[d] = log.Count(d);
                Failures[d] = 0;
                _cpu[d] = 0;
            }
            double seconds = Math.Max(1, end - stepStart) / 1000.0;
            var step = new WorkloadStep(end, dests.MoveToImmutable(), live, timeWait, _cpuNs / 1e6 / seconds, fails);
            _cpuNs = 0;
            return step;
        }
    }
}
