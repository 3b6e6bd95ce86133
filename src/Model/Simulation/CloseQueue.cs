using System.Runtime.CompilerServices;

/// <summary>
/// The pending closes of a workload simulation, returned in time order and, for equal times, in insertion order (so a
/// run is deterministic whatever the ties): a two-level timing wheel. Times are cut into buckets of a fixed width, the
/// buckets into windows of <c>ring</c> buckets. The fine level — a ring of buckets, each an unsorted index-linked list
/// (the earliest found by comparing the few closes of the first non-empty bucket) — holds the closes of the current
/// window; the coarse level holds those of the next windows, one list of 64-close chunks per window, appended to in
/// order and spread over the ring when the present reaches that window (so the window never runs ahead of the present:
/// a close added later is never earlier than the window); closes further away wait in a binary heap. With the width
/// chosen so that a bucket holds about one close, an operation costs O(1) and touches few cache lines: the ring and its
/// nodes stay small (a heap over hundreds of thousands of open connections costs a cache miss and a mispredicted branch
/// per level, and one ring spanning all of them a cache miss per close), and the chunks are written and read in order.
/// </summary>
internal sealed class CloseQueue
{
    private const int ChunkBits = 6;
    private const int ChunkSize = 1 << ChunkBits;

    private readonly double _perWidth;   // 1 / bucket width: a bucket index is a multiplication (monotone in time, like a division)
    private readonly int _fineBits;
    private readonly int _fineMask;
    // fine level: the buckets cursor .. end of window `_window`, each an unsorted list of nodes
    private readonly int[] _heads;        // ring slot → first node, −1 when empty
    private Node[] _nodes = new Node[64];
    private int _freeNode = -1, _usedNodes, _fineCount;
    private long _window;                 // the window spread over the ring (its coarse slot is empty)
    private long _cursor;                 // bucket of the latest close served (in `_window`): nothing goes before it
    private long _scan;                   // ≥ cursor; the buckets before it are empty
    private int _min = -1;                // the earliest node of bucket `_scan` when known, else −1
    // coarse level: windows _window + 1 .. _window + coarse − 1, each a list of chunks (slot = window & coarse mask)
    private readonly int _coarseMask;
    private readonly int[] _chunkHead, _chunkTail, _tailCount;
    private Item[] _chunks = new Item[ChunkSize * 4];
    private int[] _chunkNext = new int[4];
    private int _freeChunk = -1, _usedChunks, _coarseCount;
    private bool _coarseMinKnown;         // the earliest coarse close (of the first non-empty window) is known:
    private long _coarseMinWindow;
    private Item _coarseMin;
    // beyond the coarse level: a binary heap
    private Item[] _far = new Item[16];
    private int _farCount;
    private long _sequence;

    private struct Node
    {
        public double Time;
        public long Sequence;
        public int Socket, Dest, Next;
    }

    private struct Item
    {
        public double Time;
        public long Sequence;
        public int Socket, Dest;
    }

    /// <summary>
    /// A queue whose buckets are <paramref name="bucketWidthMs"/> wide, <paramref name="buckets"/> of them in a window,
    /// the next <paramref name="windows"/> − 1 windows in the coarse level.
    /// </summary>
    /// <param name="bucketWidthMs">Bucket width (ms, &gt; 0); about the time in which one close falls is best.</param>
    /// <param name="buckets">Ring size (rounded up to a power of two, 16 .. 2^16).</param>
    /// <param name="windows">Coarse slots (rounded up to a power of two, 2 .. 2^16); windows × ring × width should span most lifetimes.</param>
    public CloseQueue(double bucketWidthMs = 1.0, int buckets = 1024, int windows = 64)
    {
        _perWidth = 1.0 / (double.IsFinite(bucketWidthMs) && bucketWidthMs > 0 ? bucketWidthMs : 1.0);
        _fineBits = 4;
        while ((1 << _fineBits) < buckets && _fineBits < 16) _fineBits++;
        _fineMask = (1 << _fineBits) - 1;
        _heads = new int[1 << _fineBits];
        Array.Fill(_heads, -1);
        int m = 2;
        while (m < windows && m < (1 << 16)) m <<= 1;
        _coarseMask = m - 1;
        _chunkHead = new int[m];
        _chunkTail = new int[m];
        _tailCount = new int[m];
        Array.Fill(_chunkHead, -1);
        Array.Fill(_chunkTail, -1);
    }

    /// <summary>
    /// A queue sized for closes arriving at <paramref name="ratePerMs"/> per ms that live <paramref name="meanLifetimeMs"/>
    /// on average: about one close per bucket; windows of up to 2^16 buckets spanning 8 mean lifetimes when that is
    /// enough, else of 2^12 buckets (a ring that stays in the cache) and as many windows as 8 mean lifetimes take.
    /// </summary>
    public static CloseQueue For(double ratePerMs, double meanLifetimeMs)
    {
        if (!(ratePerMs > 0) || !double.IsFinite(ratePerMs)) return new CloseQueue();
        double width = 1.0 / ratePerMs;
        double buckets = 8.0 * Math.Max(meanLifetimeMs, width) / width; // most lifetimes within the levels
        int ring = buckets <= 1 << 16 ? (int)Math.Max(16, buckets) : 1 << 12;
        double windows = Math.Clamp(buckets / ring + 2, 2, 1 << 16);
        return new CloseQueue(width, ring, (int)windows);
    }

    /// <summary>Number of pending closes.</summary>
    public int Count => _fineCount + _coarseCount + _farCount;

    /// <summary>The time of the earliest close, or +∞ when there is none.</summary>
    public double PeekTime
    {
        get
        {
            double near = _fineCount > 0 ? _nodes[FineMin()].Time
                : _coarseCount > 0 ? CoarseMin().Time
                : double.PositiveInfinity;
            return _farCount > 0 ? Math.Min(near, _far[0].Time) : near;
        }
    }

    /// <summary>Adds a close of <paramref name="socket"/> (towards destination <paramref name="dest"/>) at <paramref name="time"/>.</summary>
    public void Enqueue(int socket, int dest, double time)
    {
        long seq = _sequence++;
        long bucket = BucketOf(time);
        long window = bucket >> _fineBits;
        if (window <= _window)
            AddFine(Math.Max(bucket, _cursor), time, seq, socket, dest); // earlier than the cursor: the cursor bucket, ordered by comparison there
        else if (window - _window <= _coarseMask)
            AddCoarse(window, time, seq, socket, dest);
        else
            PushFar(new Item { Time = time, Sequence = seq, Socket = socket, Dest = dest });
    }

    /// <summary>Removes and returns the earliest close.</summary>
    /// <exception cref="InvalidOperationException">The queue is empty.</exception>
    public (int Socket, int Dest) Dequeue()
    {
        int near = -1;
        if (_fineCount > 0) near = FineMin();
        else if (_coarseCount > 0)
        {
            // The earliest close is in the coarse level: unless the heap's is earlier, the present has reached its window.
            ref var c = ref CoarseMin();
            if (_farCount == 0 || !Less(_far[0], c))
            {
                Spread(_coarseMinWindow);
                near = FineMin();
            }
        }
        if (near < 0)
        {
            if (_farCount == 0) throw new InvalidOperationException("no pending close");
            var item = PopFar();
            if (_fineCount + _coarseCount == 0)
            {
                // Keep the window near the present: nothing in the levels can be earlier than this close's bucket.
                long bucket = BucketOf(item.Time);
                if (bucket >> _fineBits > _window)
                {
                    _window = bucket >> _fineBits;
                    _coarseMinKnown = false;
                }
                _cursor = Math.Max(_cursor, bucket);
                _scan = Math.Max(_scan, _cursor);
                _min = -1;
            }
            return (item.Socket, item.Dest);
        }
        if (_farCount > 0 && Less(_far[0].Time, _far[0].Sequence, _nodes[near]))
        {
            var item = PopFar();
            return (item.Socket, item.Dest);
        }
        // Unlink the node from the list of bucket `_scan`.
        ref int head = ref _heads[(int)(_scan & _fineMask)];
        if (head == near) head = _nodes[near].Next;
        else
        {
            int prev = head;
            while (_nodes[prev].Next != near) prev = _nodes[prev].Next;
            _nodes[prev].Next = _nodes[near].Next;
        }
        _fineCount--;
        _cursor = _scan; // the buckets before it are empty
        _min = -1;
        var result = (_nodes[near].Socket, _nodes[near].Dest);
        _nodes[near].Next = _freeNode;
        _freeNode = near;
        return result;
    }

    /// <summary>The connection of the earliest close when it is in the ring (a hint for prefetching), else −1.</summary>
    public int PeekSocket() => _fineCount > 0 ? _nodes[FineMin()].Socket : -1;

    private long BucketOf(double time) => (long)Math.Floor(time * _perWidth);

    /// <summary>The earliest node of the ring (which must not be empty): the first non-empty bucket from <c>_scan</c>, its earliest node.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FineMin() => _min >= 0 ? _min : FindFineMin(); // known but after a dequeue

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int FindFineMin()
    {
        int head;
        while ((head = _heads[(int)(_scan & _fineMask)]) < 0) _scan++; // every node is at _scan or after it, in the window
        int best = head;
        for (int n = _nodes[head].Next; n >= 0; n = _nodes[n].Next)
            if (Less(_nodes[n], _nodes[best])) best = n;
        return _min = best;
    }

    /// <summary>The earliest close of the coarse level (which must not be empty): that of its first non-empty window.</summary>
    private ref Item CoarseMin()
    {
        if (_coarseMinKnown) return ref _coarseMin;
        long w = _window + 1;
        while (_chunkHead[(int)(w & _coarseMask)] < 0) w++;
        int slot = (int)(w & _coarseMask);
        _coarseMin = _chunks[_chunkHead[slot] << ChunkBits];
        for (int chunk = _chunkHead[slot]; chunk >= 0; chunk = _chunkNext[chunk])
        {
            int n = chunk == _chunkTail[slot] ? _tailCount[slot] : ChunkSize;
            for (int i = chunk << ChunkBits, end = i + n; i < end; i++)
                if (Less(_chunks[i], _coarseMin)) _coarseMin = _chunks[i];
        }
        _coarseMinWindow = w;
        _coarseMinKnown = true;
        return ref _coarseMin;
    }

    /// <summary>
    /// The ring is empty and the present has reached coarse window <paramref name="window"/> (the first non-empty one):
    /// it becomes the window, its closes spread over the ring.
    /// </summary>
    private void Spread(long window)
    {
        _window = window;
        _cursor = _scan = window << _fineBits;
        _min = -1;
        _coarseMinKnown = false;
        int slot = (int)(window & _coarseMask);
        for (int chunk = _chunkHead[slot]; chunk >= 0;)
        {
            int n = chunk == _chunkTail[slot] ? _tailCount[slot] : ChunkSize;
            for (int i = chunk << ChunkBits, end = i + n; i < end; i++)
            {
                ref var item = ref _chunks[i];
                AddFine(BucketOf(item.Time), item.Time, item.Sequence, item.Socket, item.Dest);
            }
            _coarseCount -= n;
            int next = _chunkNext[chunk];
            _chunkNext[chunk] = _freeChunk;
            _freeChunk = chunk;
            chunk = next;
        }
        _chunkHead[slot] = _chunkTail[slot] = -1;
        _tailCount[slot] = 0;
    }

    /// <summary>Adds a node to bucket <paramref name="bucket"/> of the window (at or after the cursor).</summary>
    private void AddFine(long bucket, double time, long seq, int socket, int dest)
    {
        int node;
        if (_freeNode >= 0)
        {
            node = _freeNode;
            _freeNode = _nodes[node].Next;
        }
        else
        {
            if (_usedNodes == _nodes.Length) Array.Resize(ref _nodes, _nodes.Length * 2);
            node = _usedNodes++;
        }
        ref int head = ref _heads[(int)(bucket & _fineMask)];
        _nodes[node] = new Node { Time = time, Sequence = seq, Socket = socket, Dest = dest, Next = head };
        head = node;
        _fineCount++;
        if (bucket < _scan)
        {
            _scan = bucket;
            _min = node;
        }
        else if (bucket == _scan && _min >= 0 && Less(_nodes[node], _nodes[_min])) _min = node;
    }

    /// <summary>Appends a close to the chunk list of coarse window <paramref name="window"/>.</summary>
    private void AddCoarse(long window, double time, long seq, int socket, int dest)
    {
        var added = new Item { Time = time, Sequence = seq, Socket = socket, Dest = dest };
        if (_coarseMinKnown && (window < _coarseMinWindow || (window == _coarseMinWindow && Less(added, _coarseMin))))
        {
            _coarseMin = added; // an earlier window than the first non-empty one was empty
            _coarseMinWindow = window;
        }
        int slot = (int)(window & _coarseMask);
        int tail = _chunkTail[slot];
        int k = _tailCount[slot];
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
            if (tail < 0) _chunkHead[slot] = chunk;
            else _chunkNext[tail] = chunk;
            _chunkTail[slot] = tail = chunk;
            k = 0;
        }
        _chunks[(tail << ChunkBits) + k] = added;
        _tailCount[slot] = k + 1;
        _coarseCount++;
    }

    private static bool Less(in Node a, in Node b) => a.Time < b.Time || (a.Time == b.Time && a.Sequence < b.Sequence);

    private static bool Less(double time, long seq, in Node b) => time < b.Time || (time == b.Time && seq < b.Sequence);

    private static bool Less(in Item a, in Item b) => a.Time < b.Time || (a.Time == b.Time && a.Sequence < b.Sequence);

    private void PushFar(Item item)
    {
        if (_farCount == _far.Length) Array.Resize(ref _far, _far.Length * 2);
        int hole = _farCount++;
        while (hole > 0)
        {
            int parent = (hole - 1) >> 1;
            if (!Less(item, _far[parent])) break;
            _far[hole] = _far[parent];
            hole = parent;
        }
        _far[hole] = item;
    }

    private Item PopFar()
    {
        var top = _far[0];
        int n = --_farCount;
        if (n > 0)
        {
            var last = _far[n];
            int hole = 0;
            while (true)
            {
                int child = 2 * hole + 1;
                if (child >= n) break;
                if (child + 1 < n && Less(_far[child + 1], _far[child])) child++;
                if (!Less(_far[child], last)) break;
                _far[hole] = _far[child];
                hole = child;
            }
            _far[hole] = last;
        }
        return top;
    }
}
