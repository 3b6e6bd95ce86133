namespace PortSelection.Model.Kernel;

/// <summary>The "SYN queue full" predicate of a kernel era (listen-queues.md §4.1).</summary>
public enum SynQueueRule
{
    /// <summary>
    /// ≤ 4.3 (<c>reqsk_queue_is_full</c>, v2.6.32 22763c5cf369, 3.10.108, 4.2.8): full when
    /// <c>Q ≥ nr_table_entries = roundup_pow_of_two(max(8, min(B₀, M)) + 1)</c>, frozen at the first listen().
    /// </summary>
    RoundUpPow2Table,

    /// <summary>4.4 – ~5.11 (<c>inet_csk_reqsk_queue_is_full</c>, ef547f2ac16b "remove max_qlen_log"): full when <c>Q ≥ B</c>.</summary>
    AtLeastBacklog,

    /// <summary>≥ 5.12, 5.4.117+, 5.10.35+ (commit not found, bracketed in §1): full when <c>Q &gt; B</c>, i.e. capacity <c>B + 1</c>.</summary>
    MoreThanBacklog,
}
