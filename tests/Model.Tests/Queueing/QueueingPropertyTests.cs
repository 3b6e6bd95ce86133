using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Queueing;

namespace PortSelection.Model.Tests.Queueing;

/// <summary>FsCheck properties of the queueing models.</summary>
public class QueueingPropertyTests
{
    private static readonly Config Cfg = Config.QuickThrowOnFailure.WithMaxTest(200);

    [Fact]
    public void Blocking_probability_is_in_0_1_and_non_increasing_in_B()
    {
        var gen =
            from lambda in Gen.Choose(1, 200_000).Select(x => x / 100.0)
            from mu in Gen.Choose(1, 100_000).Select(x => x / 100.0)
            from workers in Gen.Choose(0, 16)
            from b in Gen.Choose(0, 300)
            select (lambda, mu, workers, b);
        Check.One(Cfg, Prop.ForAll(gen.ToArbitrary(), t =>
        {
            int? c = t.workers == 0 ? null : t.workers;
            var m = new AcceptQueueModel(t.lambda, t.mu, c, t.b);
            double p0 = m.Solve().BlockingProbability, p1 = m.WithBacklog(t.b + 1).Solve().BlockingProbability;
            return p0 >= 0 && p0 <= 1 && p1 <= p0 + 1e-12;
        }));
    }

    [Fact]
    public void Erlang_B_is_in_0_1_and_decreasing_in_servers()
    {
        var gen = from c in Gen.Choose(0, 200) from a in Gen.Choose(0, 50_000).Select(x => x / 100.0) select (c, a);
        Check.One(Cfg, Prop.ForAll(gen.ToArbitrary(), t =>
        {
            double b0 = ErlangB.Blocking(t.c, t.a), b1 = ErlangB.Blocking(t.c + 1, t.a);
            double cw = ErlangC.WaitProbability(t.c + 1, t.a);
            return b0 is >= 0 and <= 1 && b1 <= b0 + 1e-15 && cw >= b1 - 1e-12 && cw <= 1 + 1e-12;
        }));
    }
}
