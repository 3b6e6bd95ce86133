using System.Diagnostics;

namespace PortSelection.Validator.Cli;

/// <summary>Progress on standard error for runs longer than 2 s, at most once per second; safe from several threads.</summary>
internal sealed class ProgressLine(TextWriter error, string command, int points)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly double[] _done = new double[Math.Max(1, points)];
    private readonly Lock _gate = new();
    private long _lastMs;

    /// <summary>Records that point <paramref name="index"/> is <paramref name="fraction"/> done.</summary>
    public void Report(int index, double fraction)
    {
        lock (_gate)
        {
            _done[index] = fraction;
            long ms = _clock.ElapsedMilliseconds;
            if (ms < 2000 || ms - _lastMs < 1000) return;
            _lastMs = ms;
            error.WriteLine($"portsel {command}: {_done.Average() * 100:F0} % simulated, {ms / 1000.0:F1} s");
        }
    }
}
