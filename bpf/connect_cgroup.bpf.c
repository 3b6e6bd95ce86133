// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * connect_cgroup.bpf.c — the cgroup backend: cgroup v2 socket programs instead of tracepoints.
 *
 * Attached (bpf_link) to a private child cgroup; only sockets created by tasks in that cgroup run
 * them, so nothing fires for the rest of the system and no pid filter is needed (the traced threads
 * are the ones user space moved into the cgroup). Per connect():
 *
 *   cgroup/connect4 (BPF_CGROUP_INET4_CONNECT, tcp_v4_pre_connect, before tcp_v4_connect):
 *       turns on BPF_SOCK_OPS_STATE_CB_FLAG for this socket (bpf_setsockopt
 *       TCP_BPF_SOCK_OPS_CB_FLAGS, 6.12+), and allows the connect (returns 1).
 *   sockops STATE_CB CLOSE -> SYN_SENT (tcp_set_state in tcp_v4_connect, right before
 *       inet_hash_connect(); the same point as the tracepoint backend's inet_sock_set_state):
 *       scan start, kept in `cgslots` under the socket cookie.
 *   sockops TCP_CONNECT_CB (first thing in tcp_connect(), the local port is chosen):
 *       scan end; ONE struct portsel_connect (kind PORTSEL_EV_CGROUP_RECORD, outcome CHOSEN) to the
 *       ring buffer (BPF_RB_NO_WAKEUP); the socket's callback flags are cleared, so no later state
 *       change of it runs the program again.
 *   sockops STATE_CB SYN_SENT -> CLOSE before TCP_CONNECT_CB (inet_hash_connect() failed,
 *       EADDRNOTAVAIL): scan end, one record with outcome FAILED.
 *
 * Every other sockops op (TIMEOUT_INIT, RWND_INIT, NEEDS_ECN, ACTIVE_ESTABLISHED_CB, ...) returns
 * at once without touching the reply. Plus a floor: empty programs on the same two hooks (the cost
 * of merely having cgroup programs on the traced sockets).
 */
#include "portsel_event.h"

/*
 * Scan start per traced socket: a direct-mapped table indexed by the low bits of the socket cookie
 * (cookies are handed out sequentially, so in-flight connects do not collide unless CG_SLOTS of them
 * overlap). One inlined array lookup, no allocation, no lock. A slot whose cookie does not match at
 * scan end is counted in lost[1] and the record carries scan_start_ns = 0.
 */
#define CG_SLOTS 16384

struct cg_slot {
	u64 cookie;
	u64 start_ns;
	u32 cpu;
	u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CG_SLOTS);
	__type(key, u32);
	__type(value, struct cg_slot);
} cgslots SEC(".maps");

SEC("cgroup/connect4")
int portsel_cg_connect4(struct bpf_sock_addr *ctx)
{
	if (ctx->type != SOCK_STREAM || ctx->protocol != IPPROTO_TCP)
		return 1;
	int flags = BPF_SOCK_OPS_STATE_CB_FLAG;
	if (bpf_setsockopt(ctx, SOL_TCP, TCP_BPF_SOCK_OPS_CB_FLAGS, &flags, sizeof(flags)) != 0)
		portsel_count_lost(1);
	return 1;
}

static __always_inline void cg_submit(struct bpf_sock_ops *ctx, u64 now, u8 outcome)
{
	u64 cookie = bpf_get_socket_cookie(ctx);
	u32 idx = (u32)cookie & (CG_SLOTS - 1);
	u64 start = 0;
	u32 cpu_start = 0;
	struct cg_slot *s = bpf_map_lookup_elem(&cgslots, &idx);
	if (s && s->cookie == cookie) {
		start = s->start_ns;
		cpu_start = s->cpu;
		s->cookie = 0;
	} else {
		portsel_count_lost(1);
	}
	bpf_sock_ops_cb_flags_set(ctx, 0);
	struct portsel_connect *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		portsel_count_lost(0);
		return;
	}
	r->enter_ns = 0;
	r->scan_start_ns = start;
	r->scan_end_ns = now;
	r->exit_ns = 0;
	r->kind = PORTSEL_EV_CGROUP_RECORD;
	r->ret = 0;
	r->saddr = ctx->local_ip4;
	r->daddr = ctx->remote_ip4;
	r->sport = (u16)ctx->local_port;
	r->dport = (u16)bpf_ntohl(ctx->remote_port);
	r->family = (u16)ctx->family;
	r->outcome = outcome;
	r->state = (u8)ctx->state;
	u64 id = bpf_get_current_pid_tgid();
	r->pid = id >> 32;
	r->tid = (u32)id;
	r->sk = cookie;
	r->cpu_enter = cpu_start;
	r->cpu_exit = bpf_get_smp_processor_id();
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
}

SEC("sockops")
int portsel_cg_sockops(struct bpf_sock_ops *ctx)
{
	u32 op = ctx->op;
	if (op == BPF_SOCK_OPS_TCP_CONNECT_CB) {
		if (!(ctx->bpf_sock_ops_cb_flags & BPF_SOCK_OPS_STATE_CB_FLAG))
			return 1; /* not connected through our connect4 (e.g. IPv6) */
		cg_submit(ctx, bpf_ktime_get_ns(), PORTSEL_SCAN_CHOSEN);
		return 1;
	}
	if (op != BPF_SOCK_OPS_STATE_CB)
		return 1;
	u64 now = bpf_ktime_get_ns();
	u32 oldstate = ctx->args[0];
	u32 newstate = ctx->args[1];
	if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT) {
		u64 cookie = bpf_get_socket_cookie(ctx);
		u32 idx = (u32)cookie & (CG_SLOTS - 1);
		struct cg_slot *s = bpf_map_lookup_elem(&cgslots, &idx);
		if (s) {
			s->cookie = cookie;
			s->start_ns = now;
			s->cpu = bpf_get_smp_processor_id();
		}
		return 1;
	}
	if (oldstate == TCP_SYN_SENT && newstate == TCP_CLOSE) {
		cg_submit(ctx, now, PORTSEL_SCAN_FAILED);
		return 1;
	}
	return 1;
}

/* ==== floor: empty programs on the same hooks ============================================== */

SEC("cgroup/connect4")
int portsel_cg_floor_connect4(struct bpf_sock_addr *ctx)
{
	return 1;
}

SEC("sockops")
int portsel_cg_floor_sockops(struct bpf_sock_ops *ctx)
{
	return 1;
}
