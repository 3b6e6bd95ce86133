using PortSelection.Model.Ports;

namespace PortSelection.Model.Tables;

/// <summary>
/// Per (local address, bound device) of one bind bucket — the owners of one tb2 — how many owners there are and how
/// many of them did not get the port from connect() autobind, so that removing an owner needs no walk over the others
/// (the 6.18 release rule of d57f4b874946 asks whether all remaining owners of the tb2 are connect-bound). The first
/// key is stored inline (almost every bucket has one address).
/// </summary>
internal struct OwnerTally
{
    private bool _has0;
    private (Ipv4Address, int) _key0;
    private int _owners0, _notConnectBound0;
    private List<((Ipv4Address, int) Key, int Owners, int NotConnectBound)>? _more;

    /// <summary>An owner on <paramref name="key"/> joined.</summary>
    public void Add((Ipv4Address, int) key, bool connectBound)
    {
        int nb = connectBound ? 0 : 1;
        if (_has0 && _key0 == key) { _owners0++; _notConnectBound0 += nb; return; }
        if (_more is not null)
            for (int k = 0; k < _more.Count; k++)
                if (_more[k].Key == key) { _more[k] = (key, _more[k].Owners + 1, _more[k].NotConnectBound + nb); return; }
        if (!_has0) { _has0 = true; _key0 = key; _owners0 = 1; _notConnectBound0 = nb; return; }
        (_more ??= []).Add((key, 1, nb));
    }

    /// <summary>An owner on <paramref name="key"/> left; returns the owners that remain on it and how many of those are not connect-bound.</summary>
    public (int Owners, int NotConnectBound) Remove((Ipv4Address, int) key, bool connectBound)
    {
        int nb = connectBound ? 0 : 1;
        if (_has0 && _key0 == key)
        {
            var left = (--_owners0, _notConnectBound0 -= nb);
            if (_owners0 == 0)
            {
                if (_more is { Count: > 0 })
                {
                    (_key0, _owners0, _notConnectBound0) = _more[^1];
                    _more.RemoveAt(_more.Count - 1);
                }
                else _has0 = false;
            }
            return left;
        }
        if (_more is not null)
            for (int k = 0; k < _more.Count; k++)
            {
                if (_more[k].Key != key) continue;
                var e = (key, _more[k].Owners - 1, _more[k].NotConnectBound - nb);
                if (e.Item2 == 0) _more.RemoveAt(k);
                else _more[k] = e;
                return (e.Item2, e.Item3);
            }
        return (0, 0);
    }
}
