namespace PortSelection.Model.Queueing;

/// <summary>
/// The accept queue of one listener as a finite queue (listen-queues.md §10.1): either a pure accept() loop of rate μ
/// (M/M/1/K, K = B + 1) or c worker threads that each accept() and then process a connection at rate μ
/// (M/M/c/(c + B + 1)). Completed handshakes arrive at rate λ; an arrival finding the queue full is a dropped SYN (≥ 4.10).
/// </summary>
/// <param name="ArrivalRate">λ: handshakes per second offered to the listener (≥ 0).</param>
/// <param name="ServiceRate">μ: accepts per second of the accept loop, or connections per second of one worker (&gt; 0).</param>
/// <param name="Workers">c: null for a pure accept loop; otherwise the number of accept-then-process workers (≥ 1).</param>
/// <param name="Backlog">B: the stored backlog (≥ 0); accept capacity B + 1 (<c>sk_acceptq_is_full</c>, 64a146513f8f).</param>
public readonly record struct AcceptQueueModel(double ArrivalRate, double ServiceRate, int? Workers, int Backlog)
{
    /// <summary>Servers of the queueing system (1 for the accept loop).</summary>
    public int Servers => Workers ?? 1;

    /// <summary>Total capacity N: B + 1 (accept loop) or c + B + 1 (workers).</summary>
    public int SystemCapacity => (int)Math.Min(1 << 24, (long)Backlog + 1 + (Workers ?? 0));

    /// <summary>Returns a copy with another backlog.</summary>
    /// <param name="backlog">B.</param>
    public AcceptQueueModel WithBacklog(int backlog) => this with { Backlog = backlog };

    /// <summary>Returns a copy with another arrival rate.</summary>
    /// <param name="rate">λ.</param>
    public AcceptQueueModel WithArrivalRate(double rate) => this with { ArrivalRate = rate };

    /// <summary>Checks ranges; returns a one-line reason naming the accepted values, or null when valid.</summary>
    public string? Validate()
    {
        if (!(ArrivalRate >= 0) || double.IsInfinity(ArrivalRate)) return $"arrival rate {ArrivalRate} is invalid; accepted: a finite number ≥ 0 (connections/s)";
        if (!(ServiceRate > 0) || double.IsInfinity(ServiceRate)) return $"accept rate {ServiceRate} is invalid; accepted: a finite number > 0 (connections/s)";
        if (Workers is < 1 or > 1_000_000) return $"workers {Workers} is out of range; accepted: 1..1000000";
        if (Backlog is < 0 or > 1 << 22) return $"backlog {Backlog} is out of range; accepted: 0..{1 << 22}";
        return null;
    }

    /// <summary>Solves the queue in steady state.</summary>
    /// <exception cref="ArgumentException">A parameter is out of range (see <see cref="Validate"/>).</exception>
    public AcceptQueueResult Solve()
    {
        var error = Validate();
        if (error is not null) throw new ArgumentException(error);
        var q = new MMcKQueue(ArrivalRate, ServiceRate, Servers, SystemCapacity);
        int inService = Workers ?? 0;   // an accept loop's customer stays in the accept queue until accept() returns
        double meanQueue = 0;
        var p = q.StateProbabilities;
        for (int n = inService + 1; n < p.Count; n++) meanQueue += (n - inService) * p[n];
        return new AcceptQueueResult(q.BlockingProbability, q.Throughput, meanQueue, q.MeanInSystem, q.MeanSojourn);
    }
}

/// <summary>Steady-state figures of an <see cref="AcceptQueueModel"/>.</summary>
/// <param name="BlockingProbability">Probability that a handshake (SYN) finds the accept queue full.</param>
/// <param name="Throughput">Accepted connections per second.</param>
/// <param name="MeanAcceptQueue">Mean accept-queue length (mean <c>ss</c> Recv-Q).</param>
/// <param name="MeanInSystem">Mean number in the system (queue plus in service with workers).</param>
/// <param name="MeanSojourn">Mean time in the system of an accepted connection, s.</param>
public readonly record struct AcceptQueueResult(double BlockingProbability, double Throughput, double MeanAcceptQueue, double MeanInSystem, double MeanSojourn);
