using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Kernel;
using PortSelection.Model.Listen;

namespace PortSelection.Model.Tests.Listen;

/// <summary>FsCheck properties of the listen-queue rules and the listener state machine.</summary>
public class ListenPropertyTests
{
    private static readonly string[] Releases = ["2.6.32", "3.10.108", "4.4.1", "4.9.337", "4.19.222", "5.10.13", "5.10.35", "6.1", "6.18.44"];

    [Fact]
    public void Accept_capacity_is_B_plus_1_for_every_clamp_case()
    {
        var gen =
            from arg in Gen.OneOf(Gen.Choose(-1000, 80), Gen.Elements(int.MinValue, -1, 0, int.MaxValue))
            from somax in Gen.Choose(0, 64)
            from rel in Gen.Elements(Releases)
            from cookies in Gen.Choose(0, 2)
            select (arg, somax, rel, cookies);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(5000), Prop.ForAll(gen.ToArbitrary(), t =>
        {
            int b = ListenBacklog.EffectiveBacklog(t.arg, t.somax);
            bool clampOk = b == (t.arg < 0 || t.arg > t.somax ? t.somax : t.arg);
            var profile = KernelProfile.FromRelease(t.rel).Listen;
            var l = new ListenerState(profile, new ListenSysctls(t.somax, 4096, t.cookies, false, 5), t.arg);
            // offer many completed handshakes at once (interleaved SYN/ACK), never accept: A never exceeds B + 1,
            // and reaches it whenever the rules let enough handshakes through
            for (int i = 0; i < b + 40; i++)
                if (l.OnSyn(0, i) is SynOutcome.RequestCreated or SynOutcome.CookieSent) l.OnAck(0, i);
            bool zeroCapCase = t.cookies == 0 && b == 0 && profile.SynQueueRule == SynQueueRule.AtLeastBacklog;
            return clampOk && l.Backlog == b && ListenBacklog.AcceptCapacity(b) == b + 1 &&
                   (zeroCapCase ? l.AcceptQueueLength == 0 : l.AcceptQueueLength == b + 1);
        }));
    }

    [Fact]
    public void Counters_obey_ListenDrops_at_least_ListenOverflows_for_any_event_sequence()
    {
        var ev = from kind in Gen.Choose(0, 3) from client in Gen.Choose(0, 15) from dt in Gen.Choose(0, 1500) select (kind, client, dt);
        var gen =
            from rel in Gen.Elements(Releases)
            from b in Gen.Choose(-2, 10)
            from cookies in Gen.Choose(0, 2)
            from m in Gen.Choose(1, 64)
            from abort in Gen.Elements(false, true)
            from events in Gen.ListOf(ev, 60)
            select (rel, b, cookies, m, abort, events);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(5000), Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var l = new ListenerState(KernelProfile.FromRelease(t.rel).Listen, new ListenSysctls(16, t.m, t.cookies, t.abort, 5), t.b);
            long now = 0;
            foreach (var (kind, client, dt) in t.events)
            {
                now += dt;
                ListenerEvent e = kind switch
                {
                    0 => new ListenerEvent.Syn(now, client),
                    1 => new ListenerEvent.Ack(now, client),
                    2 => new ListenerEvent.Accept(now),
                    _ => new ListenerEvent.Advance(now),
                };
                l.Apply(e);
                var c = l.Counters;
                if (c.ListenDrops < c.ListenOverflows) return false;
                if (l.AcceptQueueLength > l.Backlog + 1 || l.YoungCount < 0 || l.YoungCount > l.RequestCount) return false;
            }
            return true;
        }));
    }

    [Fact]
    public void Replay_is_deterministic()
    {
        ListenerState Run()
        {
            var l = new ListenerState(KernelProfile.FromRelease("6.18").Listen, new ListenSysctls(4096, 8, 0, false, 5), 2);
            for (int i = 0; i < 6; i++) l.Apply(new ListenerEvent.Syn(i, i));
            l.Apply(new ListenerEvent.Advance(70_000));
            return l;
        }
        Assert.Equal(Run().Trace, Run().Trace);
    }
}
