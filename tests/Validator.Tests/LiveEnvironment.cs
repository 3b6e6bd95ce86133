using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Tests;

/// <summary>
/// Gate for live-kernel tests: skip with the reason when live work is impossible here (not root,
/// no libbpf, no BPF objects), but FAIL instead when PORTSEL_REQUIRE_LIVE=1.
/// </summary>
public static class LiveEnvironment
{
    public static bool Required => Environment.GetEnvironmentVariable("PORTSEL_REQUIRE_LIVE") == "1";

    /// <summary>Skips (or fails when required) unless live probing is possible.</summary>
    public static void RequireOrSkip()
    {
        var reason = ProbeAvailability.Check();
        if (reason is null && !File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip"))
            reason = "iproute2 `ip` is not installed";
        if (reason is null) return;
        if (Required) Assert.Fail($"PORTSEL_REQUIRE_LIVE=1 but live probing is unavailable: {reason}");
        Assert.Skip($"live kernel test skipped: {reason}");
    }

    /// <summary>Converts a ProbeUnavailableException during a live test into skip/fail.</summary>
    public static T OrSkip<T>(Func<T> live)
    {
        try { return live(); }
        catch (ProbeUnavailableException e)
        {
            if (Required) Assert.Fail($"PORTSEL_REQUIRE_LIVE=1 but the probe is unavailable: {e.Message}");
            Assert.Skip($"live kernel test skipped: {e.Message}");
            throw; // unreachable
        }
    }
}

/// <summary>All live tests run one after another (they share the kernel's global perturb table
/// and the leftover check must see a quiet system).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveCollection
{
    public const string Name = "live kernel";
}
