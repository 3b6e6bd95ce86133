using PortSelection.Model.Hashing;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Tables;

namespace PortSelection.Model.Selection;

/// <summary>
/// A modelled host: one kernel (profile, global perturb state, global bhash/ehash) with network namespaces and
/// sockets. connect(), bind(), listen() and close() run the reference scans and apply the state changes the
/// kernel makes: bucket creation (−1/−1 for autobind), <c>inet_csk_update_fastreuse</c>, ehash insertion,
/// TIME_WAIT entry, reuse and expiry, and the 6.18 bucket release.
/// </summary>
/// <remarks>
/// Deterministic: randomness from the injected <see cref="IRandomDraws"/>, time from the callers' <c>nowMs</c>.
/// shared/kernel/port-selection.md §2–§5.
/// </remarks>
public sealed class KernelHost
{
    /// <summary>TIME_WAIT lifetime, <c>TCP_TIMEWAIT_LEN</c> = 60 s (include/net/tcp.h).</summary>
    public const long TimeWaitLengthMs = 60_000;

    private readonly List<(NamespaceConfig Config, uint Mix)> _netns = [];
    private readonly List<ModelSocket> _sockets = [];
    private readonly Stack<int> _freeSockets = new();   // released socket ids (see Release)
    private readonly Stack<BindOwner> _freeOwners = new(); // owner objects that left their bucket
    private readonly PriorityQueue<(EstablishedEntry Entry, long Sequence), long> _twTimers = new();
    private readonly IRandomDraws _draws;
    private readonly IPortOffsetSource _offsets;
    private ConnectScanRequest? _lastRequest;

    /// <summary>Creates a host.</summary>
    /// <param name="profile">Kernel switches.</param>
    /// <param name="draws">Random draws (rand8, rand16, bind(0) offsets; also the table fill when <paramref name="perturb"/> is null).</param>
    /// <param name="offsets">port_offset per destination.</param>
    /// <param name="layout">Table sizes and secrets (default: the reference VM).</param>
    /// <param name="perturb">Initial hint / perturb table (default: a table of the era's size filled from <paramref name="draws"/>).</param>
    public KernelHost(KernelProfile profile, IRandomDraws draws, IPortOffsetSource offsets, TableLayout? layout = null, PerturbState? perturb = null)
    {
        Profile = profile;
        _draws = draws;
        _offsets = offsets;
        Layout = layout ?? TableLayout.Default;
        Perturb = perturb ?? new PerturbState(profile.PerturbOrder, profile.PerturbOrder > 0 ? draws : null);
        if ((profile.PerturbOrder == 0) != (Perturb.Order == 0) || (profile.Era == ConnectEra.D && Perturb.Order != 8))
            throw new ArgumentException($"perturb table order {Perturb.Order} does not fit era {profile.Era} (A–C: no table; D: 8; E: 1..24, default 16)", nameof(perturb));
        Bind = new BindTable(Layout.BhashSize);
        uint ehashMask = (uint)Layout.EhashSize - 1;
        Established = new EstablishedTable(Layout.EhashSize, (ns, t) => EhashBucket(ns, t) & ehashMask);
    }

    /// <summary>Kernel switches.</summary>
    public KernelProfile Profile { get; }
    /// <summary>Table sizes and secrets.</summary>
    public TableLayout Layout { get; }
    /// <summary>The global hint / perturb table.</summary>
    public PerturbState Perturb { get; }
    /// <summary>The bind hash.</summary>
    public BindTable Bind { get; }
    /// <summary>The established hash.</summary>
    public EstablishedTable Established { get; }
    /// <summary>
    /// Run connect() scans with the step-by-step reference <see cref="ConnectScan"/> instead of the exact
    /// <see cref="FastConnectScan"/> (default false). Recording connects (<c>record: true</c>) always use the reference.
    /// </summary>
    public bool UseReferenceScan { get; set; }

    /// <summary>The latest time seen by any operation (ms).</summary>
    public long NowMs { get; private set; }

    /// <summary>Adds a network namespace; returns its id.</summary>
    /// <param name="config">Its sysctls.</param>
    /// <param name="netHashMix"><c>net_hash_mix(net)</c> (random per netns since 5.1).</param>
    public int AddNamespace(NamespaceConfig config, uint netHashMix = 0)
    {
        _netns.Add((config, netHashMix));
        return _netns.Count - 1;
    }

    /// <summary>The sysctls of a namespace.</summary>
    public NamespaceConfig ConfigOf(int netns) => _netns[netns].Config;

    /// <summary>Changes the sysctls of a namespace (like writing /proc/sys inside it).</summary>
    public void Configure(int netns, NamespaceConfig config) => _netns[netns] = (config, _netns[netns].Mix);

    /// <summary>Creates a socket in <paramref name="netns"/>; returns its id (the id of a <see cref="Release"/>d socket when there is one).</summary>
    public int Socket(int netns, SocketOptions? options = null)
    {
        if ((uint)netns >= (uint)_netns.Count) throw new ArgumentOutOfRangeException(nameof(netns));
        if (_freeSockets.TryPop(out int id))
        {
            _sockets[id].Reset(netns, options ?? SocketOptions.Default);
            return id;
        }
        var s = new ModelSocket(_sockets.Count, netns, options ?? SocketOptions.Default);
        _sockets.Add(s);
        return s.Id;
    }

    /// <summary>
    /// Gives the id (and the model object) of a socket the caller is done with back to the host, so that a later
    /// <see cref="Socket"/> reuses it instead of growing the socket list — long simulations stay at a constant size.
    /// Only a socket that holds nothing can be released: closed (and out of TIME_WAIT), or never bound.
    /// </summary>
    /// <param name="socket">Socket id; it must not be used again until <see cref="Socket"/> returns it.</param>
    /// <exception cref="InvalidOperationException">The socket is bound, connected, listening, still in TIME_WAIT, or already released.</exception>
    public void Release(int socket)
    {
        if (TryRelease(socket)) return;
        var sk = _sockets[socket];
        throw new InvalidOperationException(
            sk.Released ? $"socket {socket} is already released" :
            sk.Owner is { TimeWait: true } ? $"socket {socket} is in TIME_WAIT until {sk.Entry?.ExpiresAtMs} ms: release it after that" :
            $"socket {socket} is {sk.State}: close it before releasing it");
    }

    /// <summary>
    /// <see cref="Release"/> when the socket holds nothing (closed and out of TIME_WAIT, or never bound): true when it
    /// was released, false when it still holds a port or a TIME_WAIT entry, or was released already.
    /// </summary>
    /// <param name="socket">Socket id.</param>
    public bool TryRelease(int socket)
    {
        var sk = _sockets[socket];
        if (sk.Released || sk.State is not (SocketState.Closed or SocketState.Unbound) || sk.Owner is not null) return false;
        sk.Reset(sk.Netns, sk.Options);
        sk.State = SocketState.Closed;
        sk.Released = true;
        _freeSockets.Push(socket);
        return true;
    }

    /// <summary>A socket by id.</summary>
    public ModelSocket SocketOf(int id) => _sockets[id];

    /// <summary>The state a port has for connect() in a namespace.</summary>
    public PortState StateOf(int netns, int port)
    {
        if (_netns[netns].Config.Reserved.Contains(port)) return PortState.Reserved;
        var tb = Bind.Find(netns, port);
        return tb is null ? PortState.Free : tb.State;
    }

    /// <summary>Expires TIME_WAIT sockets whose 60 s are over at <paramref name="nowMs"/>.</summary>
    public void AdvanceTo(long nowMs)
    {
        if (nowMs > NowMs) NowMs = nowMs;
        while (_twTimers.TryPeek(out var item, out long due) && due <= NowMs)
        {
            _twTimers.Dequeue();
            var (e, sequence) = item;
            // Stale timers: the entry was reused by a connect (and may have been recycled since) or re-armed.
            if (e.Sequence != sequence || !e.TimeWait || e.ExpiresAtMs != due || !ReferenceEquals(e.Table, Established)) continue;
            int ns = e.Netns;
            Established.Remove(e);
            RemoveOwner(ns, e.Tuple.LocalPort, null, e.SocketId);
            if (ReferenceEquals(_sockets[e.SocketId].Entry, e)) _sockets[e.SocketId].Entry = null;
            Established.Recycle(e);
        }
    }

    /// <summary>
    /// connect(): autobind scan when the socket has no port (<c>__inet_hash_connect</c>), or only the 4-tuple check
    /// with <c>twp = NULL</c> when bind() gave it one.
    /// </summary>
    /// <param name="socket">Socket id.</param>
    /// <param name="remote">Destination address.</param>
    /// <param name="remotePort">Destination port.</param>
    /// <param name="nowMs">Current time (ms).</param>
    /// <param name="record">Record every candidate.</param>
    /// <param name="routedSource">The source address the route would pick when the socket has none (default: 127.0.0.1 for loopback destinations, else 10.0.0.1).</param>
    public ConnectResult Connect(int socket, Ipv4Address remote, int remotePort, long nowMs = 0, bool record = false, Ipv4Address? routedSource = null)
    {
        if (!record && !UseReferenceScan && (uint)socket < (uint)_sockets.Count && _sockets[socket].LocalPort == 0)
            return ConnectFast(socket, remote, remotePort, nowMs, routedSource).ToResult();
        AdvanceTo(nowMs);
        var (sk, config, mix, dst) = Prepare(socket, remote, remotePort, routedSource);
        if (sk.LocalPort != 0)
            return ConnectBoundSocket(sk, config, dst, record);

        var req = Request(sk, config, mix, dst, record);
        var res = UseReferenceScan || record
            ? ConnectScan.Run(req, Bind, Established, Perturb, _draws)
            : FastConnectScan.Run(req, Bind, Established, Perturb, _draws);
        if (res.Port is int port) Commit(sk, mix, dst, port, res.ReusedTimeWait);
        return res;
    }

    /// <summary>
    /// connect() like <see cref="Connect"/> (same state changes, same fields) returning a value: with the fast scan
    /// and a socket without a port it allocates no result and no request (fills and simulations).
    /// </summary>
    /// <param name="socket">Socket id.</param>
    /// <param name="remote">Destination address.</param>
    /// <param name="remotePort">Destination port.</param>
    /// <param name="nowMs">Current time (ms).</param>
    /// <param name="routedSource">As for <see cref="Connect"/>.</param>
    public ConnectOutcome ConnectFast(int socket, Ipv4Address remote, int remotePort, long nowMs = 0, Ipv4Address? routedSource = null)
    {
        if (UseReferenceScan) return ConnectOutcome.From(Connect(socket, remote, remotePort, nowMs, false, routedSource));
        AdvanceTo(nowMs);
        var (sk, config, mix, dst) = Prepare(socket, remote, remotePort, routedSource);
        if (sk.LocalPort != 0) return ConnectOutcome.From(ConnectBoundSocket(sk, config, dst, record: false));
        var inputs = new ScanInputs(Profile, config, sk.Netns, mix, dst, sk.Options.LocalPortRange, _offsets.PortOffset(dst, NowMs), NowMs);
        var o = FastConnectScan.ScanFrom(inputs, Bind, Established, Perturb, _draws);
        if (o.Port is int port)
        {
            Commit(sk, mix, dst, port, o.ReusedTimeWait, o.Destination);
            return new ConnectOutcome(o, PortError.None);
        }
        return new ConnectOutcome(o, PortError.EADDRNOTAVAIL);
    }

    private (ModelSocket Socket, NamespaceConfig Config, uint Mix, Destination Destination) Prepare(int socket, Ipv4Address remote, int remotePort, Ipv4Address? routedSource)
    {
        var sk = _sockets[socket];
        if (sk.State is SocketState.Connected or SocketState.Listening or SocketState.Closed)
            throw new InvalidOperationException($"socket {socket} is {sk.State}: connect() needs an unconnected socket");
        var (config, mix) = _netns[sk.Netns];
        var source = !sk.LocalAddress.IsAny ? sk.LocalAddress
            : routedSource ?? (remote.IsLoopback ? Ipv4Address.Loopback : new Ipv4Address(0x0A000001));
        return (sk, config, mix, new Destination(source, remote, remotePort));
    }

    /// <summary>The scan request; the previous one is reused when nothing in it changed (no allocation in a fill).</summary>
    private ConnectScanRequest Request(ModelSocket sk, NamespaceConfig config, uint mix, Destination dst, bool record)
    {
        ulong offset = _offsets.PortOffset(dst, NowMs);
        var last = _lastRequest;
        if (last is not null && !record && !last.Record && ReferenceEquals(last.Config, config) && last.Netns == sk.Netns &&
            last.NetHashMix == mix && last.Destination == dst && last.SocketRange == sk.Options.LocalPortRange &&
            last.PortOffset == offset && last.NowMs == NowMs)
            return last;
        var req = new ConnectScanRequest
        {
            Profile = Profile, Config = config, Netns = sk.Netns, NetHashMix = mix, Destination = dst,
            SocketRange = sk.Options.LocalPortRange, PortOffset = offset, NowMs = NowMs, Record = record,
        };
        if (!record) _lastRequest = req;
        return req;
    }

    /// <summary>The state changes of a successful autobind connect: bucket (−1/−1 when new), tb2, owner, TIME_WAIT recycling, ehash.</summary>
    private void Commit(ModelSocket sk, uint mix, Destination dst, int port, EstablishedEntry? reusedTimeWait, DestinationTables? known = null)
    {
        sk.LocalAddress = dst.Source;
        sk.LocalPort = port;
        sk.RemoteAddress = dst.Address;
        sk.RemotePort = dst.Port;
        sk.ConnectBound = true;
        sk.State = SocketState.Connected;
        var tb = Bind.Find(sk.Netns, port) ?? Bind.Create(sk.Netns, mix, port, -1, -1);
        tb.Tb2.TryAdd((dst.Source, sk.Options.BoundDevice), (-1, -1));
        AddOwner(sk, tb, connectBound: true);
        if (reusedTimeWait is { } tw) RecycleTimeWait(tw);
        InsertEstablished(sk, known);
    }

    private ConnectResult ConnectBoundSocket(ModelSocket sk, NamespaceConfig config, Destination dst, bool record)
    {
        // tcp_v4_connect with inet_num set: only __inet_check_established(..., twp = NULL).
        var tuple = dst.WithLocalPort(sk.LocalPort);
        var e = Established.Find(sk.Netns, tuple, out int nodes);
        var counters = new ScanCounters { TupleChecks = 1, EhashNodes = nodes, EhashLocks = 1 };
        bool ok = e is null || (e.TimeWait && TimeWaitReuse.IsUnique(Profile, config, e, NowMs, portPreassigned: true));
        var cand = new ScanCandidate(1, 0, sk.LocalPort, ok ? ScanVerdict.Chosen : ScanVerdict.Busy,
            e is null ? "bound port, 4-tuple unique" : e.TimeWait ? (ok ? "time-wait reused (twp = NULL)" : "time-wait without timestamps") : "established");
        var result = new ConnectResult
        {
            Port = ok ? sk.LocalPort : null, Error = ok ? PortError.None : PortError.EADDRNOTAVAIL,
            ScanRange = new PortRange(sk.LocalPort, sk.LocalPort), Step = 1, Remaining = 1, I = ok ? 0 : -1, Pass = ok ? 1 : 0,
            StateBefore = 0, StateAfter = 0, Counters = counters, Candidates = record ? [cand] : [],
            ReusedTimeWait = ok && e is not null ? e : null,
        };
        if (!ok) return result;
        sk.RemoteAddress = dst.Address;
        sk.RemotePort = dst.Port;
        if (sk.LocalAddress.IsAny) sk.LocalAddress = dst.Source;
        sk.State = SocketState.Connected;
        if (e is not null) RecycleTimeWait(e);
        InsertEstablished(sk);
        return result;
    }

    /// <summary>
    /// bind(): an explicit port (conflict test with relax and reuseport_ok, no reserved-port check), port 0
    /// (<see cref="Bind0Scan"/>), or with IP_BIND_ADDRESS_NO_PORT and port 0 only the address.
    /// </summary>
    public BindResult BindSocket(int socket, Ipv4Address address, int port, bool record = false)
    {
        var sk = _sockets[socket];
        if (sk.State != SocketState.Unbound)
            throw new InvalidOperationException($"socket {socket} is {sk.State}: bind() needs an unbound socket");
        var (config, mix) = _netns[sk.Netns];
        var cand = Candidate(sk, address, listening: false);

        if (port == 0 && sk.Options.BindAddressNoPort && Profile.BindAddressNoPort)
        {
            sk.LocalAddress = address;
            sk.State = SocketState.AddressOnly;
            return new BindResult { AddressOnly = true };
        }

        BindResult result;
        if (port == 0)
        {
            result = Bind0Scan.Run(Profile, config, sk.Netns, mix, sk.Options.LocalPortRange, cand, Bind, _draws, record);
            if (result.Port is null) return result;
            port = result.Port.Value;
        }
        else
        {
            var existing = Bind.Find(sk.Netns, port);
            bool fast = existing is not null &&
                        ((existing.FastReuse > 0 && sk.Options.Reuse) ||
                         (existing.FastReusePort > 0 && sk.Options.ReusePort && existing.Owners.All(o => o.Uid == sk.Options.Uid)));
            if (existing is not null && !fast && BindConflict.Any(existing, cand, relax: true, reusePortOk: true))
                return new BindResult { Error = PortError.EADDRINUSE };
            result = new BindResult { Port = port };
        }

        var tb = Bind.Find(sk.Netns, port);
        if (tb is null) tb = Bind.Create(sk.Netns, mix, port, 0, 0);
        sk.LocalAddress = address;
        sk.LocalPort = port;
        UpdateFastReuse(tb, sk, listening: false);
        sk.State = SocketState.Bound;
        AddOwner(sk, tb, connectBound: false);
        return result;
    }

    /// <summary>
    /// listen(): <c>inet_csk_listen_start</c> re-runs get_port on the bound port in LISTEN state, which re-applies
    /// <c>inet_csk_update_fastreuse</c> with "not reusable" semantics — a listener's port is always BindOwned.
    /// An unbound socket is first given a port by bind(0) (autobind in <c>inet_listen</c>).
    /// </summary>
    public PortError Listen(int socket)
    {
        var sk = _sockets[socket];
        if (sk.State == SocketState.Unbound || sk.State == SocketState.AddressOnly)
        {
            var addr = sk.LocalAddress;
            sk.State = SocketState.Unbound;
            var r = BindSocket(socket, addr, 0);
            if (r.Port is null) return PortError.EADDRINUSE;
        }
        if (sk.State != SocketState.Bound)
            throw new InvalidOperationException($"socket {socket} is {sk.State}: listen() needs a bound socket");
        var tb = Bind.Find(sk.Netns, sk.LocalPort)!;
        var cand = Candidate(sk, sk.LocalAddress, listening: true);
        if (BindConflict.Any(tb, cand, relax: true, reusePortOk: true)) return PortError.EADDRINUSE;
        sk.Owner!.Listening = true;
        UpdateFastReuse(tb, sk, listening: true);
        sk.State = SocketState.Listening;
        return PortError.None;
    }

    /// <summary>close(): a connected socket leaves ehash or turns into TIME_WAIT; a bound or listening socket releases its port.</summary>
    public void Close(int socket, long nowMs, CloseKind kind = CloseKind.NoTimeWait)
    {
        AdvanceTo(nowMs);
        var sk = _sockets[socket];
        if (sk.State == SocketState.Closed) return;
        if (sk.State == SocketState.Connected)
        {
            var e = sk.Entry!;
            if (kind == CloseKind.NoTimeWait)
            {
                Established.Remove(e);
                Established.Recycle(e);
                sk.Entry = null;
                RemoveOwner(sk.Netns, sk.LocalPort, sk.Owner, -1);
            }
            else
            {
                e.TimeWait = true;
                e.FinWait2Substate = kind == CloseKind.TimeWaitFromFinWait2;
                e.HasTimestamps = sk.Options.Timestamps;
                e.EntryStampMs = NowMs;
                e.TsRecentStampSeconds = NowMs / 1000;
                e.ExpiresAtMs = NowMs + TimeWaitLengthMs;
                sk.Owner!.TimeWait = true;
                _twTimers.Enqueue((e, e.Sequence), e.ExpiresAtMs);
            }
        }
        else if (sk.State is SocketState.Bound or SocketState.Listening)
        {
            RemoveOwner(sk.Netns, sk.LocalPort, sk.Owner, -1);
        }
        sk.State = SocketState.Closed;
    }

    /// <summary>
    /// Places an existing connection that got its port from connect() autobind (a ConnectOwned bucket and an ehash
    /// entry), optionally already in TIME_WAIT since <paramref name="timeWaitSinceMs"/>. Returns the socket id.
    /// </summary>
    public int PlaceConnection(int netns, FourTuple tuple, long? timeWaitSinceMs = null, SocketOptions? options = null)
    {
        var id = Socket(netns, options);
        var sk = _sockets[id];
        var mix = _netns[netns].Mix;
        if (Established.Find(netns, tuple) is not null)
            throw new InvalidOperationException($"4-tuple {tuple} already exists");
        var tb = Bind.Find(netns, tuple.LocalPort) ?? Bind.Create(netns, mix, tuple.LocalPort, -1, -1);
        sk.LocalAddress = tuple.LocalAddress;
        sk.LocalPort = tuple.LocalPort;
        sk.RemoteAddress = tuple.RemoteAddress;
        sk.RemotePort = tuple.RemotePort;
        sk.ConnectBound = true;
        sk.State = SocketState.Connected;
        tb.Tb2.TryAdd((tuple.LocalAddress, sk.Options.BoundDevice), (-1, -1));
        AddOwner(sk, tb, connectBound: true);
        InsertEstablished(sk);
        if (timeWaitSinceMs is long since)
        {
            long now = NowMs;
            NowMs = Math.Max(NowMs, since);
            var e = sk.Entry!;
            e.TimeWait = true;
            e.HasTimestamps = sk.Options.Timestamps;
            e.EntryStampMs = since;
            e.TsRecentStampSeconds = since / 1000;
            e.ExpiresAtMs = since + TimeWaitLengthMs;
            sk.Owner!.TimeWait = true;
            sk.State = SocketState.Closed;
            _twTimers.Enqueue((e, e.Sequence), e.ExpiresAtMs);
            NowMs = now;
        }
        return id;
    }

    /// <summary>Places a socket bound by bind() to <paramref name="address"/>:<paramref name="port"/> (BindOwned), optionally listening. Returns the socket id, or null when bind() would fail.</summary>
    public int? PlaceBinding(int netns, int port, Ipv4Address address, bool listening = false, SocketOptions? options = null)
    {
        var id = Socket(netns, options);
        if (BindSocket(id, address, port).Port is null) return null;
        if (listening && Listen(id) != PortError.None) return null;
        return id;
    }

    private static BindCandidate Candidate(ModelSocket sk, Ipv4Address address, bool listening) =>
        new(sk.Id, address, sk.Options.BoundDevice, sk.Options.Reuse, sk.Options.ReusePort, sk.Options.Uid, listening);

    private void AddOwner(ModelSocket sk, BindBucket tb, bool connectBound)
    {
        var owner = _freeOwners.TryPop(out var o) ? o : new BindOwner();
        owner.SocketId = sk.Id;
        owner.LocalAddress = sk.LocalAddress;
        owner.BoundDevice = sk.Options.BoundDevice;
        owner.Reuse = sk.Options.Reuse;
        owner.ReusePort = sk.Options.ReusePort;
        owner.Uid = sk.Options.Uid;
        owner.ConnectBound = connectBound;
        owner.Listening = false;
        owner.TimeWait = false;
        owner.Index = tb.Owners.Count;
        tb.Owners.Add(owner);
        tb.Tally.Add((owner.LocalAddress, owner.BoundDevice), connectBound);
        sk.Owner = owner;
    }

    private void InsertEstablished(ModelSocket sk, DestinationTables? known = null)
    {
        var e = Established.Rent(sk.Tuple, sk.Id);
        Established.Insert(sk.Netns, e, known);
        sk.Entry = e;
    }

    /// <summary>
    /// The new connection takes over the TIME_WAIT 4-tuple: the TIME_WAIT socket leaves ehash and its bucket
    /// (<c>inet_twsk_bind_unhash</c>). The entry is not recycled: the connect reports it as reused.
    /// </summary>
    private void RecycleTimeWait(EstablishedEntry tw)
    {
        int netns = tw.Netns;
        Established.Remove(tw);
        tw.TimeWait = false;
        RemoveOwner(netns, tw.Tuple.LocalPort, null, tw.SocketId);
        if (ReferenceEquals(_sockets[tw.SocketId].Entry, tw)) _sockets[tw.SocketId].Entry = null;
    }

    /// <summary>
    /// <c>inet_csk_update_fastreuse</c> (net/ipv4/inet_connection_sock.c) on the tb and, 6.18 (d57f4b874946), on the
    /// tb2 of the socket's address: a new bucket takes <c>reuse &amp;&amp; !listening</c> and <c>reuseport ? ANY : 0</c>;
    /// a joined bucket can only lower fastreuse to 0 and gets fastreuseport 0 or STRICT.
    /// </summary>
    private static void UpdateFastReuse(BindBucket tb, ModelSocket sk, bool listening)
    {
        bool reuse = sk.Options.Reuse && !listening;
        bool onlySelf = tb.Owners.Count == 0 || (tb.Owners.Count == 1 && ReferenceEquals(tb.Owners[0], sk.Owner));
        (tb.FastReuse, tb.FastReusePort) = Next(tb.FastReuse, tb.FastReusePort, onlySelf, reuse, sk.Options.ReusePort);
        var key = (sk.LocalAddress, sk.Options.BoundDevice);
        bool tb2New = !tb.Tb2.TryGetValue(key, out var tb2) || OnlyOwnerOf(tb, key, sk.Owner);
        tb.Tb2.Set(key, Next(tb2.FastReuse, tb2.FastReusePort, tb2New, reuse, sk.Options.ReusePort));

        static (sbyte, sbyte) Next(sbyte fr, sbyte frp, bool empty, bool reuse, bool reusePort)
        {
            if (empty) return (reuse ? (sbyte)1 : (sbyte)0, reusePort ? BindBucket.FastReusePortAny : (sbyte)0);
            if (!reuse) fr = 0;
            frp = reusePort ? (frp > 0 ? frp : BindBucket.FastReusePortStrict) : (sbyte)0;
            return (fr, frp);
        }
    }

    /// <summary>True when every owner of <paramref name="tb"/> on <paramref name="key"/> is <paramref name="self"/>.</summary>
    private static bool OnlyOwnerOf(BindBucket tb, (Ipv4Address, int) key, BindOwner? self)
    {
        foreach (var o in tb.Owners)
            if ((o.LocalAddress, o.BoundDevice) == key && !ReferenceEquals(o, self)) return false;
        return true;
    }

    /// <summary>
    /// An owner leaves the port. The bucket is destroyed when empty. 6.18 (d57f4b874946): the tb2 of that address is
    /// reset to −1/−1 when all its remaining owners are connect-bound, and the tb when all its tb2s are −1/−1.
    /// </summary>
    /// <param name="netns">Namespace.</param>
    /// <param name="port">Port.</param>
    /// <param name="owner">The owner to remove, or null for the TIME_WAIT owner of <paramref name="timeWaitSocket"/>.</param>
    /// <param name="timeWaitSocket">Socket id of the TIME_WAIT owner (when <paramref name="owner"/> is null).</param>
    private void RemoveOwner(int netns, int port, BindOwner? owner, int timeWaitSocket)
    {
        var tb = Bind.Find(netns, port);
        if (tb is null) return;
        // A TIME_WAIT socket keeps its owner (its id cannot be released before the owner leaves).
        owner ??= _sockets[timeWaitSocket].Owner is { TimeWait: true } tw ? tw : null;
        var owners = tb.Owners;
        int idx = owner is not null && (uint)owner.Index < (uint)owners.Count && ReferenceEquals(owners[owner.Index], owner) ? owner.Index : -1;
        if (idx < 0) return;
        var removed = owners[idx];
        // Owners form an unordered set (the kernel's owner list order is not observable here): swap-remove in O(1).
        var last = owners[^1];
        owners[idx] = last;
        last.Index = idx;
        owners.RemoveAt(owners.Count - 1);
        removed.Index = -1;
        var sk = _sockets[removed.SocketId];
        if (ReferenceEquals(sk.Owner, removed)) sk.Owner = null;
        var key = (removed.LocalAddress, removed.BoundDevice);
        var (rest, restNotConnectBound) = tb.Tally.Remove(key, removed.ConnectBound);
        _freeOwners.Push(removed);
        if (tb.Owners.Count == 0)
        {
            Bind.Destroy(netns, _netns[netns].Mix, port);
            return;
        }
        bool restConnectBound = restNotConnectBound == 0;
        if (rest == 0) tb.Tb2.Remove(key);
        if (!Profile.BindBucketRelease) return;
        if (rest > 0 && restConnectBound) tb.Tb2.Set(key, (-1, -1));
        if (tb.Tb2.AllReleased())
        {
            tb.FastReuse = -1;
            tb.FastReusePort = -1;
        }
    }

    /// <summary>The ehash value of a 4-tuple: <c>inet_ehashfn</c> of the profile's form (6.15+ port-additive, 9544d60a2605).</summary>
    private uint EhashBucket(int netns, FourTuple t) =>
        EhashFn.InetEhashfn(t.LocalAddress.Be32, (ushort)t.LocalPort, t.RemoteAddress.Be32, (ushort)t.RemotePort,
            Layout.EhashSecret, _netns[netns].Mix, Profile.EhashPortAdditive);
}
