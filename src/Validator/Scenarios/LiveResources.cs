using System.Runtime.InteropServices;

namespace PortSelection.Validator.Scenarios;

/// <summary>
/// Registry of live resources (namespaces, probe sessions) that must not outlive the process:
/// disposed, newest first, on <see cref="AppDomain.ProcessExit"/>, SIGTERM, SIGHUP and (unless
/// <see cref="HandleInterrupt"/> is false) SIGINT/Ctrl-C, if their owners have not done it already.
/// The signal is not cancelled: the process then terminates as usual. SIGKILL cannot be caught:
/// <c>portsel cleanup</c> removes what such a run leaves.
/// </summary>
public static class LiveResources
{
    private static readonly Lock Gate = new();
    private static readonly List<IDisposable> Items = [];
    private static int _hooked;
    private static readonly List<PosixSignalRegistration> Signals = [];

    /// <summary>When false, SIGINT is left to a command that handles Ctrl-C itself (and disposes
    /// its resources on the way out), e.g. <c>portsel probe</c>.</summary>
    public static bool HandleInterrupt { get; set; } = true;

    /// <summary>Adds <paramref name="resource"/>; installs the exit hook on first use.</summary>
    public static void Register(IDisposable resource)
    {
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DisposeAll();
            if (OperatingSystem.IsLinux())
            {
                Signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => DisposeAll()));
                Signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => DisposeAll()));
                Signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, _ =>
                {
                    if (HandleInterrupt) DisposeAll();
                }));
            }
        }
        lock (Gate) Items.Add(resource);
    }

    /// <summary>Removes <paramref name="resource"/> (its owner disposed it).</summary>
    public static void Unregister(IDisposable resource)
    {
        lock (Gate) Items.Remove(resource);
    }

    /// <summary>Number of live resources still registered.</summary>
    public static int Count
    {
        get { lock (Gate) return Items.Count; }
    }

    /// <summary>Disposes every registered resource, newest first; never throws.</summary>
    public static void DisposeAll()
    {
        IDisposable[] snapshot;
        lock (Gate)
        {
            snapshot = [.. Items];
            Items.Clear();
        }
        for (var i = snapshot.Length - 1; i >= 0; i--)
        {
            try { snapshot[i].Dispose(); }
            catch (Exception e)
            {
                try { Console.Error.WriteLine($"portsel: cleanup of {snapshot[i]} failed: {e.Message}"); }
                catch (Exception) { /* stderr may be unavailable (e.g. EMFILE); never throw here */ }
            }
        }
    }
}
