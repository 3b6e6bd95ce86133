using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Reports;

/// <summary>Outcome of a PNG conversion.</summary>
/// <param name="Converted">True when the PNG was written.</param>
/// <param name="Message">"ok", "rsvg-convert not installed", or the tool's error.</param>
public readonly record struct PngExportResult(bool Converted, string Message);

/// <summary>Converts SVG files to PNG with <c>rsvg-convert</c> (librsvg2-bin) when it is on PATH. Runs the
/// tool directly (no shell) with a time bound; writes to a temporary name and moves it into place.</summary>
public static class PngExport
{
    /// <summary>Message returned when the tool is missing.</summary>
    public const string NotInstalled = "rsvg-convert not installed";

    /// <summary>Full path of <c>rsvg-convert</c> on PATH, or null.</summary>
    public static string? FindTool()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "rsvg-convert");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>True when <c>rsvg-convert</c> is on PATH.</summary>
    public static bool IsAvailable => FindTool() is not null;

    /// <summary>Converts <paramref name="svgPath"/> to <paramref name="pngPath"/> at <paramref name="zoom"/>
    /// (1 = SVG pixels), waiting at most <paramref name="timeout"/> (default 30 s). Never throws for a missing
    /// tool or a failed conversion; the result says what happened.</summary>
    public static PngExportResult Convert(string svgPath, string pngPath, double zoom = 1, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(svgPath);
        ArgumentException.ThrowIfNullOrEmpty(pngPath);
        var tool = FindTool();
        if (tool is null) return new PngExportResult(false, NotInstalled);
        var tmp = pngPath + ".tmp";
        try
        {
            var r = ExternalTool.Run(tool,
                ["--format", "png", "--zoom", zoom.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), "--output", tmp, svgPath],
                timeout ?? TimeSpan.FromSeconds(30));
            if (!r.Ok || !File.Exists(tmp))
                return new PngExportResult(false, r.StdErr.Length > 0 ? r.StdErr : $"rsvg-convert exited with {r.ExitCode}");
            File.Move(tmp, pngPath, overwrite: true);
            return new PngExportResult(true, "ok");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new PngExportResult(false, e.Message);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
