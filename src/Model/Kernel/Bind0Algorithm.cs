namespace PortSelection.Model.Kernel;

/// <summary>How bind() with port 0 picks a port (<c>inet_csk_get_port</c> / <c>inet_csk_find_open_port</c>).</summary>
/// <remarks>shared/kernel/port-selection.md §5.</remarks>
public enum Bind0Algorithm
{
    /// <summary>3.x–4.5: random rover, +1 linear scan, smallest-bucket fallback.</summary>
    LinearRover,
    /// <summary>4.6–4.12 (companion of 1580ab63fc9a): odd-first parity passes, halves with SO_REUSEADDR, smallest-bucket fallback.</summary>
    ParityHalvesSmallest,
    /// <summary>4.13+ (<c>inet_csk_find_open_port</c>): parity passes and halves without the smallest-bucket logic; 5.7+ relax pass.</summary>
    FindOpenPort,
}
