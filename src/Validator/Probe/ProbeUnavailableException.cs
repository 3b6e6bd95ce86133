namespace PortSelection.Validator.Probe;

/// <summary>Live probing is impossible here (not root, no libbpf, every backend failed).
/// The CLI turns it into a one-line message and exit code 3.</summary>
public sealed class ProbeUnavailableException(string message) : Exception(message);
