/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * portsel_event.h — the one record every probe backend submits to the ring buffer `events`,
 * plus the maps and the emit helper shared by all backends.
 *
 * Mirrored field by field by src/Validator/Probe/ProbeEvent.cs; the offsets below are asserted
 * here with _Static_assert and in C# by ProbeEventLayoutTests. Change both or neither.
 */
#ifndef PORTSEL_EVENT_H
#define PORTSEL_EVENT_H

#include "portsel.h"

/* Event kinds (ProbeEventKind in C#). */
#define PORTSEL_EV_CONNECT_ENTER 1      /* sys_enter connect (nr 42) */
#define PORTSEL_EV_CONNECT_EXIT 2       /* sys_exit of that connect; ret = 0 or -errno */
#define PORTSEL_EV_SCAN_START 3         /* inet_sock_set_state CLOSE -> SYN_SENT (port still 0) */
#define PORTSEL_EV_SCAN_FAILED 4        /* SYN_SENT -> CLOSE before any SYN left */
#define PORTSEL_EV_PORT_CHOSEN 5        /* first SYN queued (net_dev_queue) / tcp_connect */
#define PORTSEL_EV_STATE_CHANGE 6       /* any other TCP state change seen for a traced task */
#define PORTSEL_EV_SYN_RETRANSMIT 7     /* tcp_retransmit_skb on a traced socket in SYN_SENT */
#define PORTSEL_EV_SYNACK_RETRANSMIT 8  /* tcp_retransmit_synack on a registered listen port */
#define PORTSEL_EV_HASH_CONNECT_ENTER 9 /* kprobe inet_hash_connect / fentry __inet_hash_connect */
#define PORTSEL_EV_HASH_CONNECT_EXIT 10 /* kretprobe / fexit; ret, duration_ns */
#define PORTSEL_EV_CONNECT_RECORD 11    /* compact mode: one struct portsel_connect per connect() */
#define PORTSEL_EV_CGROUP_RECORD 12     /* cgroup backend: one struct portsel_connect per scan (no syscall times) */

struct portsel_event {
	u64 ts_ns;       /*  0: bpf_ktime_get_ns() = CLOCK_MONOTONIC */
	u64 duration_ns; /*  8: kind-specific duration (hash-connect exit), else 0 */
	u64 sk;          /* 16: socket identity (kernel address, only for correlation) */
	u32 pid;         /* 24: tgid */
	u32 tid;         /* 28: thread id */
	u32 kind;        /* 32: PORTSEL_EV_* */
	s32 ret;         /* 36: syscall / function return (0 or -errno) */
	u32 saddr;       /* 40: IPv4 source, network byte order as in the kernel */
	u32 daddr;       /* 44: IPv4 destination, network byte order */
	u16 sport;       /* 48: local port, host order */
	u16 dport;       /* 50: remote port, host order */
	u16 family;      /* 52: AF_INET / AF_INET6 */
	u8 oldstate;     /* 54: TCP state before (state events) */
	u8 newstate;     /* 55: TCP state after */
	u32 cpu;         /* 56: bpf_get_smp_processor_id() */
	u32 aux;         /* 60: kind-specific (syscall nr for connect events) */
};

_Static_assert(sizeof(struct portsel_event) == 64, "portsel_event size");
_Static_assert(__builtin_offsetof(struct portsel_event, ts_ns) == 0, "ts_ns");
_Static_assert(__builtin_offsetof(struct portsel_event, duration_ns) == 8, "duration_ns");
_Static_assert(__builtin_offsetof(struct portsel_event, sk) == 16, "sk");
_Static_assert(__builtin_offsetof(struct portsel_event, pid) == 24, "pid");
_Static_assert(__builtin_offsetof(struct portsel_event, tid) == 28, "tid");
_Static_assert(__builtin_offsetof(struct portsel_event, kind) == 32, "kind");
_Static_assert(__builtin_offsetof(struct portsel_event, ret) == 36, "ret");
_Static_assert(__builtin_offsetof(struct portsel_event, saddr) == 40, "saddr");
_Static_assert(__builtin_offsetof(struct portsel_event, daddr) == 44, "daddr");
_Static_assert(__builtin_offsetof(struct portsel_event, sport) == 48, "sport");
_Static_assert(__builtin_offsetof(struct portsel_event, dport) == 50, "dport");
_Static_assert(__builtin_offsetof(struct portsel_event, family) == 52, "family");
_Static_assert(__builtin_offsetof(struct portsel_event, oldstate) == 54, "oldstate");
_Static_assert(__builtin_offsetof(struct portsel_event, newstate) == 55, "newstate");
_Static_assert(__builtin_offsetof(struct portsel_event, cpu) == 56, "cpu");
_Static_assert(__builtin_offsetof(struct portsel_event, aux) == 60, "aux");

/*
 * Compact mode: ONE record per connect(), submitted at sys_exit, carrying every timestamp and
 * socket field the per-event records would have carried. Offsets 32..55 coincide with
 * struct portsel_event (kind, ret, addresses, ports, family), so user space can tell the two
 * apart by `kind` at offset 32. Mirrored by src/Validator/Probe/ProbeConnectRecord.cs.
 *
 * The cgroup backend (connect_cgroup.bpf.c) submits the same struct with kind
 * PORTSEL_EV_CGROUP_RECORD, one per connect() that reached tcp_v4_pre_connect: no syscall times
 * (enter_ns = 0, ret = 0: the errno is not visible to it); scan_start_ns = cgroup/connect4
 * (tcp_v4_pre_connect, before the route lookup and SYN_SENT); outcome CHOSEN: scan_end_ns = the
 * SYN leaving IP output (cgroup_skb/egress, first packet of the socket), exit_ns = 0; outcome
 * FAILED (no SYN ever left: inet_hash_connect() failed, EADDRNOTAVAIL, or an earlier step):
 * scan_end_ns = 0 (not observable), exit_ns = when the socket was released (cgroup/sock_release);
 * sk = socket cookie; cpu_enter/cpu_exit = CPU at scan start / end (release).
 */
#define PORTSEL_SCAN_NONE 0   /* no SYN_SENT seen (e.g. connect failed earlier) */
#define PORTSEL_SCAN_CHOSEN 1 /* first SYN queued: sport is the chosen port */
#define PORTSEL_SCAN_FAILED 2 /* SYN_SENT -> CLOSE before any SYN (EADDRNOTAVAIL) */

struct portsel_connect {
	u64 enter_ns;      /*  0: sys_enter(connect) */
	u64 scan_start_ns; /*  8: CLOSE -> SYN_SENT, 0 if not seen */
	u64 scan_end_ns;   /* 16: first SYN queued or SYN_SENT -> CLOSE, 0 if not seen */
	u64 exit_ns;       /* 24: sys_exit(connect) */
	u32 kind;          /* 32: PORTSEL_EV_CONNECT_RECORD */
	s32 ret;           /* 36: connect() return, 0 or -errno */
	u32 saddr;         /* 40: IPv4 source, network byte order */
	u32 daddr;         /* 44: IPv4 destination, network byte order */
	u16 sport;         /* 48: local port (host order) at scan end */
	u16 dport;         /* 50: remote port, host order */
	u16 family;        /* 52: AF_INET / AF_INET6 */
	u8 outcome;        /* 54: PORTSEL_SCAN_* */
	u8 state;          /* 55: skc_state at scan end */
	u32 pid;           /* 56: tgid */
	u32 tid;           /* 60: thread id */
	u64 sk;            /* 64: socket identity */
	u32 cpu_enter;     /* 72: CPU at sys_enter */
	u32 cpu_exit;      /* 76: CPU at sys_exit */
};

_Static_assert(sizeof(struct portsel_connect) == 80, "portsel_connect size");
_Static_assert(__builtin_offsetof(struct portsel_connect, enter_ns) == 0, "enter_ns");
_Static_assert(__builtin_offsetof(struct portsel_connect, scan_start_ns) == 8, "scan_start_ns");
_Static_assert(__builtin_offsetof(struct portsel_connect, scan_end_ns) == 16, "scan_end_ns");
_Static_assert(__builtin_offsetof(struct portsel_connect, exit_ns) == 24, "exit_ns");
_Static_assert(__builtin_offsetof(struct portsel_connect, kind) == 32, "kind");
_Static_assert(__builtin_offsetof(struct portsel_connect, ret) == 36, "ret");
_Static_assert(__builtin_offsetof(struct portsel_connect, saddr) == 40, "saddr");
_Static_assert(__builtin_offsetof(struct portsel_connect, daddr) == 44, "daddr");
_Static_assert(__builtin_offsetof(struct portsel_connect, sport) == 48, "sport");
_Static_assert(__builtin_offsetof(struct portsel_connect, dport) == 50, "dport");
_Static_assert(__builtin_offsetof(struct portsel_connect, family) == 52, "family");
_Static_assert(__builtin_offsetof(struct portsel_connect, outcome) == 54, "outcome");
_Static_assert(__builtin_offsetof(struct portsel_connect, state) == 55, "state");
_Static_assert(__builtin_offsetof(struct portsel_connect, pid) == 56, "pid");
_Static_assert(__builtin_offsetof(struct portsel_connect, tid) == 60, "tid");
_Static_assert(__builtin_offsetof(struct portsel_connect, sk) == 64, "sk");
_Static_assert(__builtin_offsetof(struct portsel_connect, cpu_enter) == 72, "cpu_enter");
_Static_assert(__builtin_offsetof(struct portsel_connect, cpu_exit) == 76, "cpu_exit");

/* ---- maps shared by every backend (same names: the loader finds them by name) ------------ */

/* Traced ids: a tgid (whole process) or a single tid. Value unused (1). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u32);
	__type(value, u8);
} pids SEC(".maps");

/* Listen ports whose SYN-ACK retransmissions are reported. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u16);
	__type(value, u8);
} lports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 * 1024 * 1024);
} events SEC(".maps");

/* lost[0]: ring-buffer reservation failures. lost[1]: per-thread state map full. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, u32);
	__type(value, u64);
} lost SEC(".maps");

static __always_inline void portsel_count_lost(u32 slot)
{
	u64 *v = bpf_map_lookup_elem(&lost, &slot);
	if (v)
		__sync_fetch_and_add(v, 1);
}

/* True when the current task (its tgid or its tid) is traced. */
static __always_inline bool portsel_traced(u64 pid_tgid)
{
	u32 tgid = pid_tgid >> 32;
	u32 tid = (u32)pid_tgid;
	return bpf_map_lookup_elem(&pids, &tgid) || bpf_map_lookup_elem(&pids, &tid);
}

/* Reserves a zeroed record stamped with time, ids, cpu and kind; NULL (counted) when full. */
static __always_inline struct portsel_event *portsel_reserve(u64 pid_tgid, u32 kind)
{
	struct portsel_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		portsel_count_lost(0);
		return NULL;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->duration_ns = 0;
	e->sk = 0;
	e->pid = pid_tgid >> 32;
	e->tid = (u32)pid_tgid;
	e->kind = kind;
	e->ret = 0;
	e->saddr = 0;
	e->daddr = 0;
	e->sport = 0;
	e->dport = 0;
	e->family = 0;
	e->oldstate = 0;
	e->newstate = 0;
	e->cpu = bpf_get_smp_processor_id();
	e->aux = 0;
	return e;
}

static __always_inline void portsel_submit(struct portsel_event *e)
{
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

/* Phases of a traced connect() (tp_btf detail mode and classic backends), per thread. */
#define PHASE_IN_CONNECT 1 /* inside connect(), no SYN_SENT yet */
#define PHASE_SCANNING 2   /* SYN_SENT seen, waiting for the SYN (or CLOSE) */
#define PHASE_DONE 3       /* port reported or scan failed */

struct inflight {
	u64 sk;
	u32 phase;
	u32 pad;
};

/*
 * The socket fields of an event read with bpf_probe_read_kernel + CO-RE, for program types without
 * direct BTF pointer access (kprobe, classic tracepoints). tp_btf/fentry programs read the same
 * fields directly (connect_tp.bpf.c fill_sock).
 */
static __always_inline void portsel_read_sock(struct portsel_event *e, struct sock *sk)
{
	u16 dport = 0;
	e->sk = (u64)sk;
	CORE_READ_INTO(&e->saddr, &sk->__sk_common, skc_rcv_saddr);
	CORE_READ_INTO(&e->daddr, &sk->__sk_common, skc_daddr);
	CORE_READ_INTO(&e->sport, &sk->__sk_common, skc_num);
	CORE_READ_INTO(&dport, &sk->__sk_common, skc_dport);
	e->dport = bpf_ntohs(dport);
	CORE_READ_INTO(&e->family, &sk->__sk_common, skc_family);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#endif /* PORTSEL_EVENT_H */
