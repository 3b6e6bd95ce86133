using PortSelection.Model.Simulation;

namespace PortSelection.Validator.Cli;

/// <summary>One simulated variant of a what-if: a name ("range=1024-65535") and its workload.</summary>
/// <param name="Name">Label shown in tables and legends.</param>
/// <param name="Spec">The workload.</param>
internal sealed record WorkloadVariant(string Name, WorkloadSpec Spec);
