using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Scenarios;

/// <summary>
/// A dedicated OS thread that has joined a network namespace with <c>setns(CLONE_NEWNET)</c> and
/// runs work items there, one at a time. Only this thread is in the namespace: the rest of the
/// process (and the BPF objects) stay in the host's namespaces, so /sys and /sys/fs/bpf keep
/// working (unlike <c>ip netns exec</c>, which remounts /sys).
/// </summary>
public sealed class NetnsThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new(boundedCapacity: 64);
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _ready = new(false);
    private string? _startError;
    private int _disposed;

    /// <summary>Starts the thread and waits (≤ 10 s) until it is inside <paramref name="netnsPath"/>.</summary>
    /// <exception cref="InvalidOperationException">setns failed, or the thread did not end up in a
    /// namespace other than the host's.</exception>
    public NetnsThread(string netnsPath)
    {
        NamespacePath = netnsPath;
        _thread = new Thread(Loop) { IsBackground = true, Name = $"netns {Path.GetFileName(netnsPath)}" };
        _thread.Start();
        if (!_ready.Wait(TimeSpan.FromSeconds(10)))
            _startError ??= "netns thread did not start within 10 s";
        if (_startError is not null)
        {
            _work.CompleteAdding();
            _thread.Join(TimeSpan.FromSeconds(5));
            throw new InvalidOperationException(_startError);
        }
    }

    /// <summary>The namespace file joined (e.g. /var/run/netns/portsel-123-1).</summary>
    public string NamespacePath { get; }

    /// <summary>Kernel thread id (tid) of the thread — register it with the probe.</summary>
    public int Tid { get; private set; }

    /// <summary>The namespace's identity as /proc shows it (<c>net:[inode]</c>).</summary>
    public string NamespaceId { get; private set; } = "";

    /// <summary>Identity of the host's network namespace: that of this process's main thread (which
    /// never joins another namespace), read once. /proc/1/ns/net is often not readable.</summary>
    public static string HostNamespaceId => HostId.Value;

    private static readonly Lazy<string> HostId = new(() =>
        LibC.ReadLink($"/proc/{Environment.ProcessId}/task/{Environment.ProcessId}/ns/net")
        ?? throw new InvalidOperationException("cannot read this process's /proc/PID/ns/net"));

    private void Loop()
    {
        try
        {
            Tid = LibC.GetTid();
            var fd = LibC.Open(NamespacePath, LibC.ORdOnly | LibC.OCloExec);
            if (fd < 0)
            {
                _startError = $"open {NamespacePath}: {LibC.Describe(Marshal.GetLastPInvokeError())}";
                return;
            }
            _ = HostNamespaceId; // read before leaving the host namespace
            var rc = LibC.SetNs(fd, LibC.CloneNewNet);
            var errno = Marshal.GetLastPInvokeError();
            LibC.Close(fd);
            if (rc != 0)
            {
                _startError = $"setns({NamespacePath}, CLONE_NEWNET): {LibC.Describe(errno)}";
                return;
            }
            var host = HostNamespaceId;
            NamespaceId = LibC.ReadLink("/proc/thread-self/ns/net") ?? "";
            var mainThread = LibC.ReadLink($"/proc/{Environment.ProcessId}/task/{Environment.ProcessId}/ns/net");
            if (NamespaceId.Length == 0 || NamespaceId == host || NamespaceId == mainThread)
            {
                _startError = $"setns did not move the thread out of the host network namespace ({NamespaceId})";
                return;
            }
        }
        catch (Exception e)
        {
            _startError = $"netns thread: {e.Message}";
            return;
        }
        finally
        {
            _ready.Set();
        }

        foreach (var item in _work.GetConsumingEnumerable())
            item(); // items catch their own exceptions (see Invoke)
    }

    /// <summary>Runs <paramref name="work"/> inside the namespace and returns its result; waits at most
    /// <paramref name="timeout"/> (default 60 s). Exceptions of the work are rethrown here.</summary>
    /// <exception cref="TimeoutException">The work did not finish in time (it keeps running; it must
    /// be bounded itself).</exception>
    public T Invoke<T>(Func<T> work, TimeSpan? timeout = null)
    {
        if (Volatile.Read(ref _disposed) != 0)
            throw new ObjectDisposedException(nameof(NetnsThread), $"the namespace thread of {NamespacePath} was stopped (namespace removed; interrupted run?)");
        T result = default!;
        Exception? error = null;
        using var done = new ManualResetEventSlim(false);
        var doneRef = done;
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        if (!_work.TryAdd(() =>
            {
                try { result = work(); }
                catch (Exception e) { error = e; }
                finally
                {
                    try { doneRef.Set(); } catch (ObjectDisposedException) { }
                }
            }, limit))
            throw new TimeoutException("netns thread queue is full");
        if (!done.Wait(limit))
            throw new TimeoutException($"work in {NamespacePath} did not finish within {limit.TotalSeconds:0.#} s");
        if (error is not null) throw new InvalidOperationException(error.Message, error);
        return result;
    }

    /// <summary>Runs <paramref name="work"/> inside the namespace.</summary>
    public void Invoke(Action work, TimeSpan? timeout = null) => Invoke(() => { work(); return 0; }, timeout);

    /// <summary>Lets the thread finish its queue and exit (bounded wait of 10 s).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _work.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(10));
        _ready.Dispose();
    }
}
