// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * connect_classic.bpf.c — the classic-tracepoint backend: the same brackets and the same
 * portsel_event records as connect_tp.bpf.c, for kernels where tp_btf is unavailable.
 *
 *   syscalls/sys_enter_connect                       -> CONNECT_ENTER
 *   sock/inet_sock_set_state CLOSE -> SYN_SENT       -> SCAN_START   (port still 0)
 *   sock/inet_sock_set_state SYN_SENT -> CLOSE       -> SCAN_FAILED  (before any SYN)
 *   net/net_dev_queue, first SYN of that socket      -> PORT_CHOSEN  (skc_num via CO-RE)
 *   syscalls/sys_exit_connect                        -> CONNECT_EXIT (ret = 0 or -errno)
 *   tcp/tcp_retransmit_skb (SYN_SENT, traced socket) -> SYN_RETRANSMIT
 *   tcp/tcp_retransmit_synack (registered lport)     -> SYNACK_RETRANSMIT
 *   sched/sched_process_fork                         -> follows children of traced processes
 *
 * Classic tracepoints attach through tracefs (libbpf reads events/<cat>/<name>/id), so they work
 * only when tracefs is mounted at /sys/kernel/tracing. Their context is the tracepoint's raw
 * record, which is NOT relocated by CO-RE: the structs below are copied from the `format` files
 * of Linux 6.18.44 (/sys/kernel/tracing/events/<cat>/<name>/format); offsets are asserted.
 * Socket and skb fields are read with bpf_probe_read_kernel + CO-RE (portsel.h), so the records
 * carry exactly what connect_tp.bpf.c reads through BTF pointers.
 */
#include "portsel_event.h"

/* Common header of every classic tracepoint record (format: offsets 0..7). */
struct trace_common {
	u16 common_type;          /* offset 0, size 2 */
	u8 common_flags;          /* offset 2, size 1 */
	u8 common_preempt_count;  /* offset 3, size 1 */
	s32 common_pid;           /* offset 4, size 4 */
};

/* syscalls/sys_enter_connect (6.18.44):
 *   int __syscall_nr @8/4; int fd @16/8; struct sockaddr *uservaddr @24/8; int addrlen @32/8 */
struct tp_sys_enter_connect {
	struct trace_common c;
	s32 syscall_nr;
	s32 pad;
	u64 fd;
	u64 uservaddr;
	u64 addrlen;
};
_Static_assert(__builtin_offsetof(struct tp_sys_enter_connect, syscall_nr) == 8, "sys_enter_connect nr");
_Static_assert(__builtin_offsetof(struct tp_sys_enter_connect, fd) == 16, "sys_enter_connect fd");
_Static_assert(__builtin_offsetof(struct tp_sys_enter_connect, addrlen) == 32, "sys_enter_connect addrlen");

/* syscalls/sys_exit_connect (6.18.44): int __syscall_nr @8/4; long ret @16/8 */
struct tp_sys_exit_connect {
	struct trace_common c;
	s32 syscall_nr;
	s32 pad;
	s64 ret;
};
_Static_assert(__builtin_offsetof(struct tp_sys_exit_connect, ret) == 16, "sys_exit_connect ret");

/* sock/inet_sock_set_state (6.18.44):
 *   const void *skaddr @8/8; int oldstate @16/4; int newstate @20/4; __u16 sport @24/2;
 *   __u16 dport @26/2; __u16 family @28/2; __u16 protocol @30/2; __u8 saddr[4] @32;
 *   __u8 daddr[4] @36; __u8 saddr_v6[16] @40; __u8 daddr_v6[16] @56 */
struct tp_inet_sock_set_state {
	struct trace_common c;
	u64 skaddr;
	s32 oldstate;
	s32 newstate;
	u16 sport;
	u16 dport;
	u16 family;
	u16 protocol;
	u8 saddr[4];
	u8 daddr[4];
	u8 saddr_v6[16];
	u8 daddr_v6[16];
};
_Static_assert(__builtin_offsetof(struct tp_inet_sock_set_state, skaddr) == 8, "set_state skaddr");
_Static_assert(__builtin_offsetof(struct tp_inet_sock_set_state, oldstate) == 16, "set_state oldstate");
_Static_assert(__builtin_offsetof(struct tp_inet_sock_set_state, newstate) == 20, "set_state newstate");
_Static_assert(__builtin_offsetof(struct tp_inet_sock_set_state, protocol) == 30, "set_state protocol");
_Static_assert(__builtin_offsetof(struct tp_inet_sock_set_state, daddr_v6) == 56, "set_state daddr_v6");

/* net/net_dev_queue (6.18.44): void *skbaddr @8/8; unsigned int len @16/4; __data_loc name @20/4 */
struct tp_net_dev_queue {
	struct trace_common c;
	u64 skbaddr;
	u32 len;
	u32 name_loc;
};
_Static_assert(__builtin_offsetof(struct tp_net_dev_queue, skbaddr) == 8, "net_dev_queue skbaddr");
_Static_assert(__builtin_offsetof(struct tp_net_dev_queue, len) == 16, "net_dev_queue len");

/* tcp/tcp_retransmit_skb (6.18.44):
 *   const void *skbaddr @8/8; const void *skaddr @16/8; int state @24/4; __u16 sport @28/2;
 *   __u16 dport @30/2; __u16 family @32/2; __u8 saddr[4] @34; __u8 daddr[4] @38;
 *   __u8 saddr_v6[16] @42; __u8 daddr_v6[16] @58; int err @76/4 */
struct tp_tcp_retransmit_skb {
	struct trace_common c;
	u64 skbaddr;
	u64 skaddr;
	s32 state;
	u16 sport;
	u16 dport;
	u16 family;
	u8 saddr[4];
	u8 daddr[4];
	u8 saddr_v6[16];
	u8 daddr_v6[16];
	s32 err;
};
_Static_assert(__builtin_offsetof(struct tp_tcp_retransmit_skb, skaddr) == 16, "retransmit_skb skaddr");
_Static_assert(__builtin_offsetof(struct tp_tcp_retransmit_skb, state) == 24, "retransmit_skb state");
_Static_assert(__builtin_offsetof(struct tp_tcp_retransmit_skb, err) == 76, "retransmit_skb err");

/* tcp/tcp_retransmit_synack (6.18.44):
 *   const void *skaddr @8/8; const void *req @16/8; __u16 sport @24/2; __u16 dport @26/2;
 *   __u16 family @28/2; __u8 saddr[4] @30; __u8 daddr[4] @34; __u8 saddr_v6[16] @38;
 *   __u8 daddr_v6[16] @54 */
struct tp_tcp_retransmit_synack {
	struct trace_common c;
	u64 skaddr;
	u64 req;
	u16 sport;
	u16 dport;
	u16 family;
	u8 saddr[4];
	u8 daddr[4];
	u8 saddr_v6[16];
	u8 daddr_v6[16];
};
_Static_assert(__builtin_offsetof(struct tp_tcp_retransmit_synack, skaddr) == 8, "retransmit_synack skaddr");
_Static_assert(__builtin_offsetof(struct tp_tcp_retransmit_synack, sport) == 24, "retransmit_synack sport");
_Static_assert(__builtin_offsetof(struct tp_tcp_retransmit_synack, daddr_v6) == 54, "retransmit_synack daddr_v6");

/* sched/sched_process_fork (6.18.44):
 *   __data_loc char[] parent_comm @8/4; pid_t parent_pid @12/4; __data_loc char[] child_comm @16/4;
 *   pid_t child_pid @20/4 */
struct tp_sched_process_fork {
	struct trace_common c;
	u32 parent_comm_loc;
	s32 parent_pid;
	u32 child_comm_loc;
	s32 child_pid;
};
_Static_assert(__builtin_offsetof(struct tp_sched_process_fork, parent_pid) == 12, "fork parent_pid");
_Static_assert(__builtin_offsetof(struct tp_sched_process_fork, child_pid) == 20, "fork child_pid");

/* Per-thread state of a connect() in progress, keyed by tid. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, u32);
	__type(value, struct inflight);
} inflight SEC(".maps");

/* Sockets that entered SYN_SENT from a traced task (for SYN retransmissions). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 131072);
	__type(key, u64);
	__type(value, u8);
} socks SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_connect")
int portsel_classic_sys_enter(struct tp_sys_enter_connect *ctx)
{
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

SEC("tracepoint/syscalls/sys_exit_connect")
int portsel_classic_sys_exit(struct tp_sys_exit_connect *ctx)
{
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
	e->ret = (s32)ctx->ret;
	e->sk = sk;
	e->aux = PORTSEL_NR_CONNECT;
	portsel_submit(e);
	return 0;
}

SEC("tracepoint/sock/inet_sock_set_state")
int portsel_classic_set_state(struct tp_inet_sock_set_state *ctx)
{
	if (ctx->protocol != IPPROTO_TCP)
		return 0;
	struct sock *sk = (struct sock *)ctx->skaddr;
	int oldstate = ctx->oldstate;
	int newstate = ctx->newstate;
	u64 id = bpf_get_current_pid_tgid();
	u64 key = (u64)sk;
	if (newstate == TCP_CLOSE)
		bpf_map_delete_elem(&socks, &key);
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
			u8 one = 1;
			bpf_map_update_elem(&socks, &key, &one, BPF_ANY);
		} else if (oldstate == TCP_SYN_SENT && newstate == TCP_CLOSE &&
			   f->phase == PHASE_SCANNING && f->sk == key) {
			kind = PORTSEL_EV_SCAN_FAILED;
			f->phase = PHASE_DONE;
		}
	}
	struct portsel_event *e = portsel_reserve(id, kind);
	if (!e)
		return 0;
	portsel_read_sock(e, sk);
	e->oldstate = (u8)oldstate;
	e->newstate = (u8)newstate;
	portsel_submit(e);
	return 0;
}

SEC("tracepoint/net/net_dev_queue")
int portsel_classic_net_dev_queue(struct tp_net_dev_queue *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct inflight *f = bpf_map_lookup_elem(&inflight, &tid);
	if (!f || f->phase != PHASE_SCANNING)
		return 0;
	struct sk_buff *skb = (struct sk_buff *)ctx->skbaddr;
	struct sock *sk = NULL;
	CORE_READ_INTO(&sk, skb, sk);
	if (!sk || (u64)sk != f->sk)
		return 0;
	f->phase = PHASE_DONE;
	struct portsel_event *e = portsel_reserve(id, PORTSEL_EV_PORT_CHOSEN);
	if (!e)
		return 0;
	portsel_read_sock(e, sk);
	u8 state = 0;
	CORE_READ_INTO(&state, sk, __sk_common.skc_state);
	e->newstate = state;
	portsel_submit(e);
	return 0;
}

SEC("tracepoint/tcp/tcp_retransmit_skb")
int portsel_classic_retransmit_skb(struct tp_tcp_retransmit_skb *ctx)
{
	if (ctx->state != TCP_SYN_SENT)
		return 0;
	u64 key = ctx->skaddr;
	if (!bpf_map_lookup_elem(&socks, &key))
		return 0;
	struct portsel_event *e = portsel_reserve(bpf_get_current_pid_tgid(), PORTSEL_EV_SYN_RETRANSMIT);
	if (!e)
		return 0;
	portsel_read_sock(e, (struct sock *)key);
	e->newstate = TCP_SYN_SENT;
	portsel_submit(e);
	return 0;
}

SEC("tracepoint/tcp/tcp_retransmit_synack")
int portsel_classic_retransmit_synack(struct tp_tcp_retransmit_synack *ctx)
{
	u16 port = ctx->sport; /* the listener's port (ir_num), host order */
	if (!bpf_map_lookup_elem(&lports, &port))
		return 0;
	struct portsel_event *e = portsel_reserve(bpf_get_current_pid_tgid(), PORTSEL_EV_SYNACK_RETRANSMIT);
	if (!e)
		return 0;
	portsel_read_sock(e, (struct sock *)ctx->skaddr);
	e->newstate = TCP_SYN_RECV;
	portsel_submit(e);
	return 0;
}

SEC("tracepoint/sched/sched_process_fork")
int portsel_classic_fork(struct tp_sched_process_fork *ctx)
{
	u32 ptgid = (u32)(bpf_get_current_pid_tgid() >> 32); /* fork runs in the parent */
	u32 ctgid = (u32)ctx->child_pid; /* a thread id for CLONE_THREAD: harmless, its tgid is traced */
	if (ctgid == ptgid || !bpf_map_lookup_elem(&pids, &ptgid))
		return 0;
	u8 one = 1;
	bpf_map_update_elem(&pids, &ctgid, &one, BPF_ANY);
	return 0;
}
