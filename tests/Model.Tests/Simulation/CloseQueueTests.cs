using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Simulation;

namespace PortSelection.Model.Tests.Simulation;

/// <summary>
/// The simulation's close queue (a timing wheel whose current window is a sorted run, with a late and a far heap)
/// returns closes in time order, ties in insertion order, with interleaved operations, for bucket widths, window sizes
/// and coarse slot counts that put closes in the window being read (late), earlier than the latest close served, in
/// coarse windows and beyond them (far).
/// </summary>
public class CloseQueueTests
{
    [Fact]
    public void Dequeues_in_time_then_insertion_order() =>
        Prop.ForAll(Arb.From(
            from width in Gen.Elements(0.01, 0.3, 1.0, 7.0, 1000.0)
            from buckets in Gen.Elements(16, 64, 1024)
            from windows in Gen.Elements(2, 4, 64)
            from span in Gen.Elements(10, 400, 100_000)
            from ops in Gen.ArrayOf(
                from enqueue in Gen.Frequency((3, Gen.Constant(true)), (2, Gen.Constant(false)))
                from t in Gen.Choose(0, 40) // few distinct times: many ties
                from ahead in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(0, 1000)))
                select (enqueue, (double)t / 4 * span / 10 + ahead), 400)
            select (width, buckets, windows, ops)), x =>
        {
            var (width, buckets, windows, ops) = x;
            var q = new CloseQueue(width, buckets, windows);
            var model = new List<(double Time, int Seq)>();
            int seq = 0;
            foreach (var (enqueue, t) in ops)
            {
                if (enqueue)
                {
                    q.Enqueue(seq, seq % 7, t);
                    model.Add((t, seq++));
                }
                else if (model.Count > 0)
                {
                    var expected = model.OrderBy(m => m.Time).ThenBy(m => m.Seq).First();
                    model.Remove(expected);
                    if (expected.Seq % 3 != 0) Assert.Equal(expected.Time, q.PeekTime); // a dequeue with and without a peek first
                    Assert.Equal((expected.Seq, expected.Seq % 7), q.Dequeue());
                }
                Assert.Equal(model.Count, q.Count);
            }
            Assert.Equal(model.Count == 0 ? double.PositiveInfinity : model.Min(m => m.Time), q.PeekTime);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
}

/// <summary>The close queue as the simulation uses it (sized by <see cref="CloseQueue.For"/>): same order as a plain priority queue.</summary>
public class CloseQueueSimulationTests
{
    [Theory]
    [InlineData(500.0, 996.0, 300_000)]   // 64 destinations × 8192 ports at 95 %, 500 000 connects/s
    [InlineData(500.0, 15.6, 200_000)]    // one destination at 95 %
    [InlineData(0.3, 50.0, 20_000)]       // slow arrivals, short lifetimes
    [InlineData(2.0, 60_000.0, 50_000)]   // lifetimes of a minute: hundreds of windows
    [InlineData(50.0, 2_000.0, 300_000)]  // windows of 2^12 buckets, 256 of them, filled and drained many times
    public void Sim_like_use_matches_a_priority_queue(double ratePerMs, double meanMs, int events)
    {
        var q = CloseQueue.For(ratePerMs, meanMs);
        var reference = new PriorityQueue<(int, int), (double, long)>();
        var rng = new Random(42);
        double t = 0;
        long seq = 0;
        for (int e = 0; e < events; e++)
        {
            t += 1.0 / ratePerMs;
            while (reference.Count > 0 && reference.TryPeek(out _, out var p) && p.Item1 <= t)
            {
                Assert.Equal(p.Item1, q.PeekTime);
                Assert.Equal(reference.Dequeue(), q.Dequeue());
            }
            double life = -meanMs * Math.Log(1 - rng.NextDouble());
            if (e % 97 == 0) life = 0; // closes at the present, into the batch being served
            q.Enqueue(e, e % 64, t + life);
            reference.Enqueue((e, e % 64), (t + life, seq++));
            Assert.Equal(reference.Count, q.Count);
        }
        while (reference.Count > 0) Assert.Equal(reference.Dequeue(), q.Dequeue());
        Assert.Equal(0, q.Count);
    }
}
