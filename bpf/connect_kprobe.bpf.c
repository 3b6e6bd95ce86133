// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * connect_kprobe.bpf.c — the function-level backend of the seed `tcp_connect_time` probe,
 * improved: ns resolution, a hash keyed by tid, failed scans reported (the kretprobe sees
 * -EADDRNOTAVAIL), ports in host order, lost-event count.
 *   kprobe/inet_hash_connect     -> HASH_CONNECT_ENTER
 *   kretprobe/inet_hash_connect  -> HASH_CONNECT_EXIT (ret, duration_ns)
 *   kprobe/tcp_connect           -> PORT_CHOSEN (called right after the port is chosen)
 * Needs CONFIG_KPROBES (attach fails with ENOENT without it).
 */
#include "portsel_event.h"

struct hc_entry {
	u64 ts_ns;
	u64 sk;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, u32);
	__type(value, struct hc_entry);
} hc_start SEC(".maps");

SEC("kprobe/inet_hash_connect")
int portsel_kp_hash_connect(struct pt_regs *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	if (!portsel_traced(id))
		return 0;
	u32 tid = (u32)id;
	struct hc_entry h = { .ts_ns = bpf_ktime_get_ns(), .sk = (u64)PT_REGS_PARM2(ctx) };
	if (bpf_map_update_elem(&hc_start, &tid, &h, BPF_ANY) != 0)
		portsel_count_lost(1);
	struct portsel_event *e = portsel_reserve(id, PORTSEL_EV_HASH_CONNECT_ENTER);
	if (!e)
		return 0;
	e->sk = h.sk;
	portsel_submit(e);
	return 0;
}

SEC("kretprobe/inet_hash_connect")
int portsel_krp_hash_connect(struct pt_regs *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct hc_entry *h = bpf_map_lookup_elem(&hc_start, &tid);
	if (!h)
		return 0;
	u64 now = bpf_ktime_get_ns();
	u64 start = h->ts_ns;
	u64 sk = h->sk;
	bpf_map_delete_elem(&hc_start, &tid);
	struct portsel_event *e = portsel_reserve(id, PORTSEL_EV_HASH_CONNECT_EXIT);
	if (!e)
		return 0;
	e->ret = (s32)PT_REGS_RC(ctx);
	e->duration_ns = now - start;
	e->sk = sk;
	portsel_submit(e);
	return 0;
}

SEC("kprobe/tcp_connect")
int portsel_kp_tcp_connect(struct pt_regs *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	if (!portsel_traced(id))
		return 0;
	struct sock *sk = (struct sock *)PT_REGS_PARM1(ctx);
	struct portsel_event *e = portsel_reserve(id, PORTSEL_EV_PORT_CHOSEN);
	if (!e)
		return 0;
	portsel_read_sock(e, sk);
	portsel_submit(e);
	return 0;
}
