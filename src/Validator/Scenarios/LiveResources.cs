namespace PortSelection.Validator.Scenarios;

/// <summary>
/// Registry of live resources (namespaces, probe sessions) that must not outlive the process:
/// disposed, newest first, on <see cref="AppDomain.ProcessExit"/> (also reached after Ctrl-C
/// and SIGTERM) if their owners have not done it already.
/// </summary>
public static class LiveResources
{
    private static readonly Lock Gate = new();
    private static readonly List<IDisposable> Items = [];
    private static int _hooked;

    /// <summary>Adds <paramref name="resource"/>; installs the exit hook on first use.</summary>
    public static void Register(IDisposable resource)
    {
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DisposeAll();
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
            catch (Exception e) { Console.Error.WriteLine($"portsel: cleanup of {snapshot[i]} failed: {e.Message}"); }
        }
    }
}
