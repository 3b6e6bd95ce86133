using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Kernel;
using PortSelection.Model.Listen;
using PortSelection.Model.Queueing;
using PortSelection.Model.Simulation;

namespace PortSelection.Model.Tests.Simulation;

/// <summary>The seeded discrete-event simulation agrees with the analytic models within statistical tolerance.</summary>
public class SimulationAgreementTests(ITestOutputHelper output)
{
    // (λ, μ, c, B): accept loop M/M/1/(B+1) and worker pools M/M/c/(c+B+1)
    [Theory]
    [InlineData(90.0, 100.0, 0, 8, 11)]
    [InlineData(450.0, 100.0, 4, 4, 12)]
    [InlineData(1000.0, 120.0, 8, 16, 13)]
    [InlineData(150.0, 100.0, 0, 2, 14)]
    public void Loss_system_agrees_with_MMcK(double lambda, double mu, int workers, int backlog, int seed)
    {
        var model = new AcceptQueueModel(lambda, mu, workers == 0 ? null : workers, backlog);
        var exact = model.Solve();
        var sim = AcceptQueueSimulation.Run(model, new Random(seed), arrivals: 400_000, warmupArrivals: 10_000);
        output.WriteLine($"λ={lambda} μ={mu} c={(workers == 0 ? "loop" : workers)} B={backlog}: P_block sim {sim.BlockingProbability:F5} vs {exact.BlockingProbability:F5}; " +
                         $"mean accept queue sim {sim.MeanAcceptQueue:F4} vs {exact.MeanAcceptQueue:F4}; throughput sim {sim.Throughput:F2} vs {exact.Throughput:F2}");
        // 400 k arrivals: binomial SE ≤ 0.0008; allow ×5 for autocorrelation
        Assert.InRange(sim.BlockingProbability, exact.BlockingProbability - 0.004, exact.BlockingProbability + 0.004);
        Assert.InRange(sim.MeanAcceptQueue, exact.MeanAcceptQueue * 0.97 - 0.01, exact.MeanAcceptQueue * 1.03 + 0.01);
        Assert.InRange(sim.Throughput, exact.Throughput * 0.98, exact.Throughput * 1.02);
    }

    // Retrials: (λ, μ, B) with the 6.18 SYN schedule; the accept loop (μ ≥ 1000/s) forgets its state within ms,
    // far below the 1 s retry gap. Where blocking is rare (P_b ≲ 1 %) the fixed point and the latency quantiles agree.
    [Theory]
    [InlineData(850.0, 1000.0, 24, 21)]
    [InlineData(8500.0, 10_000.0, 26, 22)]
    [InlineData(700.0, 1000.0, 10, 23)]
    public void Retrial_system_agrees_with_fixed_point_and_latency_distribution(double lambda, double mu, int backlog, int seed)
    {
        var schedule = ClientSynSchedule.Default(KernelProfile.FromRelease("6.18.44").Listen);
        var model = new AcceptQueueModel(lambda, mu, null, backlog);
        var fp = RetrialFixedPoint.Solve(model, schedule.RetransmitMs.Count);
        var dist = new ConnectLatencyDistribution(schedule, fp.BlockingProbability, 0.001);
        var sim = AcceptQueueSimulation.Run(model, new Random(seed), arrivals: 400_000, warmupArrivals: 5_000, retrySchedule: schedule, rttSeconds: 0.001);
        output.WriteLine($"retrial λ={lambda} μ={mu} loop B={backlog}: P_b sim {sim.BlockingProbability:F5} (fresh {sim.FreshBlockingProbability:F5}, retry {sim.RetryBlockingProbability:F4}) vs fixed point {fp.BlockingProbability:F5}; " +
                         $"p50 {sim.LatencyQuantile(0.5):F3} vs {dist.Quantile(0.5).Seconds:F3}; p99 {sim.LatencyQuantile(0.99):F3} vs {dist.Quantile(0.99).Seconds:F3}; " +
                         $"p99.9 {sim.LatencyQuantile(0.999):F3} vs {dist.Quantile(0.999).Seconds:F3}");
        Assert.InRange(sim.BlockingProbability, fp.BlockingProbability * 0.85 - 0.0005, fp.BlockingProbability * 1.15 + 0.0005);
        Assert.Equal(dist.Quantile(0.5).Seconds, sim.LatencyQuantile(0.5), 6);
        Assert.Equal(dist.Quantile(0.99).Seconds, sim.LatencyQuantile(0.99), 6);
        Assert.Equal(dist.Quantile(0.999).Seconds, sim.LatencyQuantile(0.999), 6);
    }

    [Fact]
    public void Retrial_bursts_make_retries_block_more_than_fresh_syns_under_heavy_blocking()
    {
        // Known limit of the fixed point (Poisson-retrial assumption): with P_b ≈ 6 %, SYNs blocked together during a
        // full period are retransmitted together 1 s later and are blocked again far more often than fresh SYNs.
        var schedule = ClientSynSchedule.Default(KernelProfile.FromRelease("6.18.44").Listen);
        var model = new AcceptQueueModel(8500, 10_000, null, 8);
        var fp = RetrialFixedPoint.Solve(model, schedule.RetransmitMs.Count);
        var sim = AcceptQueueSimulation.Run(model, new Random(7), arrivals: 300_000, warmupArrivals: 5_000, retrySchedule: schedule);
        output.WriteLine($"heavy retrial λ=8500 μ=10000 B=8: P_b sim {sim.BlockingProbability:F4} (fresh {sim.FreshBlockingProbability:F4}, retry {sim.RetryBlockingProbability:F4}) vs fixed point {fp.BlockingProbability:F4}");
        Assert.True(sim.RetryBlockingProbability > 2 * sim.FreshBlockingProbability);
        Assert.True(sim.BlockingProbability > fp.BlockingProbability);
    }

    [Fact]
    public void Property_simulation_agrees_with_analysis_on_random_systems()
    {
        var gen =
            from rho in Gen.Choose(20, 150).Select(x => x / 100.0)
            from workers in Gen.Choose(0, 6)
            from b in Gen.Choose(0, 12)
            from seed in Gen.Choose(1, 1_000_000)
            select (rho, workers, b, seed);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(12), Prop.ForAll(gen.ToArbitrary(), t =>
        {
            int servers = Math.Max(1, t.workers);
            var model = new AcceptQueueModel(t.rho * 100 * servers, 100, t.workers == 0 ? null : t.workers, t.b);
            double exact = model.Solve().BlockingProbability;
            var sim = AcceptQueueSimulation.Run(model, new Random(t.seed), arrivals: 60_000, warmupArrivals: 2_000);
            return Math.Abs(sim.BlockingProbability - exact) <= 0.015;
        }));
    }

    [Fact]
    public void Simulation_is_deterministic_for_a_seed()
    {
        var model = new AcceptQueueModel(90, 100, 2, 3);
        var a = AcceptQueueSimulation.Run(model, new Random(42), 10_000);
        var b = AcceptQueueSimulation.Run(model, new Random(42), 10_000);
        Assert.Equal(a.SynsBlocked, b.SynsBlocked);
        Assert.Equal(a.MeanInSystem, b.MeanInSystem);
    }
}
