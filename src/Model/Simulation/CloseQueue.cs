namespace PortSelection.Model.Simulation;

/// <summary>
/// The pending closes of a workload simulation: a 4-ary min-heap of (time, socket, destination) kept in one struct
/// array (no allocation once grown; half the depth of a binary heap, so fewer cache misses with hundreds of thousands
/// of open connections), ordered by time and, for equal times, by insertion order — so that a run is deterministic
/// whatever the ties. Removal sifts the hole to a leaf along the smallest children and the last item up from there
/// (fewer comparisons than a plain sift-down: the last item usually belongs near the bottom).
/// </summary>
internal sealed class CloseQueue
{
    private Item[] _items = new Item[64];
    private long _sequence;

    /// <summary>Number of pending closes.</summary>
    public int Count { get; private set; }

    /// <summary>The time of the earliest close, or +∞ when there is none.</summary>
    public double PeekTime => Count > 0 ? _items[0].Time : double.PositiveInfinity;

    /// <summary>Adds a close of <paramref name="socket"/> (towards destination <paramref name="dest"/>) at <paramref name="time"/>.</summary>
    public void Enqueue(int socket, int dest, double time)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        var item = new Item(time, _sequence++, socket, dest);
        SiftUp(Count++, item);
    }

    /// <summary>Removes and returns the earliest close (the queue must not be empty).</summary>
    public (int Socket, int Dest) Dequeue()
    {
        var items = _items;
        var top = items[0];
        int n = --Count;
        if (n > 0)
        {
            var last = items[n];
            int hole = 0;
            while (true)
            {
                int first = 4 * hole + 1;
                if (first >= n) break;
                int child = first;
                int end = Math.Min(first + 4, n);
                for (int c = first + 1; c < end; c++)
                    if (Less(items[c], items[child])) child = c;
                items[hole] = items[child];
                hole = child;
            }
            SiftUp(hole, last);
        }
        return (top.Socket, top.Dest);
    }

    private void SiftUp(int hole, Item item)
    {
        var items = _items;
        while (hole > 0)
        {
            int parent = (hole - 1) >> 2;
            if (!Less(item, items[parent])) break;
            items[hole] = items[parent];
            hole = parent;
        }
        items[hole] = item;
    }

    private static bool Less(in Item a, in Item b) => a.Time < b.Time || (a.Time == b.Time && a.Sequence < b.Sequence);

    private readonly record struct Item(double Time, long Sequence, int Socket, int Dest);
}
