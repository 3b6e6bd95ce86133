namespace PortSelection.Model.Kernel;

/// <summary>
/// Era of the listen-queue rules (listen-queues.md §0, §4.1): how the SYN ("request") queue is capped and whether a
/// SYN arriving at a full accept queue may still be answered (the "young" check).
/// </summary>
/// <remarks>Version brackets and commits: listen-queues.md §1; see <see cref="ListenQueueProfile.FromVersion"/>.</remarks>
public enum ListenEra
{
    /// <summary>
    /// v2.6.32 (tag commit 22763c5cf369) and the rest of 2.6.x: per-listener request hash table sized
    /// <c>roundup_pow_of_two(max(8, min(B₀, M)) + 1)</c> at the first listen(); young check; TCP_TIMEOUT_INIT 3 s;
    /// no <c>TCPReqQFull*</c> counters and no ListenDrops accounting of SYN drops.
    /// </summary>
    V2_6_32,

    /// <summary>3.x – 4.3 (3.10.108, 4.2.8): the same request hash table as 2.6.32, young check, 1 s initial RTO.</summary>
    V3_10,

    /// <summary>4.4 – 4.9 vanilla (4.4.1, 4.9.0): request socks in ehash (e994b2f0fb92), SYN queue full when <c>Q ≥ B</c> (ef547f2ac16b), young check still present.</summary>
    V4_4,

    /// <summary>4.10 – ~5.11 and the patched 4.4.y/4.9.y, 4.19.y, early 5.4.y/5.10.y: <c>Q ≥ B</c>, every SYN dropped when the accept queue is full (5ea8ea2cb7f1).</summary>
    V4_10,

    /// <summary>≥ 5.12, 5.4.y ≥ .117, 5.10.y ≥ .35, 5.15, 6.x: SYN queue full when <c>Q &gt; B</c> (commit id not found; bracketed in §1).</summary>
    V5_12,
}
