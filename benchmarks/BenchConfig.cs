using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;

namespace PortSelection.Benchmarks;

/// <summary>Where results go (benchmarks/results) and the shared diagnosers and exporters.</summary>
public static class BenchConfig
{
    /// <summary>benchmarks/results, found from the build output upwards.</summary>
    public static string ResultsPath
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "PortSelection.Benchmarks.csproj"))) dir = Path.GetDirectoryName(dir);
            return Path.Combine(dir ?? Directory.GetCurrentDirectory(), "results");
        }
    }

    /// <summary>The command-line config: default job (or --job), MemoryDiagnoser, GitHub Markdown and CSV.</summary>
    public static IConfig Default() => DefaultConfig.Instance
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddExporter(MarkdownExporter.GitHub, CsvExporter.Default)
        .WithArtifactsPath(ResultsPath);
}
