/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * portsel.h — the project's own self-contained BPF header.
 *
 * Builds with nothing but clang-14 (`-target bpf -O2 -g -nostdinc`): no libbpf-dev, no vmlinux.h.
 * Contents: integer typedefs, SEC(), BTF-defined map macros, helper declarations with the UAPI
 * helper ids (checked against `enum bpf_func_id` in /sys/kernel/btf/vmlinux of Linux 6.18.44),
 * BPF_PROG-style argument access for tp_btf/fentry (ctx is an array of u64), PT_REGS_PARM for
 * kprobes, a minimal subset of kernel structs relocated by CO-RE (preserve_access_index), and the
 * UAPI context structs of the cgroup programs (struct bpf_sock_addr, struct __sk_buff, struct
 * bpf_sock: fixed layouts the verifier rewrites, NOT relocated; offsets checked against the same BTF).
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
/* cgroup programs: ctx is struct bpf_sock_addr (cgroup/connect4), struct __sk_buff (cgroup_skb) or
 * struct bpf_sock (cgroup/sock_release); the cookie identifies the socket (generated on first use) */
static u64 (*const bpf_get_socket_cookie)(void *ctx) = (void *)46;

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
 * exact UAPI layout. Checked against /sys/kernel/btf/vmlinux of 6.18.44 (struct bpf_sock_addr:
 * size 72, user_ip4 4, user_port 24, type 32, protocol 36, sk 64; struct __sk_buff: size 192,
 * family 88, remote_ip4 92, local_ip4 96, remote_port 132, local_port 136, sk 168; struct
 * bpf_sock: size 80, protocol 12, src_ip4 24, src_port 44, dst_port 48, dst_ip4 52, state 72) and
 * asserted below. */
#define __bpf_md_ptr(type, name) \
	union {                     \
		type name;          \
		__u64 : 64;         \
	} __attribute__((aligned(8)))

struct bpf_sock {
	__u32 bound_dev_if;
	__u32 family;
	__u32 type;
	__u32 protocol;
	__u32 mark;
	__u32 priority;
	__u32 src_ip4;      /* network byte order */
	__u32 src_ip6[4];
	__u32 src_port;     /* host byte order */
	__be16 dst_port;    /* network byte order */
	__u16 : 16;
	__u32 dst_ip4;      /* network byte order */
	__u32 dst_ip6[4];
	__u32 state;
	__s32 rx_queue_mapping;
};

struct __sk_buff {
	__u32 len;
	__u32 pkt_type;
	__u32 mark;
	__u32 queue_mapping;
	__u32 protocol;
	__u32 vlan_present;
	__u32 vlan_tci;
	__u32 vlan_proto;
	__u32 priority;
	__u32 ingress_ifindex;
	__u32 ifindex;
	__u32 tc_index;
	__u32 cb[5];
	__u32 hash;
	__u32 tc_classid;
	__u32 data;
	__u32 data_end;
	__u32 napi_id;
	__u32 family;
	__u32 remote_ip4;   /* network byte order */
	__u32 local_ip4;    /* network byte order */
	__u32 remote_ip6[4];
	__u32 local_ip6[4];
	__u32 remote_port;  /* network byte order, in the upper 16 bits on little endian */
	__u32 local_port;   /* host byte order */
	__u32 data_meta;
	__bpf_md_ptr(void *, flow_keys);
	__u64 tstamp;
	__u32 wire_len;
	__u32 gso_segs;
	__bpf_md_ptr(struct bpf_sock *, sk);
	__u32 gso_size;
	__u8 tstamp_type;
	__u32 : 24;
	__u64 hwtstamp;
};

struct bpf_sock_addr {
	__u32 user_family;
	__u32 user_ip4;     /* network byte order */
	__u32 user_ip6[4];
	__u32 user_port;    /* network byte order, in the low 16 bits */
	__u32 family;
	__u32 type;
	__u32 protocol;
	__u32 msg_src_ip4;
	__u32 msg_src_ip6[4];
	__bpf_md_ptr(struct bpf_sock *, sk);
};

_Static_assert(sizeof(struct bpf_sock) == 80, "bpf_sock size");
_Static_assert(__builtin_offsetof(struct bpf_sock, protocol) == 12, "bpf_sock.protocol");
_Static_assert(__builtin_offsetof(struct bpf_sock, src_ip4) == 24, "bpf_sock.src_ip4");
_Static_assert(__builtin_offsetof(struct bpf_sock, src_port) == 44, "bpf_sock.src_port");
_Static_assert(__builtin_offsetof(struct bpf_sock, dst_port) == 48, "bpf_sock.dst_port");
_Static_assert(__builtin_offsetof(struct bpf_sock, dst_ip4) == 52, "bpf_sock.dst_ip4");
_Static_assert(__builtin_offsetof(struct bpf_sock, state) == 72, "bpf_sock.state");
_Static_assert(sizeof(struct __sk_buff) == 192, "__sk_buff size");
_Static_assert(__builtin_offsetof(struct __sk_buff, family) == 88, "__sk_buff.family");
_Static_assert(__builtin_offsetof(struct __sk_buff, remote_ip4) == 92, "__sk_buff.remote_ip4");
_Static_assert(__builtin_offsetof(struct __sk_buff, local_ip4) == 96, "__sk_buff.local_ip4");
_Static_assert(__builtin_offsetof(struct __sk_buff, remote_port) == 132, "__sk_buff.remote_port");
_Static_assert(__builtin_offsetof(struct __sk_buff, local_port) == 136, "__sk_buff.local_port");
_Static_assert(__builtin_offsetof(struct __sk_buff, sk) == 168, "__sk_buff.sk");
_Static_assert(__builtin_offsetof(struct __sk_buff, hwtstamp) == 184, "__sk_buff.hwtstamp");
_Static_assert(sizeof(struct bpf_sock_addr) == 72, "bpf_sock_addr size");
_Static_assert(__builtin_offsetof(struct bpf_sock_addr, user_ip4) == 4, "bpf_sock_addr.user_ip4");
_Static_assert(__builtin_offsetof(struct bpf_sock_addr, user_port) == 24, "bpf_sock_addr.user_port");
_Static_assert(__builtin_offsetof(struct bpf_sock_addr, type) == 32, "bpf_sock_addr.type");
_Static_assert(__builtin_offsetof(struct bpf_sock_addr, protocol) == 36, "bpf_sock_addr.protocol");
_Static_assert(__builtin_offsetof(struct bpf_sock_addr, sk) == 64, "bpf_sock_addr.sk");

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
