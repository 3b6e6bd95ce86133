using PortSelection.Validator.Reports;

namespace PortSelection.Validator.Tests.Reports;

public sealed class AxisTicksTests
{
    [Fact]
    public void Log_axis_1_to_30000_has_decade_ticks()
    {
        var t = AxisTicks.Compute(AxisSpec.Log("n"), [1, 5, 300, 30000]);
        Assert.Equal([1, 10, 100, 1000, 10000, 100000], t.Major);
        Assert.Equal(["1", "10", "100", "1k", "10k", "100k"], t.Major.Select(v => t.Label(v, true)));
        Assert.Contains(2.0, t.Minor);
        Assert.Contains(20000.0, t.Minor);
    }

    [Fact]
    public void Log_axis_with_fixed_range_keeps_ticks_inside()
    {
        var t = AxisTicks.Compute(AxisSpec.Log("n").WithRange(1, 30000), [0.5, 40000]);
        Assert.Equal([1, 10, 100, 1000, 10000], t.Major);
        Assert.Equal(30000, t.Max);
        Assert.All(t.Minor, m => Assert.InRange(m, 1, 30000));
    }

    [Fact]
    public void Log_axis_ignores_non_positive_values()
    {
        var t = AxisTicks.Compute(AxisSpec.Log("p"), [-5, 0, 0.001, 0.5, double.NaN]);
        Assert.Equal(0.001, t.Min, 12);
        Assert.Equal(1, t.Max, 12);
        Assert.Equal(["0.001", "0.01", "0.1", "1"], t.Major.Select(v => t.Label(v, true)));
    }

    [Fact]
    public void Linear_axis_uses_1_2_5_steps()
    {
        var t = AxisTicks.Compute(AxisSpec.Linear("x"), [0, 28232]);
        Assert.Equal(5000, t.Step);
        Assert.Equal(0, t.Min);
        Assert.Equal(30000, t.Max);
        Assert.Equal(["0", "5k", "10k", "15k", "20k", "25k", "30k"], t.Major.Select(v => t.Label(v, true)));

        var f = AxisTicks.Compute(AxisSpec.Linear("f"), [0, 1]);
        Assert.Equal(0.2, f.Step, 12);
        Assert.Equal(["0", "0.2", "0.4", "0.6", "0.8", "1"], f.Major.Select(v => f.Label(v, true)));
    }

    [Theory]
    [InlineData(0.4, 0.5)]
    [InlineData(1300, 1000)]
    [InlineData(5646, 5000)]
    [InlineData(1, 1)]
    [InlineData(7, 10)]
    [InlineData(0.015, 0.02)]
    public void Nice_step(double raw, double expected) => Assert.Equal(expected, AxisTicks.NiceStep(raw), 12);

    [Fact]
    public void Empty_and_all_equal_values_give_a_sensible_range()
    {
        var empty = AxisTicks.Compute(AxisSpec.Linear("x"), []);
        Assert.Equal((0.0, 1.0), (empty.Min, empty.Max));
        var zeros = AxisTicks.Compute(AxisSpec.Linear("x"), [0, 0, 0]);
        Assert.Equal((0.0, 1.0), (zeros.Min, zeros.Max));
        var same = AxisTicks.Compute(AxisSpec.Linear("x"), [28000, 28000]);
        Assert.True(same.Min < 28000 && same.Max > 28000);
        Assert.True(same.Major.Count >= 2);
        var logEmpty = AxisTicks.Compute(AxisSpec.Log("x"), [-1, 0]);
        Assert.Equal((1.0, 10.0), (logEmpty.Min, logEmpty.Max));
    }

    [Fact]
    public void Fixed_linear_range_is_kept()
    {
        var t = AxisTicks.Compute(AxisSpec.Linear("x").WithRange(0, 1), [0.2, 5]);
        Assert.Equal((0.0, 1.0), (t.Min, t.Max));
        Assert.All(t.Major, v => Assert.InRange(v, 0, 1));
    }

    [Theory]
    [InlineData(28000, 1000, true, "28k")]
    [InlineData(1500, 500, true, "1.5k")]
    [InlineData(32768, 1, false, "32768")]
    [InlineData(2500000, 500000, true, "2.5M")]
    [InlineData(0.25, 0.05, true, "0.25")]
    [InlineData(-0.0, 1, true, "0")]
    [InlineData(1e-8, 1e-8, true, "1e-8")]
    [InlineData(0.00025, 0.00005, true, "2.5e-4")]
    [InlineData(0.001, 0.001, true, "0.001")]
    public void Tick_labels_are_invariant_and_short(double v, double step, bool si, string expected) =>
        Assert.Equal(expected, TickLabel.Format(v, step, si));
}
