using PortSelection.Model.Kernel;

namespace PortSelection.Model.Tests.Kernel;

/// <summary>Era selection of the listen-queue rules (listen-queues.md §0 columns and §1 version brackets).</summary>
public class ListenQueueProfileTests
{
    [Theory]
    [InlineData("2.6.32", ListenEra.V2_6_32)]
    [InlineData("3.10.108", ListenEra.V3_10)]
    [InlineData("3.10.0-1160.el7.x86_64", ListenEra.V3_10)]
    [InlineData("4.2.8", ListenEra.V3_10)]
    [InlineData("4.4.1", ListenEra.V4_4)]
    [InlineData("4.9.0", ListenEra.V4_4)]
    [InlineData("4.4.302", ListenEra.V4_10)]   // 5ea8ea2cb7f1 backported (present in 4.4.302)
    [InlineData("4.9.337", ListenEra.V4_10)]   // present in 4.9.337
    [InlineData("4.10", ListenEra.V4_10)]
    [InlineData("4.19.222", ListenEra.V4_10)]
    [InlineData("5.4.6", ListenEra.V4_10)]
    [InlineData("5.4.116", ListenEra.V4_10)]
    [InlineData("5.4.117", ListenEra.V5_12)]
    [InlineData("5.10.13", ListenEra.V4_10)]
    [InlineData("5.10.35", ListenEra.V5_12)]
    [InlineData("5.11.22", ListenEra.V4_10)]
    [InlineData("5.12", ListenEra.V5_12)]
    [InlineData("5.15.215", ListenEra.V5_12)]
    [InlineData("6.18.44-fc-v657", ListenEra.V5_12)]
    public void Era_follows_the_version_brackets(string release, ListenEra era)
    {
        Assert.Equal(era, KernelProfile.FromRelease(release).Listen.Era);
    }

    [Fact]
    public void Defaults_switch_at_their_versions()
    {
        ListenQueueProfile P(string r) => KernelProfile.FromRelease(r).Listen;
        Assert.Equal(128, P("5.3.1").SomaxconnDefault);          // SOMAXCONN 128 → 4096 in 5.4 (19f92a030ca6)
        Assert.Equal(4096, P("5.4").SomaxconnDefault);
        Assert.Equal(0, P("2.6.32").SyncookiesDefault);
        Assert.Equal(1, P("3.10.108").SyncookiesDefault);
        Assert.False(P("3.10.108").SyncookiesMode2);
        Assert.True(P("4.4.1").SyncookiesMode2);
        Assert.Equal(5, P("3.6").SynRetriesDefault);
        Assert.Equal(6, P("3.7").SynRetriesDefault);
        Assert.Equal(3000, P("2.6.32").InitialRtoMs);
        Assert.Equal(1000, P("3.10").InitialRtoMs);
        Assert.Equal(0, P("6.4").LinearTimeoutsDefault);
        Assert.Equal(4, P("6.5").LinearTimeoutsDefault);
        Assert.False(P("6.12.15").RtoMaxSysctl);
        Assert.True(P("6.18.19").RtoMaxSysctl);
        Assert.Equal(SynTimeoutRule.BudgetInitialRto, P("4.9.337").TimeoutRule);
        Assert.Equal(SynTimeoutRule.CountOrBudget, P("4.19.222").TimeoutRule);
        Assert.Equal(SynTimeoutRule.CountPlusLinearOrBudget, P("6.6.150").TimeoutRule);
        Assert.Equal(SynTimeoutRule.BudgetRtoMinBase, P("2.6.32").TimeoutRule);
        // tcp_max_syn_backlog: max(128, ehash/256) up to 5.3, max(128, ehash/128) from 5.4; 2048 observed on the 6.18 host.
        Assert.Equal(1024, P("5.3.1").MaxSynBacklogDefault(262144));
        Assert.Equal(2048, P("5.4.6").MaxSynBacklogDefault(262144));
        Assert.Equal(128, P("6.18").MaxSynBacklogDefault(1024));
        Assert.Equal(2048, P("6.18.44").MaxSynBacklogAssumedDefault);
        Assert.True(P("4.9.0").CookieSynCountsAsListenDrop is false && P("4.4.302").CookieSynCountsAsListenDrop);
        Assert.False(P("2.6.32").SynDropAccounting);
    }
}
