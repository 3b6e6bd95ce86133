using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Simulation;

namespace PortSelection.Model.Tests.Simulation;

/// <summary>The simulation's close heap returns closes in time order, ties in insertion order, with interleaved operations.</summary>
public class CloseQueueTests
{
    [Fact]
    public void Dequeues_in_time_then_insertion_order() =>
        Prop.ForAll(Arb.From(
            from ops in Gen.ArrayOf(
                from enqueue in Gen.Frequency((3, Gen.Constant(true)), (2, Gen.Constant(false)))
                from t in Gen.Choose(0, 40) // few distinct times: many ties
                select (enqueue, (double)t / 4), 400)
            select ops), ops =>
        {
            var q = new CloseQueue();
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
                    Assert.Equal(expected.Time, q.PeekTime);
                    Assert.Equal((expected.Seq, expected.Seq % 7), q.Dequeue());
                }
                Assert.Equal(model.Count, q.Count);
            }
            Assert.Equal(model.Count == 0 ? double.PositiveInfinity : model.Min(m => m.Time), q.PeekTime);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
}
