using PortSelection.Model.Kernel;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary><c>validate synretry</c>: dropped-SYN retransmissions (TCP_SYNCNT = 2, ≈ 7 s) compared by <see cref="SynRetryValidation"/>.</summary>
public static class ValidateSynRetry
{
    /// <summary>Destination port.</summary>
    public const ushort DestinationPort = 5305;

    /// <summary>Runs the check.</summary>
    /// <exception cref="ProbeUnavailableException">Not root.</exception>
    public static CheckOutcome Run(ValidateOptions o)
    {
        var report = Live(DestinationPort);
        return new CheckOutcome(report.VerdictLine(), report.ToJson(), report.Agrees);
    }

    /// <summary>Runs the scenario live and compares.</summary>
    public static SynRetryReport Live(ushort dport)
    {
        var release = KernelClock.Release();
        return SynRetryValidation.Compare(KernelProfile.FromRelease(release), SynRetryScenario.Run(dport, 2), release);
    }
}
