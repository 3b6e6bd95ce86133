// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * connect_tp.bpf.c — the tracepoint backend (works where kprobes and fentry do not).
 *
 * Brackets the connect() port scan with events that exist as BTF tracepoints:
 *   sys_enter(connect)  -> CONNECT_ENTER
 *   inet_sock_set_state CLOSE -> SYN_SENT  -> SCAN_START   (tcp_v4_connect, right before
 *                                                          inet_hash_connect(); port still 0)
 *   inet_sock_set_state SYN_SENT -> CLOSE before any SYN -> SCAN_FAILED (EADDRNOTAVAIL)
 *   first net_dev_queue of that socket's SYN              -> PORT_CHOSEN (skc_num via CO-RE)
 *   sys_exit(connect)   -> CONNECT_EXIT (ret = 0 or -errno)
 * plus SYN retransmissions (tcp_retransmit_skb on a traced socket still in SYN_SENT), SYN-ACK
 * retransmissions of registered listen ports, and fork following (sched_process_fork, only
 * attached when children must be followed). Only tasks whose tgid or tid is in `pids` are traced.
 *
 * Two program sets bracket the same points; the loader loads one (ProbeMode in C#):
 *   detail  (portsel_sys_enter ...)   one portsel_event per step above (~6–9 per connect);
 *   compact (portsel_c_sys_enter ...) per-thread state in task storage `conn`, ONE portsel_connect
 *                                     at sys_exit.
 * Plus two floors: empty programs on sys_enter/sys_exit (the cost of merely having a BPF program
 * on every syscall, below which no syscall-tracepoint probe can go), and empty programs on all four
 * bracket hooks (sys_enter, sys_exit, inet_sock_set_state, net_dev_queue: the least the compact
 * mode can cost, since each hook invocation costs ~70 ns here even when the program returns at once).
 *
 * sys_enter/sys_exit fire for every syscall of every task: their first instructions compare the
 * syscall number (sys_enter: arg 1; sys_exit: regs->orig_ax through the BTF pointer, one load)
 * and return, before any helper call or map lookup.
 */
#include "portsel_event.h"

/* Per-thread state of a connect() in progress, keyed by tid. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, u32);
	__type(value, struct inflight);
} inflight SEC(".maps");

/*
 * Sockets of traced connects whose SYN left (for SYN retransmissions, which fire in timer
 * context): a direct-mapped table of socket addresses, slot = hash of the 4-tuple, marked when the
 * port is chosen (first SYN queued). Marking and clearing are
 * one inlined array lookup and one store (no hash-map insert, lock or allocation on the connect
 * path: an LRU-hash insert here cost ~350 ns per connect). A later traced socket hashing to the
 * same slot evicts an older one (its retransmissions are then not reported); slots are cleared
 * when their socket reaches CLOSE.
 */
#define SOCK_SLOTS 65536

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SOCK_SLOTS);
	__type(key, u32);
	__type(value, u64);
} socks SEC(".maps");

/* Slot of a socket whose port is chosen: a hash of its 4-tuple (the verifier forbids arithmetic on
 * the BTF socket pointer itself); the slot holds the socket address. */
static __always_inline u64 *sock_slot(struct sock *sk)
{
	u32 ports = (u32)sk->__sk_common.skc_num | ((u32)sk->__sk_common.skc_dport << 16);
	u32 idx = ((ports ^ sk->__sk_common.skc_daddr) * 2654435761u) >> 16; /* Fibonacci hash, 16 bits */
	return bpf_map_lookup_elem(&socks, &idx);
}

static __always_inline void sock_mark(struct sock *sk)
{
	u64 *slot = sock_slot(sk);
	if (slot)
		*slot = (u64)sk;
}

static __always_inline void sock_clear(struct sock *sk)
{
	u64 *slot = sock_slot(sk);
	if (slot && *slot == (u64)sk)
		*slot = 0;
}

static __always_inline bool sock_marked(struct sock *sk)
{
	u64 *slot = sock_slot(sk);
	return slot && *slot == (u64)sk;
}

static __always_inline void fill_sock(struct portsel_event *e, struct sock *sk)
{
	e->sk = (u64)sk;
	e->saddr = sk->__sk_common.skc_rcv_saddr;
	e->daddr = sk->__sk_common.skc_daddr;
	e->sport = sk->__sk_common.skc_num;
	e->dport = bpf_ntohs(sk->__sk_common.skc_dport);
	e->family = sk->__sk_common.skc_family;
}

SEC("tp_btf/sys_enter")
int portsel_sys_enter(u64 *ctx)
{
	long nr = (long)BPF_ARG(ctx, 1);
	if (nr != PORTSEL_NR_CONNECT)
		return 0;
	u64 id = bpf_get_current_pid_tgid();
	if (!portsel_traced(id))
		return 0;
	u32 tid = (u32)id;
	struct inflight f = { .sk = 0, .phase = PHASE_IN_CONNECT, .pad = 0 };
	if (bpf_map_update_elem(&inflight, &tid, &f, BPF_ANY) != 0)
		portsel_count_lost(1);
	struct portsel_event *e = portsel_reserve(id, PORTSEL_EV_CONNECT_ENTER);
	if (!e)
		return 0;
	e->aux = PORTSEL_NR_CONNECT;
	portsel_submit(e);
	return 0;
}

/* Syscall number at sys_exit: orig_ax of the BTF-typed pt_regs (no helper call). */
static __always_inline long exit_nr(u64 *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)BPF_ARG(ctx, 0);
	return (long)regs->orig_ax;
}

SEC("tp_btf/sys_exit")
int portsel_sys_exit(u64 *ctx)
{
	if (exit_nr(ctx) != PORTSEL_NR_CONNECT)
		return 0;
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct inflight *f = bpf_map_lookup_elem(&inflight, &tid);
	if (!f)
		return 0;
	u64 sk = f->sk;
	bpf_map_delete_elem(&inflight, &tid);
	struct portsel_event *e = portsel_reserve(id, PORTSEL_EV_CONNECT_EXIT);
	if (!e)
		return 0;
	e->ret = (s32)(long)BPF_ARG(ctx, 1);
	e->sk = sk;
	e->aux = PORTSEL_NR_CONNECT;
	portsel_submit(e);
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int portsel_set_state(u64 *ctx)
{
	struct sock *sk = (struct sock *)BPF_ARG(ctx, 0);
	int oldstate = (int)BPF_ARG(ctx, 1);
	int newstate = (int)BPF_ARG(ctx, 2);
	if (sk->sk_protocol != IPPROTO_TCP)
		return 0;
	u64 id = bpf_get_current_pid_tgid();
	u64 key = (u64)sk;
	if (newstate == TCP_CLOSE)
		sock_clear(sk);
	if (!portsel_traced(id))
		return 0;
	u32 tid = (u32)id;
	u32 kind = PORTSEL_EV_STATE_CHANGE;
	struct inflight *f = bpf_map_lookup_elem(&inflight, &tid);
	if (f) {
		if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT && f->phase == PHASE_IN_CONNECT) {
			kind = PORTSEL_EV_SCAN_START;
			f->sk = key;
			f->phase = PHASE_SCANNING;
		} else if (oldstate == TCP_SYN_SENT && newstate == TCP_CLOSE &&
			   f->phase == PHASE_SCANNING && f->sk == key) {
			kind = PORTSEL_EV_SCAN_FAILED;
			f->phase = PHASE_DONE;
		}
	}
	struct portsel_event *e = portsel_reserve(id, kind);
	if (!e)
		return 0;
	fill_sock(e, sk);
	e->oldstate = (u8)oldstate;
	e->newstate = (u8)newstate;
	portsel_submit(e);
	return 0;
}

SEC("tp_btf/net_dev_queue")
int portsel_net_dev_queue(u64 *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct inflight *f = bpf_map_lookup_elem(&inflight, &tid);
	if (!f || f->phase != PHASE_SCANNING)
		return 0;
	struct sk_buff *skb = (struct sk_buff *)BPF_ARG(ctx, 0);
	struct sock *sk = skb->sk;
	if (!sk || (u64)sk != f->sk)
		return 0;
	f->phase = PHASE_DONE;
	sock_mark(sk);
	struct portsel_event *e = portsel_reserve(id, PORTSEL_EV_PORT_CHOSEN);
	if (!e)
		return 0;
	fill_sock(e, sk);
	e->newstate = sk->__sk_common.skc_state;
	portsel_submit(e);
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int portsel_retransmit_skb(u64 *ctx)
{
	struct sock *sk = (struct sock *)BPF_ARG(ctx, 0);
	if (sk->__sk_common.skc_state != TCP_SYN_SENT)
		return 0;
	if (!sock_marked(sk))
		return 0;
	struct portsel_event *e = portsel_reserve(bpf_get_current_pid_tgid(), PORTSEL_EV_SYN_RETRANSMIT);
	if (!e)
		return 0;
	fill_sock(e, sk);
	e->newstate = TCP_SYN_SENT;
	portsel_submit(e);
	return 0;
}

SEC("tp_btf/tcp_retransmit_synack")
int portsel_retransmit_synack(u64 *ctx)
{
	struct sock *sk = (struct sock *)BPF_ARG(ctx, 0);
	u16 port = sk->__sk_common.skc_num;
	if (!bpf_map_lookup_elem(&lports, &port))
		return 0;
	struct portsel_event *e = portsel_reserve(bpf_get_current_pid_tgid(), PORTSEL_EV_SYNACK_RETRANSMIT);
	if (!e)
		return 0;
	fill_sock(e, sk);
	e->newstate = TCP_SYN_RECV;
	portsel_submit(e);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int portsel_fork(u64 *ctx)
{
	struct task_struct *parent = (struct task_struct *)BPF_ARG(ctx, 0);
	struct task_struct *child = (struct task_struct *)BPF_ARG(ctx, 1);
	u32 ptgid = parent->tgid;
	u32 ctgid = child->tgid;
	if (ctgid == ptgid || !bpf_map_lookup_elem(&pids, &ptgid))
		return 0;
	u8 one = 1;
	bpf_map_update_elem(&pids, &ctgid, &one, BPF_ANY);
	return 0;
}

/* ==== compact mode: one portsel_connect per connect() ==================================== */

#define CPHASE_IDLE 0 /* between connects (entries are reused, not deleted) */

/* Per-thread state of the connect() in progress: task-local storage (found from the current task
 * without hashing; freed with the task), created at the thread's first traced connect and reused. */
struct conn_state {
	u64 enter_ns;
	u64 scan_start_ns;
	u64 scan_end_ns;
	u64 sk;
	u32 phase;
	u32 cpu_enter;
	u32 saddr;
	u32 daddr;
	u16 sport;
	u16 dport;
	u16 family;
	u8 outcome;
	u8 state;
	u64 gen;    /* tracegen[0] when `traced` was decided */
	u32 traced; /* the pids filter's answer for this thread at generation `gen` */
	u32 pad;
};

/* tracegen[0]: bumped by user space whenever `pids` changes; a thread re-checks `pids` (two hash
 * lookups) only when its cached answer is from an older generation. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} tracegen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct conn_state);
} conn SEC(".maps");

static __always_inline struct conn_state *conn_get(u64 flags)
{
	return bpf_task_storage_get(&conn, bpf_get_current_task_btf(), 0, flags);
}

/* scanning[0]: traced connects between SYN_SENT and scan end. net_dev_queue fires for every packet
 * of the system; while this is 0 it returns after one inlined array load. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, s64);
} scanning SEC(".maps");

static __always_inline void scanning_add(s64 delta)
{
	u32 zero = 0;
	s64 *n = bpf_map_lookup_elem(&scanning, &zero);
	if (n)
		__sync_fetch_and_add(n, delta);
}

static __always_inline void conn_fill(struct conn_state *s, struct sock *sk)
{
	s->saddr = sk->__sk_common.skc_rcv_saddr;
	s->daddr = sk->__sk_common.skc_daddr;
	s->sport = sk->__sk_common.skc_num;
	s->dport = bpf_ntohs(sk->__sk_common.skc_dport);
	s->family = sk->__sk_common.skc_family;
	s->state = sk->__sk_common.skc_state;
}

SEC("tp_btf/sys_enter")
int portsel_c_sys_enter(u64 *ctx)
{
	if ((long)BPF_ARG(ctx, 1) != PORTSEL_NR_CONNECT)
		return 0;
	u32 zero = 0;
	u64 *g = bpf_map_lookup_elem(&tracegen, &zero);
	if (!g)
		return 0;
	u64 gen = *g;
	struct conn_state *s = conn_get(0);
	if (!s || s->gen != gen) {
		bool traced = portsel_traced(bpf_get_current_pid_tgid());
		if (!s) {
			if (!traced)
				return 0;
			s = conn_get(BPF_LOCAL_STORAGE_GET_F_CREATE);
			if (!s) {
				portsel_count_lost(1);
				return 0;
			}
		}
		s->gen = gen;
		s->traced = traced;
	}
	if (!s->traced)
		return 0;
	s->enter_ns = bpf_ktime_get_ns();
	s->scan_start_ns = 0;
	s->scan_end_ns = 0;
	s->sk = 0;
	s->cpu_enter = bpf_get_smp_processor_id();
	s->saddr = 0;
	s->daddr = 0;
	s->sport = 0;
	s->dport = 0;
	s->family = 0;
	s->outcome = PORTSEL_SCAN_NONE;
	s->state = 0;
	s->phase = PHASE_IN_CONNECT;
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int portsel_c_set_state(u64 *ctx)
{
	int oldstate = (int)BPF_ARG(ctx, 1);
	int newstate = (int)BPF_ARG(ctx, 2);
	struct sock *sk = (struct sock *)BPF_ARG(ctx, 0);
	u64 key = (u64)sk;
	if (newstate == TCP_CLOSE) {
		if (sk->sk_protocol != IPPROTO_TCP)
			return 0;
		sock_clear(sk);
		if (oldstate != TCP_SYN_SENT)
			return 0;
	} else if (!(oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT) || sk->sk_protocol != IPPROTO_TCP) {
		return 0;
	}
	struct conn_state *s = conn_get(0);
	if (!s)
		return 0;
	if (newstate == TCP_SYN_SENT) {
		if (s->phase != PHASE_IN_CONNECT)
			return 0;
		s->scan_start_ns = bpf_ktime_get_ns();
		s->sk = key;
		s->phase = PHASE_SCANNING;
		conn_fill(s, sk);
		scanning_add(1);
		return 0;
	}
	if (s->phase != PHASE_SCANNING || s->sk != key)
		return 0;
	s->scan_end_ns = bpf_ktime_get_ns();
	s->phase = PHASE_DONE;
	scanning_add(-1);
	s->outcome = PORTSEL_SCAN_FAILED;
	conn_fill(s, sk);
	return 0;
}

SEC("tp_btf/net_dev_queue")
int portsel_c_net_dev_queue(u64 *ctx)
{
	u32 zero = 0;
	s64 *n = bpf_map_lookup_elem(&scanning, &zero);
	if (!n || *n <= 0)
		return 0;
	struct conn_state *s = conn_get(0);
	if (!s || s->phase != PHASE_SCANNING)
		return 0;
	struct sk_buff *skb = (struct sk_buff *)BPF_ARG(ctx, 0);
	struct sock *sk = skb->sk;
	if (!sk || (u64)sk != s->sk)
		return 0;
	s->scan_end_ns = bpf_ktime_get_ns();
	s->phase = PHASE_DONE;
	scanning_add(-1);
	s->outcome = PORTSEL_SCAN_CHOSEN;
	conn_fill(s, sk);
	sock_mark(sk);
	return 0;
}

SEC("tp_btf/sys_exit")
int portsel_c_sys_exit(u64 *ctx)
{
	if (exit_nr(ctx) != PORTSEL_NR_CONNECT)
		return 0;
	struct conn_state *s = conn_get(0);
	if (!s || s->phase == CPHASE_IDLE)
		return 0;
	if (s->phase == PHASE_SCANNING) /* left the syscall without a SYN or CLOSE */
		scanning_add(-1);
	s->phase = CPHASE_IDLE;
	struct portsel_connect *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		portsel_count_lost(0);
		return 0;
	}
	r->enter_ns = s->enter_ns;
	r->scan_start_ns = s->scan_start_ns;
	r->scan_end_ns = s->scan_end_ns;
	r->exit_ns = bpf_ktime_get_ns();
	r->kind = PORTSEL_EV_CONNECT_RECORD;
	r->ret = (s32)(long)BPF_ARG(ctx, 1);
	r->saddr = s->saddr;
	r->daddr = s->daddr;
	r->sport = s->sport;
	r->dport = s->dport;
	r->family = s->family;
	r->outcome = s->outcome;
	r->state = s->state;
	u64 id = bpf_get_current_pid_tgid();
	r->pid = id >> 32;
	r->tid = (u32)id;
	r->sk = s->sk;
	r->cpu_enter = s->cpu_enter;
	r->cpu_exit = bpf_get_smp_processor_id();
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	return 0;
}

/* ==== floor: the bare cost of a BPF program on every syscall's entry and exit ============= */

SEC("tp_btf/sys_enter")
int portsel_floor_sys_enter(u64 *ctx)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int portsel_floor_sys_exit(u64 *ctx)
{
	return 0;
}

/* ==== hook floor: empty programs on every hook the compact mode needs ======================== */

SEC("tp_btf/inet_sock_set_state")
int portsel_floor_set_state(u64 *ctx)
{
	return 0;
}

SEC("tp_btf/net_dev_queue")
int portsel_floor_net_dev_queue(u64 *ctx)
{
	return 0;
}
