using BenchmarkDotNet.Attributes;
using PortSelection.Model.Kernel;
using PortSelection.Model.Listen;
using PortSelection.Model.Queueing;

namespace PortSelection.Benchmarks;

/// <summary>
/// The queueing formulas of <c>src/Model/Queueing</c>, one call per benchmark, with realistic parameters of a listener
/// (<see cref="Size"/> "typical") and a large system (<see cref="Size"/> "large": K, c and N in the tens of thousands,
/// where the O(N) and O(c) cores dominate). Every benchmark returns its result; the global setup checks textbook values
/// (Erlang B(10, 5) = 0.018385, Erlang C(2, 1) = 1/3, C(10, 8) = 0.40918, M/M/1/K at ρ = 1 is 1/(K+1)), cross-checks
/// the formulas against each other (M/M/1/K = M/M/c/K with c = 1, M/M/c/c = Erlang B) and checks the parameters of this
/// run (the SYN-queue capacity is the smallest n meeting ε, the recommended backlog is the smallest meeting the target),
/// so a broken formula fails the run.
/// </summary>
[MemoryDiagnoser]
public class QueueingBenchmarks
{
    /// <summary>"typical": one listener (K = 129, c = 16 workers, a = 80 Erlangs); "large": K = 65,536, c = 10,000.</summary>
    [Params("typical", "large")]
    public string Size { get; set; } = "typical";

    private double _lambda, _mu, _erlangs;
    private int _k, _c, _n, _erlangServers, _backlog;
    private int? _workers;
    private double _synRate, _synHoldS, _targetS;
    private ClientSynSchedule _schedule = null!;

    /// <summary>Chooses the parameters of <see cref="Size"/> and checks the formulas (see the class summary).</summary>
    [GlobalSetup]
    public void Setup()
    {
        bool large = Size == "large";
        // M/M/1/K: an accept loop at 10,000 accepts/s offered 9,500 handshakes/s; K = B + 1.
        _lambda = 9_500; _mu = 10_000;
        _k = large ? 65_536 : 129;
        // M/M/c/K: c workers (accept, then 10 ms of work each: μ = 100/s) offered 95 % of their capacity, N = c + B + 1.
        _c = large ? 10_000 : 16;
        _n = _c + (large ? 65_536 : 129);
        // Erlang B / C: c servers at 80 % (typical) or 95 % (large) load.
        _erlangServers = large ? 10_000 : 100;
        _erlangs = large ? 9_500 : 80;
        // Retrial fixed point: 120 % of the capacity of an accept loop of 10,000/s (typical) or of 256 workers of 50/s
        // each (large), backlog 128 / 4096 — overloaded, so the retrials matter. Planner: the same at 95 % load.
        _workers = large ? 256 : null;
        _backlog = large ? 4096 : 128;
        // SYN-queue occupancy: 50,000 SYN/s held one 50 ms RTT (typical), or a 100,000 SYN/s flood held 63 s (large).
        _synRate = large ? 100_000 : 50_000;
        _synHoldS = large ? 63 : 0.05;
        _schedule = ClientSynSchedule.Default(KernelProfile.FromRelease("6.18.44").Listen);
        _targetS = 0.1;

        Expect("Erlang B(10, 5)", ErlangB.Blocking(10, 5), 0.018384570336648, 1e-12);
        Expect("Erlang C(2, 1)", ErlangC.WaitProbability(2, 1), 1.0 / 3, 1e-12);
        Expect("Erlang C(10, 8)", ErlangC.WaitProbability(10, 8), 0.4091801507964, 1e-10);
        Expect("M/M/1/K at rho = 1", MM1KQueue.BlockingProbability(100, 100, 128), 1.0 / 129, 1e-12);
        Expect("M/M/1/K vs M/M/c/K (c = 1)", MM1KQueue.BlockingProbability(_lambda, _mu, _k), new MMcKQueue(_lambda, _mu, 1, _k).BlockingProbability, 1e-9);
        Expect("M/M/c/c vs Erlang B", new MMcKQueue(_erlangs, 1, _erlangServers, _erlangServers).BlockingProbability, ErlangB.Blocking(_erlangServers, _erlangs), 1e-9);

        long cap = SynQueueCapacity();
        double mean = _synRate * _synHoldS;
        if (cap < mean || MathNet.Numerics.Distributions.Poisson.CDF(mean, cap) < 1 - 1e-6 || MathNet.Numerics.Distributions.Poisson.CDF(mean, cap - 1) >= 1 - 1e-6)
            throw new InvalidOperationException($"SYN-queue capacity {cap} for mean {mean} is not the smallest n with P(N ≤ n) ≥ 1 − 1e-6");
        // M − ⌊M/4⌋ + 1 ≥ 1000 first holds at M = 1331 (the unit test's value; the method's doc example says 1332).
        if (SynQueueOccupancy.RequiredMaxSynBacklog(1000) != 1331) throw new InvalidOperationException("RequiredMaxSynBacklog(1000) is not 1331");

        var fp = RetrialFixedPointSolve();
        double pb = fp.BlockingProbability;
        double sum = 0, term = 1;
        for (int i = 0; i <= _schedule.RetransmitMs.Count; i++) { sum += term; term *= pb; }
        Expect("retrial fixed point λ_eff = λ·Σ P_b^k", fp.EffectiveArrivalRate, Model(1.2).ArrivalRate * sum, 1e-6 * fp.EffectiveArrivalRate);

        var plan = BacklogRecommend() ?? throw new InvalidOperationException("no backlog meets the target");
        if (!Meets(plan.Backlog) || (plan.Backlog > 0 && Meets(plan.Backlog - 1)))
            throw new InvalidOperationException($"recommended backlog {plan.Backlog} is not the smallest meeting p99 ≤ {_targetS} s");
        Console.WriteLine($"// {Size}: M/M/1/K P_b {MM1K():G6}, M/M/c/K P_b {MMcK():G6}, Erlang B {ErlangBBlocking():G6}, Erlang C {ErlangCWait():G6}, " +
                          $"retrial λ_eff {fp.EffectiveArrivalRate:G6} P_b {pb:G6}, SYN-queue capacity {cap}, recommended backlog {plan.Backlog} (p99 {plan.P99.Seconds} s)");
    }

    /// <summary>The accept queue at <paramref name="load"/> times its capacity (accept loop of 10,000/s or 256 workers of 50/s).</summary>
    private AcceptQueueModel Model(double load)
    {
        double mu = _workers is null ? 10_000 : 50;
        return new(load * mu * (_workers ?? 1), mu, _workers, _backlog);
    }

    private bool Meets(int backlog)
    {
        var p = BacklogPlanner.Evaluate(Model(0.95).WithBacklog(backlog), _schedule, 0.001);
        return !p.P99.TimedOut && p.P99.Seconds <= _targetS + 1e-12;
    }

    private static void Expect(string what, double actual, double expected, double tolerance)
    {
        if (!(Math.Abs(actual - expected) <= tolerance)) throw new InvalidOperationException($"{what}: {actual:R}, expected {expected:R} ± {tolerance}");
    }

    /// <summary><see cref="MM1KQueue.BlockingProbability"/>: ρ = 0.95, K = 129 or 65,536 (closed form).</summary>
    [Benchmark]
    public double MM1K() => MM1KQueue.BlockingProbability(_lambda, _mu, _k);

    /// <summary><see cref="MMcKQueue"/>: c = 16, N = 145 or c = 10,000, N = 75,536, ρ = 0.95 (log-space p_n, O(N)).</summary>
    [Benchmark]
    public double MMcK() => new MMcKQueue(_c * 100 * 0.95, 100, _c, _n).BlockingProbability;

    /// <summary><see cref="ErlangB.Blocking"/>: B(100, 80) or B(10,000, 9,500) (recursion, O(c)).</summary>
    [Benchmark]
    public double ErlangBBlocking() => ErlangB.Blocking(_erlangServers, _erlangs);

    /// <summary><see cref="ErlangC.WaitProbability"/>: C(100, 80) or C(10,000, 9,500).</summary>
    [Benchmark]
    public double ErlangCWait() => ErlangC.WaitProbability(_erlangServers, _erlangs);

    /// <summary><see cref="RetrialFixedPoint.Solve"/>: 120 % load on an accept loop of 10,000/s with B = 128, or on 256 workers of 50/s with B = 4096; 6.18 SYN schedule.</summary>
    [Benchmark]
    public RetrialResult RetrialFixedPointSolve() => RetrialFixedPoint.Solve(Model(1.2), _schedule.RetransmitMs.Count);

    /// <summary><see cref="SynQueueOccupancy.RequiredCapacity"/> at ε = 1e-6: mean 2,500 (50,000 SYN/s × 50 ms) or 6.3 M (100,000 SYN/s × 63 s).</summary>
    [Benchmark]
    public long SynQueueCapacity() => SynQueueOccupancy.RequiredCapacity(_synRate, _synHoldS, 1e-6);

    /// <summary><see cref="BacklogPlanner.Recommend"/>: smallest backlog with p99 connect latency ≤ 100 ms (RTT 1 ms) at 95 % load (accept loop or 256 workers).</summary>
    [Benchmark]
    public PlanPoint? BacklogRecommend() => BacklogPlanner.Recommend(Model(0.95), _schedule, 0.001, _targetS);
}
