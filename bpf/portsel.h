/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * portsel.h — the project's own self-contained BPF header.
 *
 * Builds with nothing but clang-14 (`-target bpf -O2 -g -nostdinc`): no libbpf-dev, no vmlinux.h.
 * Contents: integer typedefs, SEC(), BTF-defined map macros, helper declarations with the UAPI
 * helper ids (checked against `enum bpf_func_id` in /sys/kernel/btf/vmlinux of Linux 6.18.44),
 * BPF_PROG-style argument access for tp_btf/fentry (ctx is an array of u64), PT_REGS_PARM for
 * kprobes, and a minimal subset of kernel structs relocated by CO-RE (preserve_access_index).
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
