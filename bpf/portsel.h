/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * portsel.h — the project's own self-contained BPF header.
 *
 * Builds with nothing but clang-14 (`-target bpf -O2 -g -nostdinc`): no libbpf-dev, no vmlinux.h.
 * Contents: integer typedefs, SEC(), BTF-defined map macros, helper declarations with the UAPI
 * helper ids (checked against `enum bpf_func_id` in /sys/kernel/btf/vmlinux of Linux 6.18.44),
 * BPF_PROG-style argument access for tp_btf/fentry (ctx is an array of u64), PT_REGS_PARM for
 * kprobes, a minimal subset of kernel structs relocated by CO-RE (preserve_access_index), and the
 * UAPI context structs of the cgroup programs (struct bpf_sock_ops, struct bpf_sock_addr: fixed
 * layouts the verifier rewrites, NOT relocated; offsets checked against the same BTF).
 *
 * The event layout shared with user space is in portsel_event.h (mirrored by ProbeEvent.cs).
 */
#ifndef PORTSEL_H
#define PORTSEL_H

/* ---- integer types ---------------------------------------------------------------------- */
typedef unsigned char __u8;
typedef signed char __s8;
typedef unsigned short __u16;
typedef signed short __s16;
typedef unsigned int __u32;
typedef signed int __s32;
typedef unsigned long long __u64;
typedef signed long long __s64;
typedef __u8 u8;
typedef __s8 s8;
typedef __u16 u16;
typedef __s16 s16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
typedef __s64 s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

/* ---- sections, maps ---------------------------------------------------------------------- */
#define SEC(name) __attribute__((section(name), used))
#define __always_inline inline __attribute__((always_inline))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __array(name, val) typeof(val) *name[]

/* enum bpf_map_type (include/uapi/linux/bpf.h) */
#define BPF_MAP_TYPE_HASH 1
#define BPF_MAP_TYPE_ARRAY 2
#define BPF_MAP_TYPE_PERCPU_ARRAY 6
#define BPF_MAP_TYPE_LRU_HASH 9
#define BPF_MAP_TYPE_RINGBUF 27
#define BPF_MAP_TYPE_TASK_STORAGE 29

/* map flags */
#define BPF_F_NO_PREALLOC 1

/* bpf_*_storage_get flags */
#define BPF_LOCAL_STORAGE_GET_F_CREATE 1

/* map update flags */
#define BPF_ANY 0
#define BPF_NOEXIST 1
#define BPF_EXIST 2

/* ring buffer flags */
#define BPF_RB_NO_WAKEUP 1
#define BPF_RB_FORCE_WAKEUP 2

/* ---- helpers: constant function pointers with the UAPI ids (enum bpf_func_id) ------------ */
static void *(*const bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*const bpf_map_update_elem)(void *map, const void *key, const void *value, u64 flags) = (void *)2;
static long (*const bpf_map_delete_elem)(void *map, const void *key) = (void *)3;
static long (*const bpf_probe_read)(void *dst, u32 size, const void *unsafe_ptr) = (void *)4;
static u64 (*const bpf_ktime_get_ns)(void) = (void *)5;
static u32 (*const bpf_get_smp_processor_id)(void) = (void *)8;
static u64 (*const bpf_get_current_pid_tgid)(void) = (void *)14;
static long (*const bpf_get_current_comm)(void *buf, u32 size_of_buf) = (void *)16;
static long (*const bpf_probe_read_kernel)(void *dst, u32 size, const void *unsafe_ptr) = (void *)113;
static long (*const bpf_ringbuf_output)(void *ringbuf, void *data, u64 size, u64 flags) = (void *)130;
static void *(*const bpf_ringbuf_reserve)(void *ringbuf, u64 size, u64 flags) = (void *)131;
static void (*const bpf_ringbuf_submit)(void *data, u64 flags) = (void *)132;
static void (*const bpf_ringbuf_discard)(void *data, u64 flags) = (void *)133;
struct task_struct;
static void *(*const bpf_task_storage_get)(void *map, struct task_struct *task, void *value, u64 flags) = (void *)156;
static struct task_struct *(*const bpf_get_current_task_btf)(void) = (void *)158;
/* cgroup programs (sockops, cgroup/connect4): ctx is struct bpf_sock_ops / struct bpf_sock_addr */
static u64 (*const bpf_get_socket_cookie)(void *ctx) = (void *)46;
static long (*const bpf_setsockopt)(void *ctx, int level, int optname, void *optval, int optlen) = (void *)49;
struct bpf_sock_ops;
static long (*const bpf_sock_ops_cb_flags_set)(struct bpf_sock_ops *ctx, int flags) = (void *)59;

/* ---- byte order (BPF target here is little endian, like x86-64) -------------------------- */
#define bpf_ntohs(x) ((u16)__builtin_bswap16((u16)(x)))
#define bpf_ntohl(x) ((u32)__builtin_bswap32((u32)(x)))

/* ---- argument access ---------------------------------------------------------------------- */
/* tp_btf / fentry / fexit: ctx is an array of u64, one slot per argument (the tracepoint's
 * leading `void *__data` is not part of it). */
#define BPF_ARG(ctx, n) (((unsigned long long *)(ctx))[n])

/* CO-RE read through bpf_probe_read_kernel (for kprobes, where pointers are not BTF-typed). */
#define CORE_READ_INTO(dst, src, field)                                                       \
	bpf_probe_read_kernel((void *)(dst), sizeof(*(dst)),                                 \
			      (const void *)__builtin_preserve_access_index(&(src)->field))

/* ---- minimal kernel structs, relocated by CO-RE against the running kernel's BTF ---------- */
#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

/* x86-64 struct pt_regs (arch/x86/include/asm/ptrace.h) */
struct pt_regs {
	unsigned long r15;
	unsigned long r14;
	unsigned long r13;
	unsigned long r12;
	unsigned long bp;
	unsigned long bx;
	unsigned long r11;
	unsigned long r10;
	unsigned long r9;
	unsigned long r8;
	unsigned long ax;
	unsigned long cx;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long orig_ax;
	unsigned long ip;
	unsigned long cs;
	unsigned long flags;
	unsigned long sp;
	unsigned long ss;
};

/* Flat view of struct sock_common's anonymous unions; CO-RE matches the names. */
struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	u16 skc_num;
	unsigned short skc_family;
	volatile unsigned char skc_state;
};

struct sock {
	struct sock_common __sk_common;
	u16 sk_protocol;
};

struct sk_buff {
	struct sock *sk;
};

struct task_struct {
	int pid;
	int tgid;
};

struct request_sock;

#pragma clang attribute pop

/* ---- UAPI context structs of cgroup programs (include/uapi/linux/bpf.h) ------------------- */
/* Not CO-RE: the verifier maps each field offset to the kernel's own field, so these must be the
 * exact UAPI layout. Offsets checked against /sys/kernel/btf/vmlinux of 6.18.44 (struct
 * bpf_sock_ops: size 224, op 0, args 4, family 20, remote_ip4 24, local_ip4 28, remote_port 64,
 * local_port 68, bpf_sock_ops_cb_flags 84, state 88, sk 184; struct bpf_sock_addr: size 72,
 * user_port 24, family 28, type 32, protocol 36, sk 64) and asserted below. */
#define __bpf_md_ptr(type, name) \
	union {                     \
		type name;          \
		__u64 : 64;         \
	} __attribute__((aligned(8)))

struct bpf_sock;

struct bpf_sock_ops {
	__u32 op;
	union {
		__u32 args[4];      /* optionally passed to the program (STATE_CB: old, new state) */
		__u32 reply;        /* returned by the program */
		__u32 replylong[4];
	};
	__u32 family;
	__u32 remote_ip4;   /* network byte order */
	__u32 local_ip4;    /* network byte order */
	__u32 remote_ip6[4];
	__u32 local_ip6[4];
	__u32 remote_port;  /* network byte order, in the upper 16 bits on little endian */
	__u32 local_port;   /* host byte order */
	__u32 is_fullsock;
	__u32 snd_cwnd;
	__u32 srtt_us;
	__u32 bpf_sock_ops_cb_flags;
	__u32 state;
	__u32 rtt_min;
	__u32 snd_ssthresh;
	__u32 rcv_nxt;
	__u32 snd_nxt;
	__u32 snd_una;
	__u32 mss_cache;
	__u32 ecn_flags;
	__u32 rate_delivered;
	__u32 rate_interval_us;
	__u32 packets_out;
	__u32 retrans_out;
	__u32 total_retrans;
	__u32 segs_in;
	__u32 data_segs_in;
	__u32 segs_out;
	__u32 data_segs_out;
	__u32 lost_out;
	__u32 sacked_out;
	__u32 sk_txhash;
	__u64 bytes_received;
	__u64 bytes_acked;
	__bpf_md_ptr(struct bpf_sock *, sk);
	__bpf_md_ptr(void *, skb_data);
	__bpf_md_ptr(void *, skb_data_end);
	__u32 skb_len;
	__u32 skb_tcp_flags;
	__u64 skb_hwtstamp;
};

struct bpf_sock_addr {
	__u32 user_family;
	__u32 user_ip4;     /* network byte order */
	__u32 user_ip6[4];
	__u32 user_port;    /* network byte order */
	__u32 family;
	__u32 type;
	__u32 protocol;
	__u32 msg_src_ip4;
	__u32 msg_src_ip6[4];
	__bpf_md_ptr(struct bpf_sock *, sk);
};

_Static_assert(sizeof(struct bpf_sock_ops) == 224, "bpf_sock_ops size");
_Static_assert(__builtin_offsetof(struct bpf_sock_ops, args) == 4, "bpf_sock_ops.args");
_Static_assert(__builtin_offsetof(struct bpf_sock_ops, family) == 20, "bpf_sock_ops.family");
_Static_assert(__builtin_offsetof(struct bpf_sock_ops, remote_ip4) == 24, "bpf_sock_ops.remote_ip4");
_Static_assert(__builtin_offsetof(struct bpf_sock_ops, local_ip4) == 28, "bpf_sock_ops.local_ip4");
_Static_assert(__builtin_offsetof(struct bpf_sock_ops, remote_port) == 64, "bpf_sock_ops.remote_port");
_Static_assert(__builtin_offsetof(struct bpf_sock_ops, local_port) == 68, "bpf_sock_ops.local_port");
_Static_assert(__builtin_offsetof(struct bpf_sock_ops, bpf_sock_ops_cb_flags) == 84, "bpf_sock_ops.cb_flags");
_Static_assert(__builtin_offsetof(struct bpf_sock_ops, state) == 88, "bpf_sock_ops.state");
_Static_assert(__builtin_offsetof(struct bpf_sock_ops, sk) == 184, "bpf_sock_ops.sk");
_Static_assert(__builtin_offsetof(struct bpf_sock_ops, skb_hwtstamp) == 216, "bpf_sock_ops.skb_hwtstamp");
_Static_assert(sizeof(struct bpf_sock_addr) == 72, "bpf_sock_addr size");
_Static_assert(__builtin_offsetof(struct bpf_sock_addr, user_port) == 24, "bpf_sock_addr.user_port");
_Static_assert(__builtin_offsetof(struct bpf_sock_addr, family) == 28, "bpf_sock_addr.family");
_Static_assert(__builtin_offsetof(struct bpf_sock_addr, type) == 32, "bpf_sock_addr.type");
_Static_assert(__builtin_offsetof(struct bpf_sock_addr, protocol) == 36, "bpf_sock_addr.protocol");
_Static_assert(__builtin_offsetof(struct bpf_sock_addr, sk) == 64, "bpf_sock_addr.sk");

/* enum bpf_sock_ops ops (uapi/linux/bpf.h), values checked against the BTF */
#define BPF_SOCK_OPS_TIMEOUT_INIT 1
#define BPF_SOCK_OPS_RWND_INIT 2
#define BPF_SOCK_OPS_TCP_CONNECT_CB 3           /* first thing in tcp_connect(): local port chosen */
#define BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB 4
#define BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB 5
#define BPF_SOCK_OPS_NEEDS_ECN 6
#define BPF_SOCK_OPS_STATE_CB 10                /* tcp_set_state(): args[0] old, args[1] new state */
/* bpf_sock_ops_cb_flags */
#define BPF_SOCK_OPS_STATE_CB_FLAG 4
/* bpf_setsockopt(SOL_TCP, ...) option: set tcp_sock.bpf_sock_ops_cb_flags (Linux 6.12+, commit 3882dccf48f9) */
#define TCP_BPF_SOCK_OPS_CB_FLAGS 1008
#define SOL_TCP 6
#define SOCK_STREAM 1

#define PT_REGS_PARM1(x) ((x)->di)
#define PT_REGS_PARM2(x) ((x)->si)
#define PT_REGS_PARM3(x) ((x)->dx)
#define PT_REGS_RC(x) ((x)->ax)

/* ---- constants ---------------------------------------------------------------------------- */
#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define EADDRNOTAVAIL 99

/* enum tcp_state values (include/net/tcp_states.h) */
#define TCP_ESTABLISHED 1
#define TCP_SYN_SENT 2
#define TCP_SYN_RECV 3
#define TCP_CLOSE 7
#define TCP_LISTEN 10

/* x86-64 syscall number of connect(2) */
#define PORTSEL_NR_CONNECT 42

#endif /* PORTSEL_H */
