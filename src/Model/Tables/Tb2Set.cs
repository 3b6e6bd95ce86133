using PortSelection.Model.Ports;

namespace PortSelection.Model.Tables;

/// <summary>
/// The <c>inet_bind2_bucket</c>s of one bind bucket: fastreuse / fastreuseport per (local address, bound device).
/// A map with its first entry stored inline (almost every bucket has one address), so that a bucket with one
/// address allocates nothing for it.
/// </summary>
internal struct Tb2Set
{
    private bool _has0;
    private (Ipv4Address, int) _key0;
    private (sbyte FastReuse, sbyte FastReusePort) _value0;
    private List<((Ipv4Address, int) Key, (sbyte FastReuse, sbyte FastReusePort) Value)>? _more;

    /// <summary>Number of entries.</summary>
    public readonly int Count => (_has0 ? 1 : 0) + (_more?.Count ?? 0);

    /// <summary>The value of <paramref name="key"/>, if present.</summary>
    public readonly bool TryGetValue((Ipv4Address, int) key, out (sbyte FastReuse, sbyte FastReusePort) value)
    {
        if (_has0 && _key0 == key) { value = _value0; return true; }
        if (_more is not null)
            foreach (var (k, v) in _more)
                if (k == key) { value = v; return true; }
        value = default;
        return false;
    }

    /// <summary>Adds <paramref name="key"/> unless present; true when added.</summary>
    public bool TryAdd((Ipv4Address, int) key, (sbyte FastReuse, sbyte FastReusePort) value)
    {
        if (TryGetValue(key, out _)) return false;
        Add(key, value);
        return true;
    }

    /// <summary>Sets the value of <paramref name="key"/> (adds it when absent).</summary>
    public void Set((Ipv4Address, int) key, (sbyte FastReuse, sbyte FastReusePort) value)
    {
        if (_has0 && _key0 == key) { _value0 = value; return; }
        if (_more is not null)
            for (int k = 0; k < _more.Count; k++)
                if (_more[k].Key == key) { _more[k] = (key, value); return; }
        Add(key, value);
    }

    /// <summary>Removes <paramref name="key"/>; true when it was present.</summary>
    public bool Remove((Ipv4Address, int) key)
    {
        if (_has0 && _key0 == key)
        {
            if (_more is { Count: > 0 })
            {
                (_key0, _value0) = _more[^1];
                _more.RemoveAt(_more.Count - 1);
            }
            else _has0 = false;
            return true;
        }
        if (_more is null) return false;
        for (int k = 0; k < _more.Count; k++)
            if (_more[k].Key == key) { _more.RemoveAt(k); return true; }
        return false;
    }

    /// <summary>True when every entry is −1/−1 (all its owners connect-bound; 6.18 d57f4b874946).</summary>
    public readonly bool AllReleased()
    {
        if (_has0 && (_value0.FastReuse >= 0 || _value0.FastReusePort >= 0)) return false;
        if (_more is not null)
            foreach (var (_, v) in _more)
                if (v.FastReuse >= 0 || v.FastReusePort >= 0) return false;
        return true;
    }

    private void Add((Ipv4Address, int) key, (sbyte FastReuse, sbyte FastReusePort) value)
    {
        if (!_has0) { _has0 = true; _key0 = key; _value0 = value; return; }
        (_more ??= []).Add((key, value));
    }
}
