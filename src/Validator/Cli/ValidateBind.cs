using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Validator.Compare;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary><c>validate bind</c>: R + 1 bind(0) calls without and with SO_REUSEADDR, compared by <see cref="BindOrderValidation"/>.</summary>
public static class ValidateBind
{
    /// <summary>Runs the check (<c>--range</c> up to 64 ports; default 40000-40009).</summary>
    /// <exception cref="ProbeUnavailableException">Not root.</exception>
    public static CheckOutcome Run(ValidateOptions o)
    {
        BindOrderReport report;
        if (o.Trace is { } path)
        {
            (string, BindRecording) rec;
            try { rec = ObservationFile.Read<BindRecording>(path, "bind"); }
            catch (Exception e) when (e is FormatException or IOException) { throw new UsageException($"--trace {path}: {e.Message}"); }
            var release = o.Kernel ?? rec.Item1;
            if (!KernelProfile.TryFromRelease(release, out var profile, out var err)) throw new UsageException($"kernel '{release}': {err}");
            if (rec.Item2.RangeLow is < 1 or > 65535 || rec.Item2.RangeHigh < rec.Item2.RangeLow || rec.Item2.RangeHigh > 65535)
                throw new UsageException($"--trace {path}: bad range {rec.Item2.RangeLow}-{rec.Item2.RangeHigh}");
            report = Compare(profile!, release, rec.Item2);
        }
        else
        {
            var range = o.Range is { } r ? Parsing.Range("--range", r) : BindOrderValidation.DefaultRange;
            if (range.Count > 64) throw new UsageException($"validate bind: --range {range.Low}-{range.High} has {range.Count} ports; accepted: at most 64");
            report = Live(range, o.Record);
        }
        return new CheckOutcome(report.VerdictLine(), report.ToJson(), report.Agrees);
    }

    /// <summary>Runs both sequences live and compares them; the observations go to <paramref name="record"/>
    /// (<see cref="ObservationFile"/>) when given.</summary>
    public static BindOrderReport Live(PortRange range, string? record = null)
    {
        var release = KernelClock.Release();
        var profile = KernelProfile.FromRelease(release);
        var plain = BindZeroScenario.Run((ushort)range.Low, (ushort)range.High, range.Count + 1, reuseAddr: false);
        var reuse = BindZeroScenario.Run((ushort)range.Low, (ushort)range.High, range.Count + 1, reuseAddr: true);
        var recording = new BindRecording(range.Low, range.High, plain, reuse);
        if (record is not null) ObservationFile.Write(record, "bind", release, recording);
        return Compare(profile, release, recording);
    }

    /// <summary>The comparison of recorded or live bind(0) sequences with the model of <paramref name="profile"/>.</summary>
    public static BindOrderReport Compare(KernelProfile profile, string release, BindRecording recording)
    {
        var range = new PortRange(recording.RangeLow, recording.RangeHigh);
        return new BindOrderReport(release, range,
            BindOrderValidation.Compare(profile, range, false, recording.Plain), BindOrderValidation.Compare(profile, range, true, recording.Reuse));
    }
}

/// <summary>What <c>validate bind --record</c> stores: the range and both bind(0) sequences.</summary>
/// <param name="RangeLow">Namespace range low end.</param>
/// <param name="RangeHigh">Namespace range high end.</param>
/// <param name="Plain">bind(0) results without SO_REUSEADDR, in call order.</param>
/// <param name="Reuse">bind(0) results with SO_REUSEADDR, in call order.</param>
public sealed record BindRecording(int RangeLow, int RangeHigh, IReadOnlyList<BindZeroResult> Plain, IReadOnlyList<BindZeroResult> Reuse);
