namespace PortSelection.Validator.Cli;

/// <summary>Read-only facts about the machine the tool runs on (for defaults that say where they came from).</summary>
public static class RunningSystem
{
    /// <summary>The running kernel's release (<c>/proc/sys/kernel/osrelease</c>), or null when unreadable.</summary>
    public static string? KernelRelease()
    {
        try { return File.ReadAllText("/proc/sys/kernel/osrelease").Trim(); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
