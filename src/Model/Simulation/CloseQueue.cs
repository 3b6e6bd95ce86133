namespace PortSelection.Model.Simulation;

/// <summary>
/// The pending closes of a workload simulation, returned in time order and, for equal times, in insertion order (so a
/// run is deterministic whatever the ties): a calendar queue. Times are cut into buckets of a fixed width; a ring of
/// buckets covers <c>buckets × width</c> ms from the bucket of the latest close served and keeps each bucket as an
/// unsorted list (the earliest is found by comparing the few closes of the first non-empty bucket); closes further
/// away wait in a binary heap. With the width chosen so that a bucket holds a few closes, an operation costs O(1) and
/// touches a few cache lines — a heap over hundreds of thousands of open connections costs a cache miss and a
/// mispredicted branch per level.
/// </summary>
internal sealed class CloseQueue
{
    private readonly double _perWidth; // 1 / bucket width: a bucket index is a multiplication (monotone in time, like a division)
    private readonly int _mask;
    private readonly int[] _heads;  // ring slot → first node of its unsorted list, −1 when empty
    private long _cursor;           // every ring node's bucket is in cursor .. cursor + ring − 1
    private long _scan;             // ≥ cursor; the ring slots of cursor .. scan − 1 are empty
    private int _min = -1;          // the earliest node of bucket `scan` when known, else −1
    private int _ringCount;
    private Node[] _nodes = new Node[64];
    private int _free = -1, _used;
    private Item[] _far = new Item[16]; // beyond the ring: a binary heap
    private int _farCount;
    private long _sequence;

    private struct Node
    {
        public double Time;
        public long Sequence;
        public int Socket, Dest, Next;
    }

    private readonly record struct Item(double Time, long Sequence, int Socket, int Dest);

    /// <summary>A queue whose buckets are <paramref name="bucketWidthMs"/> wide, <paramref name="buckets"/> of them in the ring.</summary>
    /// <param name="bucketWidthMs">Bucket width (ms, &gt; 0); about the time in which a few closes fall is best.</param>
    /// <param name="buckets">Ring size (rounded up to a power of two, 16 .. 2^22); ring × width should span most lifetimes.</param>
    public CloseQueue(double bucketWidthMs = 1.0, int buckets = 1024)
    {
        _perWidth = 1.0 / (double.IsFinite(bucketWidthMs) && bucketWidthMs > 0 ? bucketWidthMs : 1.0);
        int n = 16;
        while (n < buckets && n < (1 << 22)) n <<= 1;
        _mask = n - 1;
        _heads = new int[n];
        Array.Fill(_heads, -1);
    }

    /// <summary>A queue sized for closes arriving at <paramref name="ratePerMs"/> per ms that live <paramref name="meanLifetimeMs"/> on average.</summary>
    public static CloseQueue For(double ratePerMs, double meanLifetimeMs)
    {
        if (!(ratePerMs > 0) || !double.IsFinite(ratePerMs)) return new CloseQueue();
        double width = 2.0 / ratePerMs;                                  // ≈ 2 closes per bucket
        double span = 8.0 * Math.Max(meanLifetimeMs, width);              // most lifetimes within the ring
        double buckets = Math.Clamp(span / width, 16, 1 << 22);
        return new CloseQueue(width, (int)buckets);
    }

    /// <summary>Number of pending closes.</summary>
    public int Count => _ringCount + _farCount;

    /// <summary>The time of the earliest close, or +∞ when there is none.</summary>
    public double PeekTime
    {
        get
        {
            double near = _ringCount > 0 ? _nodes[NearMin()].Time : double.PositiveInfinity;
            double far = _farCount > 0 ? _far[0].Time : double.PositiveInfinity;
            return Math.Min(near, far);
        }
    }

    /// <summary>Adds a close of <paramref name="socket"/> (towards destination <paramref name="dest"/>) at <paramref name="time"/>.</summary>
    public void Enqueue(int socket, int dest, double time)
    {
        long seq = _sequence++;
        long bucket = BucketOf(time);
        if (bucket >= _cursor + _heads.Length)
        {
            PushFar(new Item(time, seq, socket, dest));
            return;
        }
        if (bucket < _cursor) bucket = _cursor; // earlier than the window: the cursor bucket, ordered by comparison there
        int node = NewNode(time, seq, socket, dest);
        ref int head = ref _heads[(int)(bucket & _mask)];
        _nodes[node].Next = head;
        head = node;
        _ringCount++;
        if (bucket < _scan)
        {
            _scan = bucket;
            _min = node;
        }
        else if (bucket == _scan && _min >= 0 && Less(_nodes[node], _nodes[_min])) _min = node;
    }

    /// <summary>Removes and returns the earliest close.</summary>
    /// <exception cref="InvalidOperationException">The queue is empty.</exception>
    public (int Socket, int Dest) Dequeue()
    {
        int near = _ringCount > 0 ? NearMin() : -1;
        if (_farCount > 0 && (near < 0 || Less(_far[0].Time, _far[0].Sequence, _nodes[near])))
        {
            var item = PopFar();
            if (_ringCount == 0)
            {
                // Keep the window near the present: nothing in the ring can be earlier than this close's bucket.
                _cursor = Math.Max(_cursor, BucketOf(item.Time));
                _scan = Math.Max(_scan, _cursor);
                _min = -1;
            }
            return (item.Socket, item.Dest);
        }
        if (near < 0) throw new InvalidOperationException("no pending close");
        // Unlink the node from the list of bucket `scan`.
        ref int head = ref _heads[(int)(_scan & _mask)];
        if (head == near) head = _nodes[near].Next;
        else
        {
            int prev = head;
            while (_nodes[prev].Next != near) prev = _nodes[prev].Next;
            _nodes[prev].Next = _nodes[near].Next;
        }
        _ringCount--;
        _cursor = _scan; // the buckets before it are empty
        _min = -1;
        var result = (_nodes[near].Socket, _nodes[near].Dest);
        _nodes[near].Next = _free;
        _free = near;
        return result;
    }

    private long BucketOf(double time) => (long)Math.Floor(time * _perWidth);

    /// <summary>The earliest ring node (the ring must not be empty): the first non-empty bucket from <c>scan</c>, its earliest node.</summary>
    private int NearMin()
    {
        if (_min >= 0) return _min;
        int head;
        while ((head = _heads[(int)(_scan & _mask)]) < 0) _scan++;
        int best = head;
        for (int n = _nodes[head].Next; n >= 0; n = _nodes[n].Next)
            if (Less(_nodes[n], _nodes[best])) best = n;
        return _min = best;
    }

    private int NewNode(double time, long seq, int socket, int dest)
    {
        int node;
        if (_free >= 0)
        {
            node = _free;
            _free = _nodes[node].Next;
        }
        else
        {
            if (_used == _nodes.Length) Array.Resize(ref _nodes, _nodes.Length * 2);
            node = _used++;
        }
        _nodes[node] = new Node { Time = time, Sequence = seq, Socket = socket, Dest = dest, Next = -1 };
        return node;
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
