namespace PortSelection.Model.Listen;

/// <summary>
/// The listen() backlog clamp and the accept-queue capacity (listen-queues.md §2.1, §3.1), valid in every era.
/// </summary>
public static class ListenBacklog
{
    /// <summary>
    /// The stored backlog <c>B = sk_max_ack_backlog</c>: <paramref name="arg"/> is compared with
    /// <paramref name="somaxconn"/> as an unsigned int, so a negative argument (huge unsigned) and any argument
    /// above somaxconn become somaxconn.
    /// </summary>
    /// <param name="arg">Value passed to listen() (any int, negative allowed).</param>
    /// <param name="somaxconn"><c>net.core.somaxconn</c> (≥ 0).</param>
    /// <remarks>
    /// <c>net/socket.c</c> <c>SYSCALL_DEFINE2(listen)</c> (v2.6.32 22763c5cf369 … 4.9), <c>__sys_listen</c> (4.19),
    /// <c>__sys_listen_socket</c> (6.18 l.1918). Verified on 6.18: listen(-1) with somaxconn 16 ⇒ Send-Q 16.
    /// </remarks>
    public static int EffectiveBacklog(int arg, int somaxconn)
    {
        uint somax = (uint)Math.Max(0, somaxconn);
        return (uint)arg > somax ? (int)somax : arg;
    }

    /// <summary>Accept-queue capacity <c>B + 1</c>: the queue is full when <c>A &gt; B</c>.</summary>
    /// <param name="backlog">The stored backlog B (≥ 0).</param>
    /// <remarks>
    /// <c>include/net/sock.h:sk_acceptq_is_full</c>, <c>A &gt; B</c> in every version v2.6.32 … 6.18 (l.1089);
    /// 64a146513f8f (2.6.21) states the N+1 semantics (backlog 0 still admits one connection).
    /// </remarks>
    public static long AcceptCapacity(int backlog) => (long)Math.Max(0, backlog) + 1;

    /// <summary>True when the accept queue holding <paramref name="acceptQueueLength"/> children is full (<c>A &gt; B</c>).</summary>
    /// <param name="acceptQueueLength">Current A.</param>
    /// <param name="backlog">Stored B.</param>
    /// <remarks><c>sk_acceptq_is_full</c>, every era (64a146513f8f).</remarks>
    public static bool AcceptQueueFull(int acceptQueueLength, int backlog) => acceptQueueLength > backlog;

    /// <summary><c>roundup_pow_of_two(n)</c> for n ≥ 1 (saturates at 2^30).</summary>
    /// <param name="n">The value to round up.</param>
    public static int RoundUpPow2(int n)
    {
        if (n <= 1) return 1;
        if (n > 1 << 30) return 1 << 30;
        return (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)n);
    }

    /// <summary>
    /// ≤ 4.3: size of the per-listener request hash table allocated once at the first listen():
    /// <c>roundup_pow_of_two(max(8, min(B₀, M)) + 1)</c> (16, 32, 64 …).
    /// </summary>
    /// <param name="firstBacklog">The clamped backlog B₀ of the first listen() call.</param>
    /// <param name="maxSynBacklog"><c>tcp_max_syn_backlog</c> M at that time.</param>
    /// <remarks><c>net/core/request_sock.c:reqsk_queue_alloc</c> in v2.6.32 (22763c5cf369), 3.10.108, 4.2.8; removed in 4.4 (ef547f2ac16b).</remarks>
    public static int SynTableEntries(int firstBacklog, int maxSynBacklog)
    {
        int n = Math.Min(Math.Max(0, firstBacklog), Math.Max(0, maxSynBacklog));
        n = Math.Max(n, 8);
        return RoundUpPow2(n + 1);
    }
}
