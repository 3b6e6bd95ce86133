using PortSelection.Model.Listen;
using static PortSelection.Model.Tests.Listen.Fixtures;

namespace PortSelection.Model.Tests.Listen;

/// <summary>
/// Golden tests: every measurement of listen-queues.md §9.3 (6.18.44, CONFIG_HZ=250), compared with the model within
/// the §6.4 tolerance max(40 ms, 8 % of the interval), applied to the time since the first packet.
/// </summary>
public class LiveTimingGoldenTests
{
    private static void Within(double measuredS, long modelMs)
    {
        double tol = Math.Max(0.040, 0.08 * modelMs / 1000.0);   // §6.4
        Assert.InRange(measuredS, modelMs / 1000.0 - tol, modelMs / 1000.0 + tol);
        Assert.True(TimingTolerance.Agrees(measuredS * 1000, modelMs));
    }

    [Fact]
    public void Tolerance_rule_of_section_6_4()
    {
        Assert.Equal(40, TimingTolerance.ToleranceMs(100));
        Assert.Equal(80, TimingTolerance.ToleranceMs(1000), 9);
        Assert.False(TimingTolerance.Agrees(1300, 1000));
    }

    private static void Matches(double[] measuredRetransmitsS, double? measuredGiveUpS, ClientSynSchedule model)
    {
        for (int i = 0; i < measuredRetransmitsS.Length; i++) Within(measuredRetransmitsS[i], model.RetransmitMs[i]);
        if (measuredGiveUpS is double g)
        {
            Assert.Equal(measuredRetransmitsS.Length, model.RetransmitMs.Count);
            Within(g, model.GiveUpMs);
        }
    }

    [Fact]
    public void Syn_retransmissions_defaults()
    {
        Matches([1.015, 2.039, 3.063, 4.087, 5.111, 7.127], null, ClientSynSchedule.Compute(P("6.18.44"), LiveClient));
    }

    [Fact]
    public void Syn_retransmissions_linear_timeouts_0()
    {
        Matches([1.015, 3.031, 7.063], null, ClientSynSchedule.Compute(P("6.18.44"), LiveClient with { LinearTimeouts = 0 }));
    }

    [Fact]
    public void Syncnt_2_defaults_gives_5_retransmissions_and_7_s()
    {
        var s = ClientSynSchedule.Compute(P("6.18.44"), LiveClient with { SynRetries = 2 });
        Matches([1.03, 2.06, 3.08, 4.10, 5.13], 7.14, s);
    }

    [Fact]
    public void Syncnt_2_linear_0_gives_2_retransmissions_and_7_s()
    {
        var s = ClientSynSchedule.Compute(P("6.18.44"), new ClientSynOptions(2, 0));
        Matches([1.02, 3.04], 7.26, s);
    }

    [Fact]
    public void User_timeout_2500_ms()
    {
        var s = ClientSynSchedule.Compute(P("6.18.44"), LiveClient with { UserTimeoutMs = 2500 });
        Matches([1.02, 2.04], 2.52, s);
    }

    [Fact]
    public void Server_synack_retransmissions()
    {
        var s = SynAckSchedule.Compute(P("6.18.44"), 5);
        double[] measured = [1.021, 3.037, 7.165];
        for (int i = 0; i < measured.Length; i++) Within(measured[i], s.RetransmitMs[i]);
    }

    [Fact]
    public void Syn_linear_timeouts_never_affect_synacks()
    {
        Assert.Equal(SynAckSchedule.Compute(P("6.4"), 5).RetransmitMs, SynAckSchedule.Compute(P("6.18"), 5).RetransmitMs);
    }

    [Fact]
    public void Syn_retries_7_reaches_the_120_s_cap_on_6_4()
    {
        var s = ClientSynSchedule.Compute(P("6.4"), new ClientSynOptions(7, 0));
        Assert.Equal(247_000, s.GiveUpMs);   // §6.3: N = 7 → give-up 247 s ≤ 6.4
    }

    [Fact]
    public void User_timeout_is_ignored_in_syn_sent_before_4_19()
    {
        var s = ClientSynSchedule.Compute(P("4.9.337"), new ClientSynOptions(6, 0, UserTimeoutMs: 2500));
        Assert.Equal(127_000, s.GiveUpMs);
    }

    [Fact]
    public void Connect_latency_after_k_dropped_syns_and_staircase()
    {
        var s618 = ClientSynSchedule.Default(P("6.18.44"));
        var s64 = ClientSynSchedule.Default(P("6.4"));
        Assert.Equal(20, ConnectLatency.AfterDroppedSyns(s618, 0, 20));
        Assert.Equal(3020, ConnectLatency.AfterDroppedSyns(s618, 3, 20));
        Assert.Equal(7020, ConnectLatency.AfterDroppedSyns(s64, 3, 20));
        Assert.Null(ConnectLatency.AfterDroppedSyns(s64, 7, 20));   // ETIMEDOUT
        Assert.Equal(7000, ConnectLatency.AfterQueueFreedAt(s64, 4500, 0));
        Assert.Equal(5000, ConnectLatency.AfterQueueFreedAt(s618, 4500, 0));
    }
}
