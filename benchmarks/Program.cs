using BenchmarkDotNet.Running;
using PortSelection.Benchmarks;

// dotnet run -c Release --project benchmarks -- --filter '*'   (results: benchmarks/results/)
BenchmarkSwitcher.FromAssembly(typeof(Hosts).Assembly).Run(args, BenchConfig.Default());
