// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * connect_fentry.bpf.c — the function-level backend on BPF trampolines:
 *   fentry/__inet_hash_connect -> HASH_CONNECT_ENTER
 *   fexit/__inet_hash_connect  -> HASH_CONNECT_EXIT (ret, duration_ns, chosen port on success)
 * Prototype on 6.15+: int __inet_hash_connect(struct inet_timewait_death_row *death_row,
 *   struct sock *sk, u64 port_offset, u32 hash_port0, int (*check_established)(...));
 * so fexit's return value is argument slot 5. (Before 6.15 there was no hash_port0: slot 4.)
 * Needs BPF_PROG_TYPE_TRACING; load fails with EPERM where platform policy forbids it.
 */
#include "portsel_event.h"

struct hc_entry {
	u64 ts_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, u32);
	__type(value, struct hc_entry);
} hc_start SEC(".maps");

SEC("fentry/__inet_hash_connect")
int portsel_fentry_hash_connect(u64 *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	if (!portsel_traced(id))
		return 0;
	u32 tid = (u32)id;
	struct hc_entry h = { .ts_ns = bpf_ktime_get_ns() };
	if (bpf_map_update_elem(&hc_start, &tid, &h, BPF_ANY) != 0)
		portsel_count_lost(1);
	struct portsel_event *e = portsel_reserve(id, PORTSEL_EV_HASH_CONNECT_ENTER);
	if (!e)
		return 0;
	e->sk = BPF_ARG(ctx, 1);
	portsel_submit(e);
	return 0;
}

SEC("fexit/__inet_hash_connect")
int portsel_fexit_hash_connect(u64 *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct hc_entry *h = bpf_map_lookup_elem(&hc_start, &tid);
	if (!h)
		return 0;
	u64 now = bpf_ktime_get_ns();
	u64 start = h->ts_ns;
	bpf_map_delete_elem(&hc_start, &tid);
	struct sock *sk = (struct sock *)BPF_ARG(ctx, 1);
	struct portsel_event *e = portsel_reserve(id, PORTSEL_EV_HASH_CONNECT_EXIT);
	if (!e)
		return 0;
	e->ret = (s32)BPF_ARG(ctx, 5);
	e->duration_ns = now - start;
	e->sk = (u64)sk;
	e->saddr = sk->__sk_common.skc_rcv_saddr;
	e->daddr = sk->__sk_common.skc_daddr;
	e->sport = sk->__sk_common.skc_num;
	e->dport = bpf_ntohs(sk->__sk_common.skc_dport);
	e->family = sk->__sk_common.skc_family;
	portsel_submit(e);
	return 0;
}
