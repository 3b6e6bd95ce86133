using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Validator.Cli;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Tests.Compare;

/// <summary>`validate bind`: live bind(0) order, and the comparison offline.</summary>
[Collection(LiveCollection.Name)]
public sealed class BindOrderTests(ITestOutputHelper output)
{
    private static readonly PortRange Range = new(40000, 40009);

    [Fact]
    public void Live_bind0_order_is_one_the_model_can_produce()
    {
        LiveEnvironment.RequireOrSkip();
        var r = LiveEnvironment.OrSkip(() => ValidateBind.Live(Range));
        output.WriteLine(r.VerdictLine());
        Assert.True(r.Agrees, r.VerdictLine());
        Assert.All(r.Plain.Take(5), s => Assert.Equal(1, s.Observed!.Value & 1));
        Assert.Equal(98, r.Plain[10].ObservedErrno);
        Assert.Equal(98, r.Reuse[10].ObservedErrno);
        Assert.Equal(new[] { 40001, 40003 }, r.Reuse.Take(2).Select(s => s.Observed!.Value).Order());
        Assert.Equal(new[] { 40000, 40002 }, r.Reuse.Skip(2).Take(2).Select(s => s.Observed!.Value).Order());
        Assert.Equal(new[] { 40005, 40007, 40009 }, r.Reuse.Skip(4).Take(3).Select(s => s.Observed!.Value).Order());
        Assert.Equal(new[] { 40004, 40006, 40008 }, r.Reuse.Skip(7).Take(3).Select(s => s.Observed!.Value).Order());
    }

    [Fact]
    public void An_even_port_first_is_impossible_for_the_model()
    {
        var profile = KernelProfile.FromRelease("6.18.44");
        var steps = BindOrderValidation.Compare(profile, Range, false, [new BindZeroResult(40002, 0)]);
        Assert.False(steps[0].Possible);
        Assert.Equal(new[] { 40001, 40003, 40005, 40007, 40009 }, steps[0].ModelPorts);
        var reuse = BindOrderValidation.Compare(profile, Range, true, [new BindZeroResult(40003, 0), new BindZeroResult(40005, 0)]);
        Assert.True(reuse[0].Possible);
        Assert.False(reuse[1].Possible); // 40001 must come before the upper half
    }
}
