using PortSelection.Model.Tables;

namespace PortSelection.Model.Selection;

/// <summary>
/// The bind() conflict test (<c>inet_csk_bind_conflict</c> / <c>inet_bind_conflict</c>,
/// net/ipv4/inet_connection_sock.c): does an owner of the bucket prevent this socket from using the port?
/// </summary>
/// <remarks>
/// An owner conflicts when the bound devices are compatible (either unbound or equal) and the local addresses
/// overlap (equal, or either is the wildcard), unless the reuse rules exempt the pair:
/// both SO_REUSEADDR and the owner not listening → conflict only when <c>!relax</c>, or when (no
/// reuseport_ok) both have SO_REUSEPORT and the owner is TIME_WAIT or has the same uid; otherwise → no conflict
/// only when <c>reuseport_ok</c> and both have SO_REUSEPORT and (TIME_WAIT or same uid).
/// bind(0) scans with <c>relax = false, reuseport_ok = false</c> (so every overlapping owner conflicts), the
/// <c>ip_autobind_reuse</c> pass (5.7+) with <c>relax = true</c>; explicit bind() with both true.
/// Owners include connected and TIME_WAIT sockets of connect() autobind (verified on 6.18,
/// shared/kernel/port-selection.md §5.3).
/// </remarks>
public static class BindConflict
{
    /// <summary>True when some owner of <paramref name="tb"/> conflicts with <paramref name="sk"/>.</summary>
    public static bool Any(BindBucket tb, in BindCandidate sk, bool relax, bool reusePortOk)
    {
        foreach (var o in tb.Owners)
            if (Conflicts(sk, o, relax, reusePortOk)) return true;
        return false;
    }

    /// <summary>The pairwise test.</summary>
    public static bool Conflicts(in BindCandidate sk, BindOwner sk2, bool relax, bool reusePortOk)
    {
        if (sk2.SocketId == sk.SocketId && !sk2.TimeWait) return false;
        bool devicesCompatible = sk.BoundDevice == 0 || sk2.BoundDevice == 0 || sk.BoundDevice == sk2.BoundDevice;
        if (!devicesCompatible) return false;
        bool addressesOverlap = sk.LocalAddress.IsAny || sk2.LocalAddress.IsAny || sk.LocalAddress == sk2.LocalAddress;
        if (!addressesOverlap) return false;
        bool uidOk = sk2.TimeWait || sk2.Uid == sk.Uid;
        if (sk.Reuse && sk2.Reuse && !sk2.Listening)
            return !relax || (!reusePortOk && sk.ReusePort && sk2.ReusePort && uidOk);
        return !reusePortOk || !sk.ReusePort || !sk2.ReusePort || !uidOk;
    }
}
