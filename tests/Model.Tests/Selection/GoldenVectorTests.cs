using PortSelection.Model.Ports;
using PortSelection.Model.Selection;
using static PortSelection.Model.Selection.ScanVerdict;
using static PortSelection.Model.Tests.Selection.ScanFixture;

namespace PortSelection.Model.Tests.Selection;

/// <summary>The worked examples of shared/kernel/port-selection.md §7, value for value.</summary>
public class GoldenVectorTests
{
    [Fact]
    public void Example_1a_era_A_hint_steps_by_one()
    {
        var (host, ns) = Section7("3.13", 0x9E3779B9, 0);
        var r = Connect(host, ns);
        Assert.Equal([(1, 1, 32778, Busy), (1, 2, 32779, Chosen)], Trace(r));
        Assert.Equal(2u, r.StateAfter);
        var next = Connect(host, ns);
        Assert.Equal(32780, next.Port);
        Assert.Equal(1, next.I);
        Assert.Equal(3u, next.StateAfter);
        Assert.Equal(32781, Connect(host, ns).Port);
    }

    [Fact]
    public void Example_1b_era_B_even_start_single_pass()
    {
        var (host, ns) = Section7("4.4", 0x9E3779B9, 0);
        var r = Connect(host, ns);
        Assert.Equal(8u, r.StartOffset % 16);
        Assert.Equal([(1, 0, 32776, Busy), (1, 1, 32777, Chosen)], Trace(r));
        Assert.Equal(2u, r.StateAfter);
    }

    [Fact]
    public void Example_1c_era_C_parity_pass_and_hint()
    {
        var (host, ns) = Section7("5.10.13", 0x9E3779B9, 0);
        var r = Connect(host, ns);
        Assert.Equal(8u, r.StartOffset);
        Assert.Equal([(1, 0, 32776, Busy), (1, 2, 32778, Busy), (1, 4, 32780, Chosen)], Trace(r));
        Assert.Equal(6u, r.StateAfter);
        var r2 = Connect(host, ns);
        Assert.Equal((32782, 0, 8u), (r2.Port!.Value, r2.I, r2.StateAfter));
        var r3 = Connect(host, ns);
        Assert.Equal((32768, 0, 10u), (r3.Port!.Value, r3.I, r3.StateAfter));
    }

    [Fact]
    public void Example_1d_era_D_table_256_hash32_index()
    {
        var (host, ns) = Section7("5.15.0", 0x9E3779B9, 0x0BADF00D);
        var r = Connect(host, ns);
        Assert.Equal(28, r.Index);
        Assert.Equal(6u, r.StartOffset);
        Assert.Equal([(1, 0, 32774, Busy), (1, 2, 32776, Busy), (1, 4, 32778, Busy), (1, 6, 32780, Chosen)], Trace(r));
        Assert.Equal(0x0BADF00Du + 8, r.StateAfter);
        Assert.Null(r.Draw); // the 1/16 draw happens only when the first candidate wins
    }

    [Theory]
    [InlineData("5.18", 0, 0x0BADF017u)]
    [InlineData("5.18", 5, 0x0BADF019u)]
    [InlineData("6.1.192", 0, 0x0BADF017u)]
    [InlineData("6.18.44-fc-v657", 0, 0x0BADF017u)]
    [InlineData("6.18.44-fc-v657", 5, 0x0BADF019u)]
    public void Example_1e_era_E_low_bits_index_high_bits_offset(string kernel, int rand8, uint tableAfter)
    {
        var (host, ns) = Section7(kernel, 0x1234_5678_9ABC_DEF0, 0x0BADF00D, new ScriptedDraws(rand8: [rand8, 3]));
        var r = Connect(host, ns);
        Assert.Equal(0xDEF0, r.Index);
        Assert.Equal(4u, r.StartOffset);
        Assert.Equal([(1, 0, 32772, BindOwned), (1, 2, 32774, Busy), (1, 4, 32776, Busy), (1, 6, 32778, Busy), (1, 8, 32780, Chosen)], Trace(r));
        Assert.Equal(tableAfter, r.StateAfter);
        if (rand8 == 0)
        {
            var r2 = Connect(host, ns);
            Assert.Equal((32782, 0), (r2.Port!.Value, r2.I));
            Assert.Equal(0x0BADF01Fu, r2.StateAfter);
        }
    }

    [Theory]
    [InlineData(0, 3u)]
    [InlineData(7, 8u)]
    public void Example_1f_step_one_with_per_socket_range(int rand8, uint increment)
    {
        var (host, ns) = Section7("6.8", 0x1234_5678_9ABC_DEF0, 0x0BADF00D, new ScriptedDraws(rand8: [rand8]));
        var r = Connect(host, ns, new SocketOptions { LocalPortRange = new PerSocketRange(0xFFFF0000) });
        Assert.Equal(1, r.Step);
        Assert.Equal(5u, r.StartOffset);
        Assert.Equal([(1, 0, 32773, BindOwned), (1, 1, 32774, Busy), (1, 2, 32775, Chosen)], Trace(r));
        Assert.Equal(0x0BADF00Du + increment, r.StateAfter); // T += max(2, r) + 1
    }

    [Fact]
    public void Example_1f_before_6_8_keeps_parity_with_the_option()
    {
        var (host, ns) = Section7("6.7", 0x1234_5678_9ABC_DEF0, 0x0BADF00D, new ScriptedDraws(rand8: [0]));
        var r = Connect(host, ns, new SocketOptions { LocalPortRange = new PerSocketRange(0xFFFF0000) });
        Assert.Equal(2, r.Step);
        Assert.Equal(32780, r.Port);
    }

    [Theory]
    [InlineData("5.18", 9)]
    [InlineData("6.18", 1)]
    public void Example_2_wrap_and_second_pass(string kernel, int locks)
    {
        var (host, ns) = Host(kernel, new PortRange(40000, 40009), portOffset: 7UL << 32, hintOrTable: 0,
            draws: new ScriptedDraws(rand8: [6]), reserved: "40001");
        MarkBindOwned(host, ns, 40003);
        MarkBusy(host, ns, 40000, 40002, 40004, 40006, 40007, 40008, 40009);
        var r = Connect(host, ns);
        Assert.Equal(6u, r.StartOffset);
        Assert.Equal([
            (1, 0, 40006, Busy), (1, 2, 40008, Busy), (1, 4, 40000, Busy), (1, 6, 40002, Busy), (1, 8, 40004, Busy),
            (2, 0, 40007, Busy), (2, 2, 40009, Busy), (2, 4, 40001, Reserved), (2, 6, 40003, BindOwned), (2, 8, 40005, Chosen),
        ], Trace(r));
        Assert.Equal(10, r.Counters.Candidates);
        Assert.Equal(9, r.Counters.Probes);
        Assert.Equal(locks, r.Counters.Locks);
        Assert.Equal(8 + 2 + 4u, r.StateAfter - r.StateBefore); // i = 8 within pass 2: T += max(8, 2·6) + 2
    }

    [Theory]
    [InlineData(3u, 40000)]
    [InlineData(0u, 40010)]
    public void Example_3_same_parity_range_leaves_one_port_unreachable(uint start, int neverTried)
    {
        var (host, ns) = Host("6.18", new PortRange(40000, 40010), portOffset: (ulong)start << 32, hintOrTable: 0);
        MarkBusy(host, ns, Enumerable.Range(40000, 11).ToArray());
        var r = Connect(host, ns);
        Assert.Equal(PortError.EADDRNOTAVAIL, r.Error);
        Assert.Equal(10u, r.Remaining);
        var visited = r.Candidates.Select(c => c.Port).ToList();
        Assert.Equal(10, visited.Count);
        Assert.DoesNotContain(neverTried, visited);
        Assert.Equal(10, visited.Distinct().Count());
        Assert.Equal(r.StateBefore, r.StateAfter);
        Assert.Equal(0u, host.Perturb[0]);
        if (start == 3)
            Assert.Equal([40002, 40004, 40006, 40008, 40010, 40003, 40005, 40007, 40009, 40001], visited);
    }

    [Fact]
    public void Example_4_bind0_opposite_parity_first()
    {
        var (host, ns) = Host("6.18", new PortRange(40000, 40009), 0, draws: new ScriptedDraws(below: [4]));
        MarkBusy(host, ns, 40001, 40003, 40004, 40005, 40007, 40009);
        var sock = host.Socket(ns);
        var r = host.BindSocket(sock, Ipv4Address.Any, 0, record: true);
        Assert.Equal(40006, r.Port);
        Assert.Equal([40005, 40007, 40009, 40001, 40003, 40004, 40006], r.Candidates.Select(c => c.Port));
        Assert.Equal(Enumerable.Repeat(Conflict, 6).Append(Chosen), r.Candidates.Select(c => c.Verdict));
    }

    [Fact]
    public void Example_4_bind0_with_reuseaddr_scans_the_lower_part_first()
    {
        var (host, ns) = Host("6.18", new PortRange(40000, 40009), 0, draws: new ScriptedDraws(below: [3]));
        MarkBusy(host, ns, 40001, 40003, 40004, 40005, 40007, 40009);
        var sock = host.Socket(ns, new SocketOptions { Reuse = true });
        var r = host.BindSocket(sock, Ipv4Address.Any, 0, record: true);
        Assert.Equal(40002, r.Port);
        Assert.Equal([(40003, Conflict, 1), (40001, Conflict, 1), (40002, Chosen, 2)], r.Candidates.Select(c => (c.Port, c.Verdict, c.Pass)));
        Assert.All(r.Candidates, c => Assert.Equal(1, c.Half));
    }
}
