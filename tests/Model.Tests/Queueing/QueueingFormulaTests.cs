using PortSelection.Model.Kernel;
using PortSelection.Model.Listen;
using PortSelection.Model.Queueing;

namespace PortSelection.Model.Tests.Queueing;

/// <summary>Queueing formulas against textbook values and the numbers quoted in listen-queues.md §10.</summary>
public class QueueingFormulaTests
{
    [Fact]
    public void Erlang_B_textbook_values()
    {
        // B(10, 5 E) = 0.018385 (standard Erlang B tables); B(1, a) = a/(1+a); B(0, a) = 1
        Assert.Equal(0.0183846, ErlangB.Blocking(10, 5), 6);
        Assert.Equal(0.5, ErlangB.Blocking(1, 1), 12);
        Assert.Equal(1, ErlangB.Blocking(0, 3), 12);
    }

    [Fact]
    public void Erlang_C_textbook_values()
    {
        // M/M/2 with a = 1: C = a²/(2 − a) / (1 + a + a²/(2 − a)) = 1/3
        Assert.Equal(1.0 / 3, ErlangC.WaitProbability(2, 1), 12);
        // M/M/1: C = ρ
        Assert.Equal(0.7, ErlangC.WaitProbability(1, 0.7), 12);
        Assert.Equal(1, ErlangC.WaitProbability(3, 3.5));
        // W_q for M/M/1: ρ/(μ − λ)
        Assert.Equal(0.7 / 3, ErlangC.MeanWait(1, 7, 10), 12);
    }

    [Fact]
    public void MM1K_closed_form()
    {
        // ρ = 0.5, K = 2: p_K = (1 − ρ)ρ²/(1 − ρ³) = 1/7; L = (0·4 + 1·2 + 2·1)/7 = 4/7
        Assert.Equal(1.0 / 7, MM1KQueue.BlockingProbability(50, 100, 2), 12);
        Assert.Equal(4.0 / 7, MM1KQueue.MeanInSystem(50, 100, 2), 12);
        // ρ = 1: 1/(K+1) and L = K/2
        Assert.Equal(1.0 / 11, MM1KQueue.BlockingProbability(10, 10, 10), 12);
        Assert.Equal(5, MM1KQueue.MeanInSystem(10, 10, 10), 9);
        // overload: P_block → 1 − 1/ρ
        Assert.Equal(0.5, MM1KQueue.BlockingProbability(200, 100, 200), 9);
    }

    [Fact]
    public void MMcK_reduces_to_MM1K_Erlang_B_and_Erlang_C()
    {
        var one = new MMcKQueue(80, 100, 1, 9);
        Assert.Equal(MM1KQueue.BlockingProbability(80, 100, 9), one.BlockingProbability, 12);
        Assert.Equal(MM1KQueue.MeanInSystem(80, 100, 9), one.MeanInSystem, 10);
        var loss = new MMcKQueue(500, 100, 10, 10);
        Assert.Equal(ErlangB.Blocking(10, 5), loss.BlockingProbability, 12);
        // a huge buffer approaches M/M/c: P(n ≥ c) → Erlang C
        var big = new MMcKQueue(300, 100, 4, 2000);
        double pWait = big.StateProbabilities.Skip(4).Sum();
        Assert.Equal(ErlangC.WaitProbability(4, 3), pWait, 9);
        Assert.Equal(big.ArrivalRate * (1 - big.BlockingProbability), big.Throughput, 12);
    }

    [Fact]
    public void Accept_queue_model_capacities()
    {
        // accept loop: M/M/1/(B+1); workers: M/M/c/(c+B+1) (§10.1)
        Assert.Equal(9, new AcceptQueueModel(1, 1, null, 8).SystemCapacity);
        Assert.Equal(13, new AcceptQueueModel(1, 1, 4, 8).SystemCapacity);
        var loop = new AcceptQueueModel(50, 100, null, 1).Solve();
        Assert.Equal(1.0 / 7, loop.BlockingProbability, 12);
        Assert.Equal(4.0 / 7, loop.MeanAcceptQueue, 12);
    }

    [Fact]
    public void Reuseport_split_balanced_and_imbalanced()
    {
        var total = new AcceptQueueModel(400, 100, 1, 4);
        var (per, p, thr) = ReusePortSplit.Balanced(total, 4);
        Assert.Equal(4, per.Count);
        Assert.Equal(new AcceptQueueModel(100, 100, 1, 4).Solve().BlockingProbability, p, 12);
        Assert.Equal(400 * (1 - p), thr, 9);
        var (_, pSkew, _) = ReusePortSplit.Solve(total, [2, 1, 1, 1]);
        Assert.True(pSkew > p);   // hash imbalance hurts
    }

    [Fact]
    public void Retrial_fixed_point_satisfies_its_equation()
    {
        var m = new AcceptQueueModel(90, 100, null, 9);
        var r = RetrialFixedPoint.Solve(m, 10);
        double sum = Enumerable.Range(0, 11).Sum(k => Math.Pow(r.BlockingProbability, k));
        Assert.Equal(90 * sum, r.EffectiveArrivalRate, 6);
        Assert.Equal(m.WithArrivalRate(r.EffectiveArrivalRate).Solve().BlockingProbability, r.BlockingProbability, 12);
        Assert.True(r.BlockingProbability > m.Solve().BlockingProbability);   // retrials add load
        Assert.Equal(Math.Pow(r.BlockingProbability, 11), r.FailureProbability, 15);
    }

    [Theory]
    // §10.3: p99 < 1 s requires P_b < 0.01 on any kernel
    [InlineData("6.18", 0.009, 0.99, 0.0)]
    [InlineData("6.18", 0.011, 0.99, 1.0)]
    [InlineData("5.10", 0.011, 0.99, 1.0)]
    // p99.9 < 2.5 s requires P_b < 0.1 on 6.5+ (third SYN at 2 s)…
    [InlineData("6.18", 0.09, 0.999, 2.0)]
    [InlineData("6.18", 0.11, 0.999, 3.0)]
    // …but P_b < 0.032 on ≤ 6.4 (third SYN at 3 s)
    [InlineData("6.4", 0.031, 0.999, 1.0)]
    [InlineData("6.4", 0.035, 0.999, 3.0)]
    public void Latency_quantiles_follow_the_syn_schedule(string release, double p, double q, double expectedSeconds)
    {
        var s = ClientSynSchedule.Default(KernelProfile.FromRelease(release).Listen);
        var d = new ConnectLatencyDistribution(s, p, 0);
        Assert.Equal(expectedSeconds, d.Quantile(q).Seconds, 9);
    }

    [Fact]
    public void Latency_distribution_masses_and_timeout()
    {
        var s = ClientSynSchedule.Default(KernelProfile.FromRelease("6.18").Listen);
        var d = new ConnectLatencyDistribution(s, 0.5, 0.020);
        Assert.Equal(11, d.AttemptProbabilities.Count);
        Assert.Equal(1, d.AttemptProbabilities.Sum() + d.TimeoutProbability, 12);
        Assert.Equal(Math.Pow(0.5, 11), d.TimeoutProbability, 15);
        var all = new ConnectLatencyDistribution(s, 1, 0.020);
        Assert.True(all.Quantile(0.5).TimedOut);
        Assert.Equal(131, all.Quantile(0.5).Seconds);
        Assert.Equal(0.020, new ConnectLatencyDistribution(s, 0, 0.020).Quantile(0.999).Seconds, 12);
    }

    [Fact]
    public void Syn_queue_occupancy_example_of_section_10_2()
    {
        // 50 k SYN/s × 20 ms = 1000 requests on average
        Assert.Equal(1000, SynQueueOccupancy.Mean(50_000, 0.020), 9);
        // cookies off: M − ⌊M/4⌋ + 1 ≥ 1000 ⇒ "M ≳ 1332" (§10.2); exactly: 1331 − 332 + 1 = 1000, 1330 − 332 + 1 = 999
        Assert.Equal(1331, SynQueueOccupancy.RequiredMaxSynBacklog(1000));
        Assert.Equal(1000, SynQueueLimits.ThreeQuarterCap(1332));
        Assert.Equal(999, SynQueueLimits.ThreeQuarterCap(1330));
        // headroom: mean + 4·sqrt(mean)
        Assert.Equal(1127, SynQueueOccupancy.MeanPlusSigmas(50_000, 0.020));
        // Poisson quantile at 1 − 1e-4 lies ≈ 3.7 σ above the mean (normal approximation ± continuity)
        long n = SynQueueOccupancy.RequiredCapacity(50_000, 0.020, 1e-4);
        Assert.InRange(n, 1112, 1124);
        Assert.True(MathNet.Numerics.Distributions.Poisson.CDF(1000, n) >= 1 - 1e-4);
        Assert.True(MathNet.Numerics.Distributions.Poisson.CDF(1000, n - 1) < 1 - 1e-4);
    }

    [Fact]
    public void Planner_recommends_the_smallest_backlog()
    {
        var s = ClientSynSchedule.Default(KernelProfile.FromRelease("6.18").Listen);
        var m = new AcceptQueueModel(900, 1000, null, 0);
        var rec = BacklogPlanner.Recommend(m, s, 0.001, 0.5);
        Assert.NotNull(rec);
        int b = rec.Value.Backlog;
        Assert.True(rec.Value.P99.Seconds <= 0.5);
        Assert.True(BacklogPlanner.Evaluate(m.WithBacklog(b - 1), s, 0.001).P99.Seconds > 0.5);
        // p99 < 1 s needs P_b < 0.01 (§10.3)
        Assert.True(rec.Value.Retrial.BlockingProbability < 0.01);
        Assert.True(BacklogPlanner.Evaluate(m.WithBacklog(b - 1), s, 0.001).Retrial.BlockingProbability >= 0.01);
        // infeasible: the target is below the RTT
        Assert.Null(BacklogPlanner.Recommend(m, s, 0.1, 0.05));
    }
}
