using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;

namespace PortSelection.Benchmarks;

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
