using System.Globalization;
using System.IO.Compression;

namespace PortSelection.Validator.Probe;

/// <summary>The kernel tick rate and where it came from.</summary>
/// <param name="Hz">CONFIG_HZ.</param>
/// <param name="Source">"/proc/config.gz", "/boot/config-RELEASE", or "measured from /proc/timer_list".</param>
public readonly record struct KernelHz(int Hz, string Source);

/// <summary>A jiffies value paired with CLOCK_MONOTONIC, from one read of /proc/timer_list.</summary>
/// <param name="Jiffies">The first <c>jiffies:</c> line.</param>
/// <param name="MonotonicNs">The <c>now at N nsecs</c> line (ktime_get, i.e. CLOCK_MONOTONIC).</param>
/// <param name="ReadStartNs">CLOCK_MONOTONIC before reading the file.</param>
/// <param name="ReadEndNs">CLOCK_MONOTONIC after reading it.</param>
public readonly record struct JiffiesAnchor(ulong Jiffies, long MonotonicNs, long ReadStartNs, long ReadEndNs);

/// <summary>Reads kernel time facts needed to model the 10 s re-key (<c>jiffies / (10 * HZ)</c>).</summary>
public static class KernelClock
{
    /// <summary>Kernel release (<c>/proc/sys/kernel/osrelease</c>).</summary>
    public static string Release() =>
        File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : Environment.OSVersion.VersionString;

    /// <summary>CONFIG_HZ from /proc/config.gz or /boot/config-*, else measured over ≈ 0.4 s.</summary>
    public static KernelHz Hz()
    {
        try
        {
            if (File.Exists("/proc/config.gz"))
            {
                using var gz = new GZipStream(File.OpenRead("/proc/config.gz"), CompressionMode.Decompress);
                using var reader = new StreamReader(gz);
                if (FindHz(reader) is { } hz) return new(hz, "/proc/config.gz");
            }
            var boot = $"/boot/config-{Release()}";
            if (File.Exists(boot))
            {
                using var reader = new StreamReader(boot);
                if (FindHz(reader) is { } hz) return new(hz, boot);
            }
        }
        catch (IOException) { }
        catch (InvalidDataException) { }
        return new(MeasureHz(), "measured from /proc/timer_list");
    }

    private static int? FindHz(StreamReader reader)
    {
        for (var i = 0; i < 100_000 && reader.ReadLine() is { } line; i++)
            if (line.StartsWith("CONFIG_HZ=", StringComparison.Ordinal) &&
                int.TryParse(line.AsSpan(10), NumberStyles.None, CultureInfo.InvariantCulture, out var hz))
                return hz;
        return null;
    }

    /// <summary>Measures HZ from two jiffies anchors ≈ 400 ms apart, snapped to 100/250/300/1000.</summary>
    public static int MeasureHz()
    {
        var a = ReadJiffiesAnchor();
        Thread.Sleep(400);
        var b = ReadJiffiesAnchor();
        if (a is null || b is null) return 0;
        var rate = (b.Value.Jiffies - a.Value.Jiffies) / ((b.Value.MonotonicNs - a.Value.MonotonicNs) / 1e9);
        return new[] { 100, 250, 300, 1000 }.MinBy(h => Math.Abs(h - rate));
    }

    /// <summary>Reads <c>now at</c> and the first <c>jiffies:</c> line of /proc/timer_list; null when
    /// the file is missing (CONFIG_TIMER_LIST... absent) or unreadable.</summary>
    public static JiffiesAnchor? ReadJiffiesAnchor()
    {
        if (!File.Exists("/proc/timer_list")) return null;
        var start = LibC.MonotonicNs();
        long? now = null;
        ulong? jiffies = null;
        try
        {
            using var reader = new StreamReader("/proc/timer_list");
            for (var i = 0; i < 10_000 && reader.ReadLine() is { } line; i++)
            {
                if (now is null && line.StartsWith("now at ", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length >= 3 && long.TryParse(parts[2], CultureInfo.InvariantCulture, out var n)) now = n;
                }
                else if (line.StartsWith("jiffies:", StringComparison.Ordinal) &&
                         ulong.TryParse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture, out var j))
                {
                    jiffies = j;
                    break;
                }
            }
        }
        catch (IOException) { return null; }
        var end = LibC.MonotonicNs();
        return now is { } nn && jiffies is { } jj ? new JiffiesAnchor(jj, nn, start, end) : null;
    }
}
