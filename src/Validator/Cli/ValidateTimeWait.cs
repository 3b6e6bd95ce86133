using PortSelection.Model.Kernel;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary><c>validate timewait</c>: TIME_WAIT reuse with tcp_tw_reuse 2 and 0, compared by <see cref="TimeWaitValidation"/>.</summary>
public static class ValidateTimeWait
{
    /// <summary>Destination port.</summary>
    public const ushort DestinationPort = 5303;

    /// <summary>The one local port used (range PORT-PORT).</summary>
    public const ushort LocalPort = 40000;

    /// <summary>Runs the check (≈ 2.5 s).</summary>
    /// <exception cref="ProbeUnavailableException">Not root.</exception>
    public static CheckOutcome Run(ValidateOptions o)
    {
        TimeWaitReport report;
        if (o.Trace is { } path)
        {
            (string, TimeWaitRecording) rec;
            try { rec = ObservationFile.Read<TimeWaitRecording>(path, "timewait"); }
            catch (Exception e) when (e is FormatException or IOException) { throw new UsageException($"--trace {path}: {e.Message}"); }
            var release = o.Kernel ?? rec.Item1;
            if (!KernelProfile.TryFromRelease(release, out var profile, out var err)) throw new UsageException($"kernel '{release}': {err}");
            report = Compare(profile!, release, rec.Item2);
        }
        else report = Live(DestinationPort, o.Record);
        return new CheckOutcome(report.VerdictLine(), report.ToJson(), report.Agrees);
    }

    /// <summary>Both namespaces (tcp_tw_reuse = 2, then 0) live, each reconnecting at 0.15 s and 1.15 s; the
    /// observations go to <paramref name="record"/> (<see cref="ObservationFile"/>) when given.</summary>
    public static TimeWaitReport Live(ushort dport, string? record = null)
    {
        var release = KernelClock.Release();
        var profile = KernelProfile.FromRelease(release);
        var runs = new[] { 2, 0 }.Select(reuse => TimeWaitScenario.Run(LocalPort, dport, reuse, TimeWaitValidation.DefaultDelaysMs)).ToList();
        var recording = new TimeWaitRecording(dport, runs);
        if (record is not null) ObservationFile.Write(record, "timewait", release, recording);
        return Compare(profile, release, recording);
    }

    /// <summary>The comparison of recorded or live observations with the model of <paramref name="profile"/>.</summary>
    public static TimeWaitReport Compare(KernelProfile profile, string release, TimeWaitRecording recording) =>
        new(release, recording.Runs.SelectMany(r => TimeWaitValidation.Compare(profile, r, recording.DestinationPort)).ToList());
}

/// <summary>What <c>validate timewait --record</c> stores: the destination port and one observation per namespace.</summary>
/// <param name="DestinationPort">The listener's port.</param>
/// <param name="Runs">The observations (tcp_tw_reuse = 2, then 0).</param>
public sealed record TimeWaitRecording(int DestinationPort, IReadOnlyList<TimeWaitObservation> Runs);
