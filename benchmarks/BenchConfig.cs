using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Columns;

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

/// <summary>
/// One cold iteration, one invocation, whatever job the command line asks for (<see cref="ConfigUnionRule.AlwaysUseLocal"/>):
/// for the reference fill (~202 M candidates, about a minute).
/// </summary>
public sealed class OneShotConfig : ManualConfig
{
    /// <summary>Creates the config.</summary>
    public OneShotConfig()
    {
        UnionRule = ConfigUnionRule.AlwaysUseLocal;
        AddJob(Job.Default.WithStrategy(RunStrategy.ColdStart).WithLaunchCount(1).WithWarmupCount(0).WithIterationCount(1)
            .WithInvocationCount(1).WithUnrollFactor(1).WithId("OneShot"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddExporter(MarkdownExporter.GitHub, CsvExporter.Default);
        AddLogger(ConsoleLogger.Default);
        AddColumnProvider(DefaultColumnProviders.Instance);
        ArtifactsPath = BenchConfig.ResultsPath;
    }
}
