namespace PortSelection.Model.Queueing;

/// <summary>Erlang B: loss probability of M/M/c/c (no waiting room) — a tiny backlog in front of a worker pool (listen-queues.md §10.1).</summary>
/// <remarks>
/// <para>Valid parameters: c ≥ 0, a ≥ 0 (Erlangs).</para>
/// <para>Formula: <c>B(c, a) = (aᶜ/c!) / Σ_{k=0..c} aᵏ/k!</c>, evaluated with the stable recursion
/// <c>B(0) = 1, B(n) = a·B(n−1) / (n + a·B(n−1))</c> (Erlang 1917; Jagerman, "Some properties of the Erlang loss function", BSTJ 1974).</para>
/// </remarks>
public static class ErlangB
{
    /// <summary>Blocking probability B(c, a).</summary>
    /// <param name="servers">c ≥ 0.</param>
    /// <param name="offeredLoad">a = λ/μ ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its valid range.</exception>
    public static double Blocking(int servers, double offeredLoad)
    {
        if (servers < 0) throw new ArgumentOutOfRangeException(nameof(servers), servers, "servers must be ≥ 0");
        if (!(offeredLoad >= 0) || double.IsInfinity(offeredLoad)) throw new ArgumentOutOfRangeException(nameof(offeredLoad), offeredLoad, "offered load must be a finite number ≥ 0");
        return BlockingUnchecked(servers, offeredLoad);
    }

    internal static double BlockingUnchecked(int c, double a)
    {
        double b = 1;
        for (int n = 1; n <= c; n++) b = a * b / (n + a * b);
        return b;
    }
}
