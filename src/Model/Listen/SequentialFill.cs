using PortSelection.Model.Kernel;

namespace PortSelection.Model.Listen;

/// <summary>
/// Listener that never accepts, clients strictly one at a time (each handshake done before the next SYN, all within
/// the first second so no request ages): how many handshakes succeed on the client side before the first SYN is
/// dropped (listen-queues.md §0, §8 derived result 3).
/// </summary>
public static class SequentialFill
{
    /// <summary>The replay gives up looking for the first drop after this many clients beyond B + 1.</summary>
    public const int SearchLimitBeyondCapacity = 64;

    /// <summary>
    /// Replays the fill on <see cref="ListenerState"/>. Typical results: <c>B + 1</c> when every SYN at a full accept
    /// queue is dropped (≥ 4.10 and patched 4.4.y/4.9.y), with or without cookies; <c>B + 3</c> (B + 1 real + 2
    /// "phantom" requests marked acked) while the young check exists and the SYN-queue cap admits two more requests.
    /// Edge cases follow from the same rules: with cookies off and a SYN-queue cap of 0 (4.4 – ~5.11, B = 0) every SYN is
    /// dropped (0); in young-check eras with cookies on and a SYN queue already full (4.4 – 4.9, B ≤ 1) cookie SYN-ACKs
    /// keep being sent while Y ≤ 1, so no SYN is dropped at all: the result is null (unbounded).
    /// </summary>
    /// <param name="profile">Listen-queue profile.</param>
    /// <param name="sysctls">Sysctls (C, M, somaxconn).</param>
    /// <param name="listenArg">listen() argument.</param>
    /// <returns>Client-side successes before the first dropped SYN, or null when none is dropped within B + 1 + <see cref="SearchLimitBeyondCapacity"/> clients.</returns>
    /// <remarks>
    /// Young check: ≤ 4.9 vanilla <c>inet_csk_reqsk_queue_young(sk) &gt; 1</c>; removed by 5ea8ea2cb7f1 (4.10).
    /// SYN-queue caps per §4.1 (ef547f2ac16b for <c>Q ≥ B</c>). Verified on 6.18 for B = 0, 1, 4, 8, 16, 100 (§9.1).
    /// </remarks>
    public static long? EstablishedBeforeFirstDrop(ListenQueueProfile profile, ListenSysctls sysctls, int listenArg)
    {
        var l = new ListenerState(profile, sysctls, listenArg);
        long limit = ListenBacklog.AcceptCapacity(l.Backlog) + SearchLimitBeyondCapacity;
        for (long i = 0; i < limit; i++)
        {
            var o = l.OnSyn(0, i);
            if (o is not (SynOutcome.RequestCreated or SynOutcome.CookieSent)) return i;
            l.OnAck(0, i);
        }
        return null;
    }

    /// <summary>
    /// The closed form of §0 for the common case (B ≥ 2 or cookies on from 4.10, SYN-queue caps not binding):
    /// <c>B + 1</c>, plus 2 phantoms in young-check eras.
    /// </summary>
    /// <param name="profile">Listen-queue profile.</param>
    /// <param name="backlog">Stored backlog B.</param>
    /// <remarks>§0 row "listener never accepts, clients one at a time"; 5ea8ea2cb7f1 (4.10) removed the phantoms.</remarks>
    public static long ClosedForm(ListenQueueProfile profile, int backlog) =>
        ListenBacklog.AcceptCapacity(backlog) + (profile.YoungCheck ? 2 : 0);
}
