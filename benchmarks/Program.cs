using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks -- --filter '*'   (results: benchmarks/results/)
var dir = AppContext.BaseDirectory;
while (dir is not null && !File.Exists(Path.Combine(dir, "PortSelection.Benchmarks.csproj"))) dir = Path.GetDirectoryName(dir);
var results = Path.Combine(dir ?? Directory.GetCurrentDirectory(), "results");
var config = DefaultConfig.Instance
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddExporter(MarkdownExporter.GitHub, CsvExporter.Default)
    .WithArtifactsPath(results);
BenchmarkSwitcher.FromAssembly(typeof(PortSelection.Benchmarks.Hosts).Assembly).Run(args, config);
