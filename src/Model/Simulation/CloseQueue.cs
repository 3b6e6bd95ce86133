using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

/// <summary>
/// The pending closes of a workload simulation, returned in time order and, for equal times, in insertion order (so a
/// run is deterministic whatever the ties): a timing wheel whose current window is a sorted run. Times are cut into
/// buckets of a fixed width, the buckets into windows of <c>ring</c> buckets. The next windows each keep their closes
/// in a list of 64-close chunks, appended to in insertion order; when the present reaches a window, its closes are
/// sorted into one array (a counting sort by bucket — stable, so ties stay in insertion order — and an insertion sort
/// within the buckets) that is then read in order. A close added to a window already sorted (a lifetime shorter than
/// the window) goes to a small heap beside the run; closes beyond the last window wait in a second heap. With windows
/// a small part of the mean lifetime, almost every close is appended once, moved once by the sort and read once, all in
/// order — no per-close cache miss of a heap over hundreds of thousands of open connections, nor one per close of a
/// ring spanning all of them.
/// </summary>
/// <remarks>
/// Ties between the parts need no counter: a close in the late heap was added after every close of the sorted run
/// (which were all in the chunk lists when it was sorted), and a close in the far heap before any close of the same
/// time in the other parts (its window was beyond the last window then, the windows only move forward, so every close
/// of that time added to the near parts came later). The heaps order their own ties by a counter.
/// </remarks>
internal sealed class CloseQueue
{
    private const int ChunkBits = 6;
    private const int ChunkSize = 1 << ChunkBits;

    private readonly double _perWidth;   // 1 / bucket width: a bucket index is a multiplication (monotone in time, like a division)
    private readonly int _fineBits;
    // the sorted run: the closes of window `_window` that were in its chunk list when it was sorted, _runPos .. _runEnd − 1
    private Item[] _run = new Item[64];
    private int _runPos, _runEnd;
    private readonly int[] _bucketStart;  // counting-sort scratch: ring + 1 entries
    private int[] _bucketOf = new int[64]; // counting-sort scratch: each close's bucket in the window
    private long _window = -1;            // the latest window sorted (or passed): later closes of it go to the late heap
    // coarse level: windows _window + 1 .. _window + coarse − 1, each a list of chunks (slot = window & coarse mask)
    private readonly int _coarseMask;
    private readonly Slot[] _slots;
    private long _coarseFirst = -1;       // the first non-empty coarse window when known, else −1
    private Item[] _chunks;
    private int[] _chunkNext;
    private int _freeChunk = -1, _usedChunks, _coarseCount;
    private readonly Heap _late = new(), _far = new();
    private double _lateMin = double.PositiveInfinity, _farMin = double.PositiveInfinity; // the heaps' earliest times (+∞ when empty)
    private long _sequence;

    /// <summary>A coarse window: its chunk list, the closes in it and the earliest one's time (32 bytes: never across two cache lines).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 32)]
    private struct Slot
    {
        public double Min;
        public int Head, Tail, TailCount, Count;

        public static Slot Empty => new() { Min = double.PositiveInfinity, Head = -1, Tail = -1 };
    }

    private struct Item
    {
        public double Time;
        public int Socket, Dest;
    }

    /// <summary>
    /// A queue whose buckets are <paramref name="bucketWidthMs"/> wide, <paramref name="buckets"/> of them in a window,
    /// the next <paramref name="windows"/> − 1 windows in the coarse level.
    /// </summary>
    /// <param name="bucketWidthMs">Bucket width (ms, &gt; 0); about the time in which one close falls is best.</param>
    /// <param name="buckets">Buckets per window (rounded up to a power of two, 16 .. 2^16).</param>
    /// <param name="windows">Coarse slots (rounded up to a power of two, 2 .. 2^16); windows × buckets × width should span most lifetimes.</param>
    /// <param name="expectedPending">About how many closes will be pending at once (the chunks' first capacity; they grow past it).</param>
    public CloseQueue(double bucketWidthMs = 1.0, int buckets = 1024, int windows = 64, int expectedPending = 0)
    {
        // the pending closes' chunks, an eighth more, and a part-filled last chunk per window that holds any
        long pending = Math.Max(0, expectedPending);
        int chunks = (int)Math.Clamp(pending / ChunkSize + pending / (8L * ChunkSize) + Math.Min(Math.Max(windows, 2), pending), 4, 1 << 16);
        _chunks = new Item[chunks * ChunkSize];
        _chunkNext = new int[chunks];
        _perWidth = 1.0 / (double.IsFinite(bucketWidthMs) && bucketWidthMs > 0 ? bucketWidthMs : 1.0);
        _fineBits = 4;
        while ((1 << _fineBits) < buckets && _fineBits < 16) _fineBits++;
        _bucketStart = new int[(1 << _fineBits) + 1];
        int m = 2;
        while (m < windows && m < (1 << 16)) m <<= 1;
        _coarseMask = m - 1;
        _slots = new Slot[m];
        Array.Fill(_slots, Slot.Empty);
    }

    /// <summary>
    /// A queue sized for closes arriving at <paramref name="ratePerMs"/> per ms that live <paramref name="meanLifetimeMs"/>
    /// on average: about one close per bucket; windows of a sixteenth of the mean lifetime (so that few closes fall
    /// into the window being read), 16 .. 2^12 buckets, and as many windows as 8 mean lifetimes take; room for the
    /// closes pending at once by Little's law (rate × mean lifetime), so that the chunks are not copied as they fill.
    /// </summary>
    public static CloseQueue For(double ratePerMs, double meanLifetimeMs)
    {
        if (!(ratePerMs > 0) || !double.IsFinite(ratePerMs)) return new CloseQueue();
        double width = 1.0 / ratePerMs;
        double perLifetime = Math.Max(meanLifetimeMs, width) / width; // buckets in a mean lifetime
        int ring = (int)Math.Clamp(perLifetime / 16, 16, 1 << 12);
        double windows = Math.Clamp(8.0 * perLifetime / ring + 2, 2, 1 << 16);
        double pending = ratePerMs * meanLifetimeMs; // Little's law
        return new CloseQueue(width, ring, (int)windows, (int)Math.Min(pending, 1 << 24));
    }

    /// <summary>Number of pending closes.</summary>
    public int Count => _runEnd - _runPos + _late.Count + _coarseCount + _far.Count;

    /// <summary>The time of the earliest close, or +∞ when there is none.</summary>
    public double PeekTime
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (_runPos < _runEnd)
            {
                double t = _run[_runPos].Time;
                if (t <= _lateMin && t < _farMin) return t; // on a tie the run's is older than the late heap's, younger than the far heap's
            }
            return PeekSlow();
        }
    }

    private double PeekSlow()
    {
        double near = _runPos < _runEnd ? _run[_runPos].Time
            : _late.Count == 0 && _coarseCount > 0 ? CoarseMinTime(out _)
            : double.PositiveInfinity;
        return Math.Min(near, Math.Min(_lateMin, _farMin));
    }

    /// <summary>Adds a close of <paramref name="socket"/> (towards destination <paramref name="dest"/>) at <paramref name="time"/>.</summary>
    public void Enqueue(int socket, int dest, double time)
    {
        long window = BucketOf(time) >> _fineBits;
        if (window > _window && window - _window <= _coarseMask) AddCoarse(window, time, socket, dest);
        else if (window <= _window)
        {
            _late.Push(time, _sequence++, socket, dest);
            _lateMin = _late.Top.Time;
        }
        else
        {
            _far.Push(time, _sequence++, socket, dest);
            _farMin = _far.Top.Time;
        }
    }

    /// <summary>Removes and returns the earliest close.</summary>
    /// <exception cref="InvalidOperationException">The queue is empty.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (int Socket, int Dest) Dequeue()
    {
        if (_runPos < _runEnd)
        {
            ref var item = ref _run[_runPos];
            if (item.Time <= _lateMin && item.Time < _farMin)
            {
                _runPos++;
                return (item.Socket, item.Dest);
            }
        }
        return DequeueSlow();
    }

    private (int Socket, int Dest) DequeueSlow()
    {
        // The present has reached the earliest close: when that is in the coarse level, its window is sorted now (not
        // earlier: a close added to a window already sorted goes to the late heap).
        if (_runPos == _runEnd && _late.Count == 0 && _coarseCount > 0 && !(_farMin < CoarseMinTime(out long window))) Sort(window);
        // On a tie the far heap's close is the oldest, then the run's, then the late heap's (see remarks).
        int source = -1; // 0 run, 1 late, 2 far
        double best = double.PositiveInfinity;
        if (_runPos < _runEnd)
        {
            source = 0;
            best = _run[_runPos].Time;
        }
        if (_late.Count > 0 && (source < 0 || _late.Top.Time < best))
        {
            source = 1;
            best = _late.Top.Time;
        }
        if (_far.Count > 0 && (source < 0 || _far.Top.Time <= best)) source = 2;
        switch (source)
        {
            case 0:
                ref var item = ref _run[_runPos++];
                return (item.Socket, item.Dest);
            case 1:
                var late = _late.Pop();
                _lateMin = _late.Count > 0 ? _late.Top.Time : double.PositiveInfinity;
                return late;
            case 2:
                var far = _far.Top;
                var result = _far.Pop();
                _farMin = _far.Count > 0 ? _far.Top.Time : double.PositiveInfinity;
                if (_runPos == _runEnd && _late.Count == 0 && _coarseCount == 0)
                    _window = Math.Max(_window, (BucketOf(far.Time) >> _fineBits) - 1); // keep the windows near the present
                return result;
            default:
                throw new InvalidOperationException("no pending close");
        }
    }

    /// <summary>The connection of the next close in the sorted run (a hint for prefetching: it may not be the earliest), else −1.</summary>
    public int PeekSocket() => _runPos < _runEnd ? _run[_runPos].Socket : -1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long BucketOf(double time) => (long)Math.Floor(time * _perWidth);

    /// <summary>The earliest time of the coarse level (which must not be empty): that of its first non-empty window, <paramref name="window"/>.</summary>
    private double CoarseMinTime(out long window)
    {
        long w = _coarseFirst;
        if (w < 0)
        {
            w = _window + 1;
            while (_slots[(int)(w & _coarseMask)].Count == 0) w++;
            _coarseFirst = w;
        }
        window = w;
        return _slots[(int)(w & _coarseMask)].Min;
    }

    /// <summary>Window <paramref name="window"/>'s closes (its chunk list) sorted into the run, in time then insertion order.</summary>
    private void Sort(long window)
    {
        _window = window;
        _coarseFirst = -1;
        ref var slot = ref _slots[(int)(window & _coarseMask)];
        int n = slot.Count;
        if (_bucketOf.Length < n)
        {
            int size = Math.Max(n, 2 * _bucketOf.Length);
            _bucketOf = new int[size];
            _run = new Item[size];
        }
        var starts = _bucketStart;
        Array.Clear(starts);
        long base0 = window << _fineBits;
        int mask = starts.Length - 2;
        var bucketOf = _bucketOf;
        int k = 0;
        for (int chunk = slot.Head; chunk >= 0; chunk = _chunkNext[chunk])
        {
            int c = chunk == slot.Tail ? slot.TailCount : ChunkSize;
            if (_chunkNext[chunk] >= 0) PrefetchChunk(_chunkNext[chunk]); // written long ago: fetched while this one is read
            for (int i = chunk << ChunkBits, end = i + c; i < end; i++, k++)
            {
                int b = (int)(BucketOf(_chunks[i].Time) - base0) & mask; // in the window: 0 .. ring − 1
                bucketOf[k] = b;
                starts[b + 1]++;
            }
        }
        for (int b = 1; b < starts.Length; b++) starts[b] += starts[b - 1];
        var run = _run;
        k = 0;
        for (int chunk = slot.Head; chunk >= 0;)
        {
            int c = chunk == slot.Tail ? slot.TailCount : ChunkSize;
            for (int i = chunk << ChunkBits, end = i + c; i < end; i++, k++) run[starts[bucketOf[k]]++] = _chunks[i];
            int next = _chunkNext[chunk];
            _chunkNext[chunk] = _freeChunk;
            _freeChunk = chunk;
            chunk = next;
        }
        slot = Slot.Empty;
        _coarseCount -= n;
        // Within a bucket (about one close each) an insertion sort; strict comparison keeps ties in insertion order.
        for (int i = 1; i < n; i++)
        {
            if (!(run[i].Time < run[i - 1].Time)) continue;
            var x = run[i];
            int j = i - 1;
            while (j >= 0 && x.Time < run[j].Time)
            {
                run[j + 1] = run[j];
                j--;
            }
            run[j + 1] = x;
        }
        _runPos = 0;
        _runEnd = n;
    }

    /// <summary>A hint: chunk <paramref name="chunk"/>'s closes are read soon (its cache lines fetched).</summary>
    private unsafe void PrefetchChunk(int chunk)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        byte* p = (byte*)Unsafe.AsPointer(ref _chunks[chunk << ChunkBits]);
        for (int line = 0; line < ChunkSize * 16; line += 64) System.Runtime.Intrinsics.X86.Sse.Prefetch0(p + line);
    }

    /// <summary>Appends a close to the chunk list of coarse window <paramref name="window"/>.</summary>
    private void AddCoarse(long window, double time, int socket, int dest)
    {
        if (_coarseCount == 0 || window < _coarseFirst) _coarseFirst = window; // (an unknown first window, −1, stays unknown)
        ref var slot = ref _slots[(int)(window & _coarseMask)];
        if (time < slot.Min) slot.Min = time;
        int tail = slot.Tail;
        int k = slot.TailCount;
        if (tail < 0 || k == ChunkSize)
        {
            int chunk;
            if (_freeChunk >= 0)
            {
                chunk = _freeChunk;
                _freeChunk = _chunkNext[chunk];
            }
            else
            {
                if (_usedChunks == _chunkNext.Length)
                {
                    Array.Resize(ref _chunkNext, _chunkNext.Length * 2);
                    Array.Resize(ref _chunks, _chunkNext.Length * ChunkSize);
                }
                chunk = _usedChunks++;
            }
            _chunkNext[chunk] = -1;
            if (tail < 0) slot.Head = chunk;
            else _chunkNext[tail] = chunk;
            slot.Tail = tail = chunk;
            k = 0;
        }
        _chunks[(tail << ChunkBits) + k] = new Item { Time = time, Socket = socket, Dest = dest };
        slot.TailCount = k + 1;
        slot.Count++;
        _coarseCount++;
    }

    /// <summary>A binary heap of closes ordered by time, then by a sequence number (insertion order).</summary>
    private sealed class Heap
    {
        private Entry[] _items = new Entry[16];

        public struct Entry
        {
            public double Time;
            public long Sequence;
            public int Socket, Dest;
        }

        public int Count;

        public ref Entry Top => ref _items[0];

        public void Push(double time, long sequence, int socket, int dest)
        {
            if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
            var item = new Entry { Time = time, Sequence = sequence, Socket = socket, Dest = dest };
            int hole = Count++;
            while (hole > 0)
            {
                int parent = (hole - 1) >> 1;
                if (!Less(item, _items[parent])) break;
                _items[hole] = _items[parent];
                hole = parent;
            }
            _items[hole] = item;
        }

        public (int Socket, int Dest) Pop()
        {
            var top = _items[0];
            int n = --Count;
            if (n > 0)
            {
                var last = _items[n];
                int hole = 0;
                while (true)
                {
                    int child = 2 * hole + 1;
                    if (child >= n) break;
                    if (child + 1 < n && Less(_items[child + 1], _items[child])) child++;
                    if (!Less(_items[child], last)) break;
                    _items[hole] = _items[child];
                    hole = child;
                }
                _items[hole] = last;
            }
            return (top.Socket, top.Dest);
        }

        private static bool Less(in Entry a, in Entry b) => a.Time < b.Time || (a.Time == b.Time && a.Sequence < b.Sequence);
    }
}
