// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * connect_cgroup.bpf.c — the cgroup backend: cgroup v2 socket programs instead of tracepoints.
 *
 * Attached (bpf_link) to a private threaded child cgroup (ProbeCgroup.cs). Only sockets created by
 * tasks in that cgroup run them, so nothing fires for the rest of the system (beyond the kernel's
 * empty-array check per egress packet while any egress program is attached) and no pid filter is
 * needed: the traced threads are the ones user space moved into the cgroup. Per connect():
 *
 *   cgroup/connect4 (BPF_CGROUP_INET4_CONNECT, tcp_v4_pre_connect: before the route lookup, SYN_SENT
 *       and inet_hash_connect()): scan start, kept in `cgslots` under the socket cookie with the
 *       destination; returns 1 (allow).
 *   cgroup_skb/egress (BPF_CGROUP_INET_EGRESS, ip_finish_output): the first packet of a socket with a
 *       kept start is its SYN, so the port is chosen: scan end; ONE struct portsel_connect (kind
 *       PORTSEL_EV_CGROUP_RECORD, outcome CHOSEN) to the ring buffer (BPF_RB_NO_WAKEUP). Later packets
 *       of the socket find no start and return after one inlined array lookup. Returns 1 (allow).
 *   cgroup/sock_release (BPF_CGROUP_INET_SOCK_RELEASE, close): a socket whose start is still kept sent
 *       no SYN: its scan (or an earlier step) failed; one record with outcome FAILED and no scan end.
 *
 * No sockops program: the kernel runs a sockops program for every op of every traced socket (≈ 5 per
 * loopback connect, ≈ 400 ns here even when the program returns at once), more than these three hooks
 * cost in total. Plus a floor: empty programs on the same three hooks.
 */
#include "portsel_event.h"

/*
 * Scan start per traced socket: a direct-mapped table indexed by the low bits of the socket cookie
 * (cookies are handed out sequentially, so in-flight connects do not collide unless CG_SLOTS of them
 * overlap). One inlined array lookup per hook, no allocation, no lock. A start overwritten by a
 * colliding socket before its SYN left is lost for that connect (no record); slot 1 of `lost` counts
 * the overwrites.
 */
#define CG_SLOTS 16384

struct cg_slot {
	u64 cookie; /* 0: free */
	u64 start_ns;
	u32 cpu;
	u32 daddr;
	u16 dport;
	u16 pad1;
	u32 pad2;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CG_SLOTS);
	__type(key, u32);
	__type(value, struct cg_slot);
} cgslots SEC(".maps");

static __always_inline struct cg_slot *cg_slot_of(u64 cookie)
{
	u32 idx = (u32)cookie & (CG_SLOTS - 1);
	return bpf_map_lookup_elem(&cgslots, &idx);
}

SEC("cgroup/connect4")
int portsel_cg_connect4(struct bpf_sock_addr *ctx)
{
	u64 now = bpf_ktime_get_ns();
	if (ctx->type != SOCK_STREAM || ctx->protocol != IPPROTO_TCP)
		return 1;
	u64 cookie = bpf_get_socket_cookie(ctx);
	struct cg_slot *s = cg_slot_of(cookie);
	if (!s)
		return 1;
	if (s->cookie != 0 && s->cookie != cookie)
		portsel_count_lost(1);
	s->cookie = cookie;
	s->start_ns = now;
	s->cpu = bpf_get_smp_processor_id();
	s->daddr = ctx->user_ip4;
	s->dport = bpf_ntohs((u16)ctx->user_port);
	return 1;
}

static __always_inline struct portsel_connect *cg_reserve(struct cg_slot *s, u64 cookie, u8 outcome)
{
	struct portsel_connect *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		portsel_count_lost(0);
		return NULL;
	}
	r->enter_ns = 0;
	r->scan_start_ns = s->start_ns;
	r->scan_end_ns = 0;
	r->exit_ns = 0;
	r->kind = PORTSEL_EV_CGROUP_RECORD;
	r->ret = 0;
	r->outcome = outcome;
	u64 id = bpf_get_current_pid_tgid();
	r->pid = id >> 32;
	r->tid = (u32)id;
	r->sk = cookie;
	r->cpu_enter = s->cpu;
	r->cpu_exit = bpf_get_smp_processor_id();
	return r;
}

SEC("cgroup_skb/egress")
int portsel_cg_egress(struct __sk_buff *skb)
{
	u64 cookie = bpf_get_socket_cookie(skb);
	struct cg_slot *s = cg_slot_of(cookie);
	if (!s || s->cookie != cookie || cookie == 0)
		return 1;
	u64 now = bpf_ktime_get_ns();
	s->cookie = 0;
	struct portsel_connect *r = cg_reserve(s, cookie, PORTSEL_SCAN_CHOSEN);
	if (!r)
		return 1;
	r->scan_end_ns = now;
	r->saddr = skb->local_ip4;
	r->daddr = skb->remote_ip4;
	r->sport = (u16)skb->local_port;
	r->dport = (u16)bpf_ntohl(skb->remote_port);
	r->family = (u16)skb->family;
	r->state = TCP_SYN_SENT;
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	return 1;
}

SEC("cgroup/sock_release")
int portsel_cg_release(struct bpf_sock *sk)
{
	if (sk->protocol != IPPROTO_TCP)
		return 1;
	u64 cookie = bpf_get_socket_cookie(sk);
	struct cg_slot *s = cg_slot_of(cookie);
	if (!s || s->cookie != cookie || cookie == 0)
		return 1;
	u64 now = bpf_ktime_get_ns();
	s->cookie = 0;
	struct portsel_connect *r = cg_reserve(s, cookie, PORTSEL_SCAN_FAILED);
	if (!r)
		return 1;
	/* A release program may read only family/type/protocol/mark/priority of its socket: the destination
	 * comes from connect4; no local address or port was kept by a failed connect. */
	r->exit_ns = now;
	r->saddr = 0;
	r->daddr = s->daddr;
	r->sport = 0;
	r->dport = s->dport;
	r->family = AF_INET;
	r->state = TCP_CLOSE;
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	return 1;
}

/* ==== floor: empty programs on the same hooks ============================================== */

SEC("cgroup/connect4")
int portsel_cg_floor_connect4(struct bpf_sock_addr *ctx)
{
	return 1;
}

SEC("cgroup_skb/egress")
int portsel_cg_floor_egress(struct __sk_buff *skb)
{
	return 1;
}

SEC("cgroup/sock_release")
int portsel_cg_floor_release(struct bpf_sock *sk)
{
	return 1;
}
