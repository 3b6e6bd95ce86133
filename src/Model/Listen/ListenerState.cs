using PortSelection.Model.Kernel;

namespace PortSelection.Model.Listen;

/// <summary>
/// A deterministic model of one listening socket: accept queue (A), request queue (Q, Y), per-request SYN-ACK timers
/// and the SNMP counters, driven by SYN, 3rd ACK, accept() and time events. Any event sequence can be replayed and
/// compared with a kernel run (listen-queues.md §3 – §5, §7; pseudocode §8).
/// </summary>
/// <remarks>
/// <para>Decision order for a SYN follows <c>tcp_conn_request</c> (6.18 <c>net/ipv4/tcp_input.c</c> l.7444 – 7494; 3.10.108
/// <c>tcp_v4_conn_request</c>): SYN-queue/cookie decision (§4.1), then the accept-queue test (young check ≤ 4.9,
/// 5ea8ea2cb7f1 from 4.10), then the 3/4 rule (§4.2). The 3rd ACK follows <c>tcp_check_req</c> /
/// <c>tcp_v4_syn_recv_sock</c> (6.18 l.689, label <c>listen_overflow</c> l.934). Timers follow <c>reqsk_timer_handler</c>
/// (6.18 l.1030) with pressure pruning (l.1087).</para>
/// <para>Time is an input in ms. An event at instant t first fires the timers due strictly before t; timers due
/// exactly at t fire on <see cref="AdvanceTo"/> (the timer wheel rounds expiries up, §6.4, so a packet and a timer at
/// the same nominal instant see the packet first). Timers ≤ 4.3 really tick every 200 ms (<c>TCP_SYNQ_INTERVAL</c>);
/// the model fires them at their nominal instants. TCP_DEFER_ACCEPT and TFO are not modelled.</para>
/// </remarks>
public sealed class ListenerState
{
    private readonly SortedDictionary<long, ListenRequest> _requests = new();
    private readonly SortedSet<(long TimeMs, long ClientId)> _timers = new();
    private readonly Dictionary<long, long> _cookieClients = new();
    private readonly List<ListenerTraceEntry> _trace = new();
    private long _lastCookieSentMs = long.MinValue;
    private long _lo, _ld, _reqQFullDrop, _reqQFullDoCookies, _cookiesSent, _cookiesRecv, _cookiesFailed, _synRetrans, _timeouts, _embryonicRsts, _passiveOpens;

    /// <summary>Creates a listener right after <c>listen(fd, <paramref name="listenArg"/>)</c>.</summary>
    /// <param name="profile">Listen-queue profile of the kernel.</param>
    /// <param name="sysctls">Sysctls of the listener's netns (validated with <see cref="ListenSysctls.Validate"/>).</param>
    /// <param name="listenArg">The listen() argument (clamped with <see cref="ListenBacklog.EffectiveBacklog"/>).</param>
    /// <param name="startMs">Instant of the listen() call.</param>
    /// <exception cref="ArgumentException">The sysctls are out of range.</exception>
    public ListenerState(ListenQueueProfile profile, ListenSysctls sysctls, int listenArg, long startMs = 0)
    {
        var error = sysctls.Validate();
        if (error is not null) throw new ArgumentException(error, nameof(sysctls));
        Profile = profile;
        Sysctls = sysctls;
        Backlog = ListenBacklog.EffectiveBacklog(listenArg, sysctls.Somaxconn);
        FirstBacklog = Backlog;
        FirstMaxSynBacklog = sysctls.MaxSynBacklog;
        NowMs = startMs;
    }

    /// <summary>The kernel's listen-queue switches.</summary>
    public ListenQueueProfile Profile { get; }

    /// <summary>The sysctls in force.</summary>
    public ListenSysctls Sysctls { get; }

    /// <summary>B: the stored backlog (<c>sk_max_ack_backlog</c>); <c>ss -lnt</c> Send-Q.</summary>
    public int Backlog { get; private set; }

    /// <summary>B₀ of the first listen() (sizes the ≤ 4.3 request table, frozen).</summary>
    public int FirstBacklog { get; }

    /// <summary>M at the first listen() (sizes the ≤ 4.3 request table, frozen).</summary>
    public int FirstMaxSynBacklog { get; }

    /// <summary>Model time in ms (the latest event or advance).</summary>
    public long NowMs { get; private set; }

    /// <summary>A: children waiting for accept(); <c>ss -lnt</c> Recv-Q.</summary>
    public int AcceptQueueLength { get; private set; }

    /// <summary>Q: request socks (SYN_RECV entries of this listener).</summary>
    public int RequestCount => _requests.Count;

    /// <summary>Y: requests that never timed out.</summary>
    public int YoungCount { get; private set; }

    /// <summary>The requests, ordered by client id.</summary>
    public IReadOnlyCollection<ListenRequest> Requests => _requests.Values;

    /// <summary>Every event and timer outcome so far, in processing order.</summary>
    public IReadOnlyList<ListenerTraceEntry> Trace => _trace;

    /// <summary>The earliest pending request timer, or null when there is none.</summary>
    public long? NextTimerMs => _timers.Count == 0 ? null : _timers.Min.TimeMs;

    /// <summary>Counter totals since the listener was created.</summary>
    public ListenCounters Counters => new(_lo, _ld, _reqQFullDrop, _reqQFullDoCookies, _cookiesSent, _cookiesRecv,
        _cookiesFailed, _synRetrans, _timeouts, _embryonicRsts, _passiveOpens);

    /// <summary>Retry limit R for SYN-ACKs (listener TCP_SYNCNT or <c>tcp_synack_retries</c>).</summary>
    private int SynAckRetries => Sysctls.SynAckRetries;

    /// <summary>Applies one event; returns the trace entries it produced (timers fired first, then the event).</summary>
    /// <param name="e">The event.</param>
    /// <exception cref="ArgumentException">The event lies before <see cref="NowMs"/>.</exception>
    public IReadOnlyList<ListenerTraceEntry> Apply(ListenerEvent e)
    {
        int before = _trace.Count;
        switch (e)
        {
            case ListenerEvent.Syn s: OnSyn(s.TimeMs, s.ClientId, s.PeerProven, s.TimeWaitReuse); break;
            case ListenerEvent.Ack a: OnAck(a.TimeMs, a.ClientId); break;
            case ListenerEvent.Accept a: Accept(a.TimeMs); break;
            case ListenerEvent.Advance a: AdvanceTo(a.TimeMs); break;
            case ListenerEvent.Relisten r: Relisten(r.TimeMs, r.Backlog); break;
        }
        return _trace.GetRange(before, _trace.Count - before);
    }

    /// <summary>Processes a SYN from <paramref name="clientId"/> at <paramref name="timeMs"/>.</summary>
    /// <param name="timeMs">Arrival instant in ms.</param>
    /// <param name="clientId">Client.</param>
    /// <param name="peerProven">Peer has a cached RTT (<c>tcp_peer_is_proven</c>): exempt from the 3/4 rule.</param>
    /// <param name="timeWaitReuse">SYN matched a TIME-WAIT socket: bypasses the SYN-queue test.</param>
    /// <remarks>
    /// §8 <c>OnSyn</c>; SYN-queue predicate per <see cref="SynQueueLimits.IsFull"/>; young check per
    /// <see cref="ListenQueueProfile.YoungCheck"/> (5ea8ea2cb7f1); counters per §7.1.
    /// </remarks>
    public SynOutcome OnSyn(long timeMs, long clientId, bool peerProven = false, bool timeWaitReuse = false)
    {
        FireTimersBefore(timeMs, inclusive: false);
        var outcome = DecideSyn(timeMs, clientId, peerProven, timeWaitReuse);
        _trace.Add(new ListenerTraceEntry(timeMs, clientId, ListenerTraceKind.Syn, Syn: outcome));
        return outcome;
    }

    private SynOutcome DecideSyn(long timeMs, long clientId, bool peerProven, bool timeWaitReuse)
    {
        var p = Profile;
        int c = Sysctls.Syncookies;
        if (_requests.ContainsKey(clientId))
        {
            // A SYN for the 4-tuple of an existing request (acked or not) hits the request socket in ehash:
            // tcp_check_req re-sends the SYN-ACK (net/ipv4/tcp_minisocks.c, every era); no second request is made.
            if (p.SynRetransCounter) _synRetrans++;
            return SynOutcome.SynAckResent;
        }

        bool synqFull = (c == 2 && p.SyncookiesMode2) ||
                        SynQueueLimits.IsFull(p, _requests.Count, Backlog, FirstMaxSynBacklog, FirstBacklog);
        bool cookie = false;
        if (synqFull && !timeWaitReuse)
        {
            if (c == 0)
            {
                if (p.SynDropAccounting) { _reqQFullDrop++; _ld++; }
                return SynOutcome.DroppedSynQueueFull;
            }
            cookie = true;
            if (p.SynDropAccounting) _reqQFullDoCookies++;
        }

        if (ListenBacklog.AcceptQueueFull(AcceptQueueLength, Backlog) && (!p.YoungCheck || YoungCount > 1))
        {
            if (p.SynDropAccounting) { _lo++; _ld++; }
            return SynOutcome.DroppedAcceptQueueFull;
        }

        if (!cookie && !peerProven && SynQueueLimits.ThreeQuarterRuleDrops(c, Sysctls.MaxSynBacklog, _requests.Count))
        {
            if (p.SynDropAccounting) _ld++;
            return SynOutcome.DroppedThreeQuarterRule;
        }

        if (cookie)
        {
            _cookiesSent++;
            if (p.CookieSynCountsAsListenDrop) _ld++;
            _cookieClients[clientId] = timeMs;
            _lastCookieSentMs = timeMs;
            return SynOutcome.CookieSent;
        }

        var created = new ListenRequest(clientId, timeMs, 0, false, timeMs + SynAckInterval(0));
        _requests[clientId] = created;
        _timers.Add((created.NextTimerMs, clientId));
        YoungCount++;
        return SynOutcome.RequestCreated;
    }

    /// <summary>Processes the 3rd ACK (or a data segment acting as it) from <paramref name="clientId"/>.</summary>
    /// <param name="timeMs">Arrival instant in ms.</param>
    /// <param name="clientId">Client.</param>
    /// <remarks>
    /// §5 and §8 <c>OnAck</c>: <c>tcp_check_req</c> → <c>syn_recv_sock</c> refuses the child when <c>A &gt; B</c>
    /// (ListenOverflows + ListenDrops, every era); <c>tcp_abort_on_overflow</c> decides between keeping the request
    /// (acked) and a RST. Cookie ACKs (<c>cookie_v4_check</c> → <c>tcp_get_cookie_sock</c>) are evaluated only within
    /// <see cref="ListenQueueProfile.CookieValidityMs"/> of the last cookie sent (<c>tcp_synq_no_recent_overflow</c>).
    /// </remarks>
    public AckOutcome OnAck(long timeMs, long clientId)
    {
        FireTimersBefore(timeMs, inclusive: false);
        var outcome = DecideAck(timeMs, clientId);
        _trace.Add(new ListenerTraceEntry(timeMs, clientId, ListenerTraceKind.Ack, Ack: outcome));
        return outcome;
    }

    private AckOutcome DecideAck(long timeMs, long clientId)
    {
        bool full = ListenBacklog.AcceptQueueFull(AcceptQueueLength, Backlog);
        if (_requests.TryGetValue(clientId, out var req))
        {
            if (full)
            {
                _lo++; _ld++;
                if (Sysctls.AbortOnOverflow)
                {
                    RemoveRequest(req);
                    _embryonicRsts++;
                    return AckOutcome.OverflowReset;
                }
                _requests[clientId] = req with { Acked = true };
                return AckOutcome.OverflowRequestKept;
            }
            RemoveRequest(req);
            AcceptQueueLength++;
            _passiveOpens++;
            return AckOutcome.ChildQueued;
        }

        if (_cookieClients.TryGetValue(clientId, out long sentMs))
        {
            if (timeMs - _lastCookieSentMs > Profile.CookieValidityMs)
            {
                // tcp_synq_no_recent_overflow: the cookie is not even evaluated.
                _cookieClients.Remove(clientId);
                return AckOutcome.CookieRejected;
            }
            if (timeMs - sentMs > Profile.CookieValidityMs)
            {
                // the cookie's own age check fails (__cookie_v4_check returns 0).
                _cookieClients.Remove(clientId);
                _cookiesFailed++;
                return AckOutcome.CookieRejected;
            }
            _cookiesRecv++;
            if (full)
            {
                _lo++; _ld++;
                return AckOutcome.CookieOverflowDropped;
            }
            _cookieClients.Remove(clientId);
            AcceptQueueLength++;
            _passiveOpens++;
            return AckOutcome.CookieChildQueued;
        }
        return AckOutcome.NoRequest;
    }

    /// <summary>The application calls accept(); true when a child was dequeued.</summary>
    /// <param name="timeMs">Instant in ms.</param>
    /// <remarks><c>sk_acceptq_removed</c> (every era).</remarks>
    public bool Accept(long timeMs)
    {
        FireTimersBefore(timeMs, inclusive: false);
        bool ok = AcceptQueueLength > 0;
        if (ok) AcceptQueueLength--;
        _trace.Add(new ListenerTraceEntry(timeMs, -1, ok ? ListenerTraceKind.Accepted : ListenerTraceKind.AcceptEmpty));
        return ok;
    }

    /// <summary>listen() again on the listening socket: only B changes (the ≤ 4.3 table keeps its size).</summary>
    /// <param name="timeMs">Instant in ms.</param>
    /// <param name="listenArg">New listen() argument.</param>
    /// <remarks>§2.2: <c>__inet_listen_sk</c> (6.18 l.193) writes <c>sk_max_ack_backlog</c> for a re-listen; ≤ 4.3 <c>reqsk_queue_alloc</c> runs only once.</remarks>
    public void Relisten(long timeMs, int listenArg)
    {
        FireTimersBefore(timeMs, inclusive: false);
        Backlog = ListenBacklog.EffectiveBacklog(listenArg, Sysctls.Somaxconn);
    }

    /// <summary>Advances model time, firing every request timer due at or before <paramref name="timeMs"/>.</summary>
    /// <param name="timeMs">Target instant in ms.</param>
    /// <returns>The trace entries produced (SYN-ACK retransmissions and request expiries), in time order.</returns>
    public IReadOnlyList<ListenerTraceEntry> AdvanceTo(long timeMs)
    {
        int before = _trace.Count;
        FireTimersBefore(timeMs, inclusive: true);
        return _trace.GetRange(before, _trace.Count - before);
    }

    private void FireTimersBefore(long timeMs, bool inclusive)
    {
        if (timeMs < NowMs)
            throw new ArgumentException($"event time {timeMs} ms lies before the model time {NowMs} ms; accepted: non-decreasing times", nameof(timeMs));
        while (_timers.Count > 0)
        {
            var (due, clientId) = _timers.Min;
            if (due > timeMs || (!inclusive && due == timeMs)) break;
            _timers.Remove(_timers.Min);
            NowMs = due;
            FireTimer(_requests[clientId]);
        }
        NowMs = timeMs;
    }

    /// <summary>One request timer expiry (<c>reqsk_timer_handler</c>, 6.18 l.1030; ≤ 4.3 <c>inet_csk_reqsk_queue_prune</c>).</summary>
    private void FireTimer(ListenRequest req)
    {
        int q = _requests.Count;
        int thresh = SynAckRetries;
        bool pressure = Profile.SynQueueRule == SynQueueRule.RoundUpPow2Table
            ? q >= ListenBacklog.SynTableEntries(FirstBacklog, FirstMaxSynBacklog) / 2
            : 2L * q > Math.Max(8, Backlog);
        if (pressure)
        {
            long young2 = 2L * YoungCount;
            while (thresh > 2 && q >= young2) { thresh--; young2 *= 2; }
        }
        _timeouts++;
        if (req.NumTimeout >= thresh)
        {
            RemoveRequest(req);
            _trace.Add(new ListenerTraceEntry(req.NextTimerMs, req.ClientId, ListenerTraceKind.RequestExpired));
            return;
        }
        if (Profile.SynRetransCounter) _synRetrans++;
        if (req.NumTimeout == 0) YoungCount--;
        int n = req.NumTimeout + 1;
        var next = req with { NumTimeout = n, NextTimerMs = req.NextTimerMs + SynAckInterval(n) };
        _requests[req.ClientId] = next;
        _timers.Add((next.NextTimerMs, req.ClientId));
        _trace.Add(new ListenerTraceEntry(req.NextTimerMs, req.ClientId, ListenerTraceKind.SynAckRetransmitted));
    }

    /// <summary><c>reqsk_timeout</c>: <c>min(TCP_TIMEOUT_INIT &lt;&lt; num_timeout, rto_max)</c>.</summary>
    private long SynAckInterval(int numTimeout) =>
        SynAckSchedule.Interval(Profile.InitialRtoMs, numTimeout, Sysctls.RtoMaxMs);

    private void RemoveRequest(ListenRequest req)
    {
        _requests.Remove(req.ClientId);
        _timers.Remove((req.NextTimerMs, req.ClientId));
        if (req.Young) YoungCount--;
    }
}
