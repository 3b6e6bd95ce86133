using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace PortSelection.Model.Simulation;

/// <summary>
/// Every connect of a workload simulation, per destination: its scan length and its occupancy bin (the destination's
/// occupancy percent when it began) in two parallel arrays, and per destination and bin the totals an
/// <see cref="OccupancyBin"/> reports. A reporting step's scan statistics are those of a segment of the log; the bins'
/// statistics are gathered from it once, at the end. One store of each per connect — no list per step and bin.
/// </summary>
internal sealed class ConnectLog
{
    /// <summary>Occupancy bins per destination (percent 0..100).</summary>
    public const int BinCount = 101;

    private readonly int[][] _scans;
    private readonly byte[][] _bins;
    private readonly int[] _counts;
    private readonly BinTotals[] _totals; // destination × BinCount + bin
    private int[] _scratch = [];

    private struct BinTotals
    {
        public int Attempts, Failures;
        public double CpuNs;
        public long InUse;
    }

    /// <summary>A log of <paramref name="destinations"/> destinations expecting about <paramref name="expected"/> connects each.</summary>
    public ConnectLog(int destinations, ReadOnlySpan<long> expected)
    {
        _scans = new int[destinations][];
        _bins = new byte[destinations][];
        _counts = new int[destinations];
        _totals = new BinTotals[destinations * BinCount];
        for (int d = 0; d < destinations; d++)
        {
            int n = (int)Math.Clamp(expected[d] + expected[d] / 16 + 16, 16, 1 << 24); // grows by doubling past that
            _scans[d] = new int[n];
            _bins[d] = new byte[n];
        }
    }

    /// <summary>Connects logged to destination <paramref name="d"/> so far.</summary>
    public int Count(int d) => _counts[d];

    /// <summary>Logs a connect to <paramref name="d"/> in occupancy bin <paramref name="bin"/>: its scan length, CPU and the connections in use before it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int d, int bin, int candidates, double costNs, int inUseBefore)
    {
        int n = _counts[d];
        var scans = _scans[d];
        if ((uint)n >= (uint)scans.Length) scans = Grow(d);
        scans[n] = candidates;
        _bins[d][n] = (byte)bin;
        _counts[d] = n + 1;
        ref var t = ref _totals[d * BinCount + bin];
        t.Attempts++;
        t.CpuNs += costNs;
        t.InUse += inUseBefore;
    }

    /// <summary>The connect just logged to <paramref name="d"/> in bin <paramref name="bin"/> failed.</summary>
    public void Failure(int d, int bin) => _totals[d * BinCount + bin].Failures++;

    /// <summary>The scan statistics of the connects to <paramref name="d"/> from log position <paramref name="from"/> on (the log is left as it was).</summary>
    public ScanStatistics Since(int d, int from)
    {
        var segment = _scans[d].AsSpan(from, _counts[d] - from);
        if (segment.Length >= ScanStatistics.HistogramFrom) return ScanStatistics.Of(segment); // reads only
        segment.CopyTo(Scratch(segment.Length)); // small: selection reorders its input
        return ScanStatistics.Of(_scratch.AsSpan(0, segment.Length));
    }

    /// <summary>The occupancy bins of destination <paramref name="d"/> that saw a connect, by percent.</summary>
    public ImmutableArray<OccupancyBin> Bins(int d)
    {
        var totals = _totals.AsSpan(d * BinCount, BinCount);
        Span<int> start = stackalloc int[BinCount + 1];
        for (int b = 0; b < BinCount; b++) start[b + 1] = start[b] + totals[b].Attempts;
        int n = _counts[d];
        var gathered = Scratch(n);
        Span<int> next = stackalloc int[BinCount];
        start[..BinCount].CopyTo(next);
        var scans = _scans[d];
        var bins = _bins[d];
        for (int i = 0; i < n; i++) gathered[next[bins[i]]++] = scans[i];
        var result = ImmutableArray.CreateBuilder<OccupancyBin>();
        for (int b = 0; b < BinCount; b++)
        {
            ref var t = ref totals[b];
            if (t.Attempts == 0) continue;
            var stats = ScanStatistics.Of(gathered.AsSpan(start[b], t.Attempts));
            result.Add(new OccupancyBin(b, t.Attempts, t.Failures, stats, t.CpuNs / t.Attempts / 1000.0, (double)t.InUse / t.Attempts));
        }
        return result.ToImmutable();
    }

    private int[] Grow(int d)
    {
        int n = _scans[d].Length * 2;
        Array.Resize(ref _scans[d], n);
        Array.Resize(ref _bins[d], n);
        return _scans[d];
    }

    private int[] Scratch(int n)
    {
        if (_scratch.Length < n) _scratch = new int[Math.Max(n, Math.Min(2 * _scratch.Length, Array.MaxLength))];
        return _scratch;
    }
}
