using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Probe;

/// <summary>Options of a <see cref="ProbeSession"/>.</summary>
public sealed record ProbeOptions
{
    /// <summary>Backends to try, in order (default fentry → kprobe → tracepoint → classic; connect-record checks use
    /// <see cref="ProbeBackendSpec.ConnectRecordOrder"/>, which tries the cgroup backend before the tracepoints).</summary>
    public IReadOnlyList<ProbeBackend> Backends { get; init; } = ProbeBackendSpec.DefaultOrder;

    /// <summary>Folder with the compiled <c>*.bpf.o</c>; default <c>bpf/</c> next to portsel.dll.</summary>
    public string? BpfDirectory { get; init; }

    /// <summary>Ring-buffer drain period (ring_buffer__consume on a timer); 1 ms – 1 s.</summary>
    public TimeSpan DrainPeriod { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Upper bound on events kept in memory before the oldest are dropped (counted).</summary>
    public int MaxBufferedEvents { get; init; } = 5_000_000;

    /// <summary>What the tracepoint and cgroup backends record: one compact record per connect (default), one record per
    /// event (<see cref="ProbeMode.Detail"/>, tracepoint), or nothing on empty programs (<see cref="ProbeMode.Floor"/>).</summary>
    public ProbeMode Mode { get; init; } = ProbeMode.Compact;

    /// <summary>Also trace children forked by traced processes (attaches <c>sched_process_fork</c>; off by default
    /// because it runs on every fork of the system).</summary>
    public bool FollowChildren { get; init; }
}

/// <summary>
/// A live probe: the first backend that loads and attaches, a pid/tid filter, and a ring buffer
/// drained on a timer with <c>ring_buffer__consume</c> (records are submitted with
/// <c>BPF_RB_NO_WAKEUP</c>, so polling would not see them). Dispose detaches everything; nothing
/// is pinned, so nothing outlives the process.
/// </summary>
public sealed unsafe class ProbeSession : IDisposable
{
    private readonly LoadedProbe _probe;
    private readonly RingBufferHandle _ring;
    private readonly GCHandle _self;
    private readonly ConcurrentQueue<ProbeEvent> _queue = new();
    private readonly Lock _consumeLock = new();
    private readonly Timer _timer;
    private readonly int _maxBuffered;
    private long _overflow;
    private long _received;
    private long _events;
    private int _disposed;

    private ProbeSession(LoadedProbe probe, IReadOnlyList<BackendAttempt> attempts, ProbeOptions options)
    {
        _probe = probe;
        Attempts = attempts;
        _maxBuffered = options.MaxBufferedEvents;
        _self = GCHandle.Alloc(this);
        var rb = LibBpf.RingBufferNew(probe.MapFds["events"], &OnSample, GCHandle.ToIntPtr(_self), IntPtr.Zero);
        if (rb == IntPtr.Zero)
        {
            var errno = Marshal.GetLastPInvokeError();
            _self.Free();
            probe.Dispose();
            throw new ProbeUnavailableException($"ring_buffer__new failed: {LibC.Describe(errno)}");
        }
        _ring = new RingBufferHandle(rb);
        var period = options.DrainPeriod < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1)
            : options.DrainPeriod > TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : options.DrainPeriod;
        _timer = new Timer(_ => Consume(), null, period, period);
        LiveResources.Register(this);
    }

    /// <summary>The backend in use.</summary>
    public ProbeBackend Backend => _probe.Backend;

    /// <summary>Every backend tried, in order, with the reason each failed (the last one succeeded).</summary>
    public IReadOnlyList<BackendAttempt> Attempts { get; }

    /// <summary>The mode the loaded programs record in (the tracepoint backend has every mode, the cgroup backend compact
    /// and floor; the others record per event).</summary>
    public ProbeMode Mode => _probe.Mode;

    /// <summary>Records received from the ring buffer so far (a compact record counts once).</summary>
    public long ReceivedRecords => Interlocked.Read(ref _received);

    /// <summary>Events produced so far (compact records expanded).</summary>
    public long ReceivedEvents => Interlocked.Read(ref _events);

    /// <summary>
    /// Opens the first backend of <paramref name="options"/> that works.
    /// </summary>
    /// <exception cref="ProbeUnavailableException">Not root, no libbpf, or no backend works; the
    /// message lists every backend's reason.</exception>
    public static ProbeSession Open(ProbeOptions? options = null)
    {
        options ??= new ProbeOptions();
        var dir = options.BpfDirectory ?? ProbeAvailability.DefaultBpfDirectory;
        var why = ProbeAvailability.Check(dir);
        if (why is not null) throw new ProbeUnavailableException(why);
        var (probe, attempts) = ProbeLoader.OpenFirstWorking(options.Backends, dir, options.Mode, options.FollowChildren);
        if (probe is null)
            throw new ProbeUnavailableException("no probe backend works here: " +
                string.Join("; ", attempts.Select(a => $"{a.Backend.ToString().ToLowerInvariant()}: {a.Reason}")));
        return new ProbeSession(probe, attempts, options);
    }

    /// <summary>The private cgroup the programs are attached to (cgroup backend), else null.</summary>
    public string? CgroupPath => _probe.Cgroup?.Path;

    /// <summary>
    /// Traces a process (tgid) or a single thread (tid). Returns 0 or -errno. On the cgroup backend the thread (or every
    /// thread of the process) is moved into the private cgroup: the sockets it creates from now on are traced (a socket
    /// created before, e.g. a listener, stays untraced).
    /// </summary>
    public int Trace(int id)
    {
        if (_probe.Cgroup is { } cg && cg.Enter(id) is var moved and < 0) return moved;
        uint key = (uint)id;
        byte one = 1;
        var rc = LibBpf.MapUpdateElem(_probe.MapFds["pids"], &key, &one, LibBpf.BpfAny);
        BumpTraceGeneration();
        return rc;
    }

    /// <summary>Stops tracing a pid/tid. Returns 0 or -errno (ENOENT if it was not traced). On the cgroup backend the
    /// thread goes back to the cgroup it came from (its sockets stay in the private one until they close).</summary>
    public int Untrace(int id)
    {
        var back = _probe.Cgroup?.Leave(id) ?? 0;
        uint key = (uint)id;
        var rc = LibBpf.MapDeleteElem(_probe.MapFds["pids"], &key);
        BumpTraceGeneration();
        return back is < 0 and not -2 ? back : rc;
    }

    /// <summary>Invalidates the per-thread cached answers of the <c>pids</c> filter (compact programs).</summary>
    private void BumpTraceGeneration()
    {
        if (!_probe.MapFds.TryGetValue("tracegen", out var fd)) return;
        lock (_consumeLock)
        {
            uint zero = 0;
            ulong gen = 0;
            if (LibBpf.MapLookupElem(fd, &zero, &gen) != 0) return;
            gen++;
            LibBpf.MapUpdateElem(fd, &zero, &gen, LibBpf.BpfAny);
        }
    }

    /// <summary>Reports SYN-ACK retransmissions of listeners on <paramref name="port"/>.</summary>
    public int TraceListenPort(ushort port)
    {
        byte one = 1;
        return LibBpf.MapUpdateElem(_probe.MapFds["lports"], &port, &one, LibBpf.BpfAny);
    }

    /// <summary>Ring-buffer reservation failures counted in the BPF map <c>lost</c> (slot 0) plus
    /// events dropped on the user side when the in-memory buffer was full.</summary>
    public long LostEvents => ReadLost(0) + Interlocked.Read(ref _overflow);

    /// <summary>Per-thread state the BPF side could not store (map full; slot 1 of <c>lost</c>).</summary>
    public long LostThreadStates => ReadLost(1);

    private long ReadLost(uint slot)
    {
        ulong value = 0;
        return LibBpf.MapLookupElem(_probe.MapFds["lost"], &slot, &value) == 0 ? (long)value : -1;
    }

    /// <summary>Drains the ring buffer now (synchronously) into the in-memory queue.</summary>
    public void Flush() => Consume();

    /// <summary>Removes and returns every buffered event, after a synchronous drain.</summary>
    public List<ProbeEvent> TakeEvents()
    {
        Consume();
        var list = new List<ProbeEvent>(_queue.Count);
        while (_queue.TryDequeue(out var e)) list.Add(e);
        return list;
    }

    private void Consume()
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        lock (_consumeLock)
        {
            if (_disposed != 0) return;
            // Bounded: the ring is finite, and each consume returns once it is empty.
            LibBpf.RingBufferConsume(_ring.DangerousGetHandle());
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnSample(IntPtr ctx, IntPtr data, nuint size)
    {
        try
        {
            if (size < (nuint)ProbeEvent.Size) return 0;
            if (GCHandle.FromIntPtr(ctx).Target is not ProbeSession s) return 0;
            Interlocked.Increment(ref s._received);
            // copy out: the record is valid only during the callback; kind is at offset 32 in both layouts
            if (size >= (nuint)ProbeConnectRecord.Size && ((ProbeEvent*)data)->Kind is ProbeEventKind.ConnectRecord or ProbeEventKind.CgroupRecord)
                foreach (var ev in (*(ProbeConnectRecord*)data).ToEvents()) s.Keep(ev);
            else
                s.Keep(*(ProbeEvent*)data);
        }
        catch
        {
            // never throw across the native boundary
        }
        return 0;
    }

    private void Keep(in ProbeEvent e)
    {
        Interlocked.Increment(ref _events);
        if (_queue.Count >= _maxBuffered) Interlocked.Increment(ref _overflow);
        else _queue.Enqueue(e);
    }

    /// <summary>Stops the timer, frees the ring buffer, detaches all links and closes the object.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        using (var done = new ManualResetEvent(false))
        {
            if (_timer.Dispose(done)) done.WaitOne(TimeSpan.FromSeconds(5));
        }
        lock (_consumeLock)
        {
            _ring.Dispose();
            _probe.Dispose();
        }
        _self.Free();
        LiveResources.Unregister(this);
    }
}
