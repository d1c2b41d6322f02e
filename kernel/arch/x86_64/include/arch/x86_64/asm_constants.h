/* Numbers that assembly and C++ must agree on: segment selectors, the per-CPU block's layout and
 * the saved-register frame. The C++ side checks each against offsetof()/sizeof() with
 * static_assert (cpu_local.h, context.h), so a change on one side cannot silently break the other. */
#pragma once

/* GDT selectors. SYSRET takes user SS = STAR[63:48] + 8 and user CS = STAR[63:48] + 16, so the user
 * data descriptor must sit directly below the 64-bit user code descriptor. */
#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_BASE   0x18 /* 32-bit user code slot, unused; anchors SYSRET's arithmetic */
#define GDT_USER_DATA   0x20
#define GDT_USER_CODE   0x28
#define GDT_TSS         0x30
#define GDT_ENTRIES     8    /* null, kcode, kdata, ucode32, udata, ucode64, tss (2 slots) */

/* Per-CPU block, reached through GS while in the kernel (KERNEL_GS_BASE while in user mode). */
#define CPU_SELF              0x00 /* pointer to this block */
#define CPU_KERNEL_STACK_TOP  0x08 /* top of this CPU's kernel stack */
#define CPU_CURRENT_CONTEXT   0x10 /* saved-register frame of the thread that runs here */
#define CPU_SYSCALL_USER_RSP  0x18 /* the user rsp at the last `syscall` (foreign threads) */

/* Saved-register frame, in words from the lowest address. The top five are what the CPU pushes
 * on an interrupt from user mode; `syscall` entry builds the same frame by hand. */
#define FRAME_R15     0
#define FRAME_R14     1
#define FRAME_R13     2
#define FRAME_R12     3
#define FRAME_R11     4
#define FRAME_R10     5
#define FRAME_R9      6
#define FRAME_R8      7
#define FRAME_RBP     8
#define FRAME_RDI     9
#define FRAME_RSI     10
#define FRAME_RDX     11
#define FRAME_RCX     12
#define FRAME_RBX     13
#define FRAME_RAX     14
#define FRAME_VECTOR  15
#define FRAME_ERROR   16
#define FRAME_RIP     17
#define FRAME_CS      18
#define FRAME_RFLAGS  19
#define FRAME_RSP     20
#define FRAME_SS      21
#define FRAME_WORDS   22

/* The thread's fault IP plus the length of `syscall` (ArchTcb::fault_ip_plus_2), in bytes from
 * its context (the frame's base and the CPU's current context): after the frame and the two TLS
 * bases. */
#define CONTEXT_FAULT_IP_PLUS_2 ((FRAME_WORDS + 2) * 8)
#define SYSCALL_INSTRUCTION_LENGTH 2

/* FRAME_VECTOR value meaning "entered by syscall": the exit path may use sysret. */
#define VECTOR_SYSCALL 0x100

/* What the `syscall` entry checks before it takes the flat fastpaths: the system calls
 * (abi/syscalls.h) and the message info's extraCaps bits (abi/message_info.h). The fastpath's
 * C++ side checks them against the ABI headers (syscall/fastpath_entry.cc). */
#define SYSCALL_CALL            (-1)
#define SYSCALL_REPLY_RECV      (-2)
#define SYSCALL_SEND            (-3)
#define SYSCALL_RECV            (-5)
#define MSGINFO_EXTRA_CAPS_MASK 0x180
#define MSGINFO_LENGTH_MASK     0x7f
#define MSG_MAX_LENGTH          120  /* seL4_MsgMaxLength */
