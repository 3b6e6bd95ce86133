using PortSelection.Model.Kernel;
using PortSelection.Model.Listen;
using static PortSelection.Model.Tests.Listen.Fixtures;

namespace PortSelection.Model.Tests.Listen;

/// <summary>Golden tests: one per row of the summary table, listen-queues.md §0, for every column.</summary>
public class SummaryTableGoldenTests
{
    public static TheoryData<string> Kernels() => new(All);

    // Row "B": arg if 0 ≤ arg ≤ somaxconn, else somaxconn (unsigned compare), all eras.
    [Theory]
    [InlineData(1, 4096, 1)]
    [InlineData(0, 4096, 0)]
    [InlineData(8, 4, 4)]
    [InlineData(-1, 16, 16)]
    [InlineData(int.MinValue, 128, 128)]
    [InlineData(100, 4096, 100)]
    [InlineData(5000, 4096, 4096)]
    [InlineData(128, 128, 128)]
    public void Row_B_clamp(int arg, int somaxconn, int expected)
    {
        Assert.Equal(expected, ListenBacklog.EffectiveBacklog(arg, somaxconn));
    }

    // Row "accept-queue capacity": B + 1 in every era; the state machine admits exactly B + 1 children.
    [Theory]
    [MemberData(nameof(Kernels))]
    public void Row_accept_capacity_is_B_plus_1(string release)
    {
        foreach (int b in new[] { 0, 1, 4, 8 })
        {
            var l = new ListenerState(P(release), new ListenSysctls(4096, 2048, 1, false, 5), b);
            // clients complete one at a time; count children before the queue refuses one
            for (int i = 0; i < b + 10; i++)
            {
                if (l.OnSyn(i, i) is SynOutcome.RequestCreated or SynOutcome.CookieSent) l.OnAck(i, i);
            }
            Assert.Equal(b + 1, l.AcceptQueueLength);
            Assert.Equal(b + 1, ListenBacklog.AcceptCapacity(b));
        }
    }

    // Row "SYN-queue hard cap".
    [Theory]
    [InlineData("2.6.32", 0, 1024, 16)]
    [InlineData("3.10.108", 15, 1024, 16)]
    [InlineData("3.10.108", 16, 1024, 32)]
    [InlineData("3.10.108", 31, 1024, 32)]
    [InlineData("3.10.108", 100, 1024, 128)]
    [InlineData("4.2.8", 128, 1024, 256)]
    [InlineData("4.2.8", 511, 1024, 512)]
    [InlineData("4.2.8", 4096, 128, 256)]   // min(B, M) = 128 ⇒ 256
    [InlineData("4.4.1", 0, 1024, 0)]
    [InlineData("4.4.1", 8, 1024, 8)]
    [InlineData("5.10.13", 100, 1024, 100)]
    [InlineData("5.10.35", 0, 1024, 1)]
    [InlineData("6.18.44", 8, 1024, 9)]
    [InlineData("6.18.44", 100, 1024, 101)]
    public void Row_syn_queue_hard_cap(string release, int b, int m, long cap)
    {
        var profile = P(release);
        Assert.Equal(cap, SynQueueLimits.HardCap(profile, b, m, b));
        // The state machine agrees: a burst of SYNs (no ACKs), cookies on (so the 3/4 rule does not apply):
        // exactly `cap` requests, the rest answered with cookies.
        var l = new ListenerState(profile, new ListenSysctls(65535, m, 1, false, 5), b);
        var outcomes = Enumerable.Range(0, (int)cap + 5).Select(i => l.OnSyn(0, i)).ToList();
        Assert.Equal(cap, l.RequestCount);
        Assert.Equal(5, outcomes.Count(o => o == SynOutcome.CookieSent));
    }

    [Fact]
    public void Row_syn_queue_cap_is_frozen_at_first_listen_up_to_4_3()
    {
        var l = new ListenerState(P("3.10.108"), new ListenSysctls(4096, 1024, 0, false, 5), 8);
        l.Relisten(0, 100);
        Assert.Equal(100, l.Backlog);
        for (int i = 0; i < 40; i++) l.OnSyn(0, i);
        Assert.Equal(16, l.RequestCount);   // table of the first listen(8): roundup_pow2(9) = 16
    }

    // Row "extra cap when C = 0": at most M − ⌊M/4⌋ + 1 requests for unproven peers.
    [Theory]
    [InlineData("2.6.32", 8, 100, 7)]
    [InlineData("4.9.0", 8, 100, 7)]
    [InlineData("4.19.222", 8, 100, 7)]
    [InlineData("6.18.44", 8, 100, 7)]
    [InlineData("6.18.44", 128, 1000, 97)]
    [InlineData("6.18.44", 128, 10, 11)]
    public void Row_three_quarter_rule(string release, int m, int b, long expectedRequests)
    {
        var profile = P(release);
        var sysctls = new ListenSysctls(4096, m, 0, false, 5);
        Assert.Equal(expectedRequests, SynQueueLimits.Capacity(profile, sysctls, b));
        var l = new ListenerState(profile, sysctls, b);
        for (int i = 0; i < 200; i++) l.OnSyn(0, i);
        Assert.Equal(expectedRequests, l.RequestCount);
        // a proven peer is exempt from the 3/4 rule
        if (expectedRequests < SynQueueLimits.HardCap(profile, b, m, b))
            Assert.Equal(SynOutcome.RequestCreated, l.OnSyn(0, 10_000, peerProven: true));
    }

    // Row "SYN arriving while accept queue full": answered while Y ≤ 1 up to 4.9, always dropped from 4.10.
    [Theory]
    [InlineData("2.6.32", true)]
    [InlineData("3.10.108", true)]
    [InlineData("4.4.1", true)]
    [InlineData("4.9.0", true)]
    [InlineData("4.9.337", false)]
    [InlineData("4.10", false)]
    [InlineData("5.10.13", false)]
    [InlineData("6.18.44", false)]
    public void Row_syn_at_full_accept_queue(string release, bool answeredWhileYoungAtMostOne)
    {
        var l = new ListenerState(P(release), new ListenSysctls(4096, 2048, 1, false, 5), 4);
        for (int i = 0; i < 5; i++) { l.OnSyn(0, i); l.OnAck(0, i); }
        Assert.Equal(5, l.AcceptQueueLength);   // full: A = B + 1
        var first = l.OnSyn(10, 100);
        Assert.Equal(answeredWhileYoungAtMostOne ? SynOutcome.RequestCreated : SynOutcome.DroppedAcceptQueueFull, first);
        if (answeredWhileYoungAtMostOne)
        {
            Assert.Equal(SynOutcome.RequestCreated, l.OnSyn(20, 101));          // Y = 1 ⇒ still answered
            Assert.Equal(SynOutcome.DroppedAcceptQueueFull, l.OnSyn(30, 102)); // Y = 2 > 1 ⇒ dropped
        }
    }

    // Row "handshakes that succeed before the 1st SYN drop": B + 3 up to 4.9 vanilla, B + 1 from 4.10 (era defaults).
    [Theory]
    [InlineData("2.6.32", 2)]
    [InlineData("3.10.108", 2)]
    [InlineData("4.4.1", 2)]
    [InlineData("4.9.0", 2)]
    [InlineData("4.10", 0)]
    [InlineData("5.4.6", 0)]
    [InlineData("5.10.13", 0)]
    [InlineData("6.18.44", 0)]
    public void Row_established_before_first_drop(string release, int phantoms)
    {
        var profile = P(release);
        // B = 0 and 1 on 4.4–4.9 are edge cases of the SYN-queue cap (tested below); the §0 rows use B ≥ 2 there.
        int[] backlogs = profile.Era == ListenEra.V4_4 ? [2, 4, 8, 16, 100] : [0, 1, 4, 8, 16, 100];
        foreach (int b in backlogs)
        {
            var sysctls = ListenSysctls.Defaults(profile).WithSomaxconn(4096);
            Assert.Equal(b + 1 + phantoms, SequentialFill.EstablishedBeforeFirstDrop(profile, sysctls, b));
            Assert.Equal(b + 1 + phantoms, SequentialFill.ClosedForm(profile, b));
            // with cookies off as well (the accept-queue test runs after the cookie decision)
            long expectedOff = b == 0 && profile.SynQueueRule == SynQueueRule.AtLeastBacklog ? 0 : b + 1 + phantoms;
            Assert.Equal(expectedOff, SequentialFill.EstablishedBeforeFirstDrop(profile, sysctls.WithSyncookies(0), b));
        }
    }

    [Fact]
    public void Listen_0_with_cookies_off_drops_every_syn_on_4_4_to_5_11_but_admits_one_on_5_12()
    {
        // §4.1: "B = 0 ⇒ every SYN is 'queue full'" (Q ≥ B), ef547f2ac16b; ≥ 5.12 Q > B admits one request.
        var off = new ListenSysctls(4096, 2048, 0, false, 5);
        Assert.Equal(0, SequentialFill.EstablishedBeforeFirstDrop(P("4.4.1"), off, 0));
        Assert.Equal(0, SequentialFill.EstablishedBeforeFirstDrop(P("5.10.13"), off, 0));
        Assert.Equal(1, SequentialFill.EstablishedBeforeFirstDrop(P("5.10.35"), off, 0));
        // with cookies on, 4.10+ answers the first SYN with a cookie: B + 1 = 1
        Assert.Equal(1, SequentialFill.EstablishedBeforeFirstDrop(P("5.10.13"), off.WithSyncookies(1), 0));
        // 4.4–4.9 with cookies on and B ≤ 1: cookie SYN-ACKs while Y ≤ 1 ⇒ no SYN dropped (unbounded)
        Assert.Null(SequentialFill.EstablishedBeforeFirstDrop(P("4.9.0"), off.WithSyncookies(1), 1));
        // 4.4–4.9 cookies off, B = 1: one phantom fits the Q ≥ B cap ⇒ B + 2
        Assert.Equal(3, SequentialFill.EstablishedBeforeFirstDrop(P("4.9.0"), off, 1));
    }

    // Row "client SYN schedule (all SYNs dropped, defaults)".
    [Theory]
    [InlineData("2.6.32", new long[] { 3000, 9000 }, 21_000)]
    [InlineData("3.1", new long[] { 1000, 3000, 7000, 15000, 31000 }, 63_000)]
    [InlineData("3.6", new long[] { 1000, 3000, 7000, 15000, 31000 }, 63_000)]
    [InlineData("3.10.108", new long[] { 1000, 3000, 7000, 15000, 31000, 63000 }, 127_000)]
    [InlineData("4.9.0", new long[] { 1000, 3000, 7000, 15000, 31000, 63000 }, 127_000)]
    [InlineData("5.10.13", new long[] { 1000, 3000, 7000, 15000, 31000, 63000 }, 127_000)]
    [InlineData("6.4", new long[] { 1000, 3000, 7000, 15000, 31000, 63000 }, 127_000)]
    [InlineData("6.5", new long[] { 1000, 2000, 3000, 4000, 5000, 7000, 11000, 19000, 35000, 67000 }, 131_000)]
    [InlineData("6.18.44", new long[] { 1000, 2000, 3000, 4000, 5000, 7000, 11000, 19000, 35000, 67000 }, 131_000)]
    public void Row_client_syn_schedule(string release, long[] retransmitMs, long giveUpMs)
    {
        var s = ClientSynSchedule.Default(P(release));
        Assert.Equal(retransmitMs, s.RetransmitMs);
        Assert.Equal(giveUpMs, s.GiveUpMs);
    }

    // Row "server SYN-ACK schedule".
    [Theory]
    [InlineData("2.6.32", new long[] { 3000, 9000, 21000, 45000, 93000 }, 189_000)]
    [InlineData("3.10.108", new long[] { 1000, 3000, 7000, 15000, 31000 }, 63_000)]
    [InlineData("4.9.0", new long[] { 1000, 3000, 7000, 15000, 31000 }, 63_000)]
    [InlineData("6.18.44", new long[] { 1000, 3000, 7000, 15000, 31000 }, 63_000)]
    public void Row_server_synack_schedule(string release, long[] retransmitMs, long expireMs)
    {
        var profile = P(release);
        var s = SynAckSchedule.Compute(profile, profile.SynAckRetriesDefault);
        Assert.Equal(retransmitMs, s.RetransmitMs);
        Assert.Equal(expireMs, s.ExpireMs);
        // the state machine's request timer follows the same instants and drops the request at the end
        var l = new ListenerState(profile, ListenSysctls.Defaults(profile), 128);
        l.OnSyn(0, 1);
        var fired = l.AdvanceTo(expireMs);
        Assert.Equal(retransmitMs, fired.Where(e => e.Kind == ListenerTraceKind.SynAckRetransmitted).Select(e => e.TimeMs));
        Assert.Equal(expireMs, Assert.Single(fired, e => e.Kind == ListenerTraceKind.RequestExpired).TimeMs);
        Assert.Equal(0, l.RequestCount);
    }
}
