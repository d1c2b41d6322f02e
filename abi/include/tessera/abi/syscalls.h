/* Tessera ABI: system call numbers (the value placed in rdx before `syscall`).
 * Numbers follow libsel4's syscall.xml as its generator assigns them for the non-MCS API. */
#pragma once

#include <tessera/abi/base.h>

/* seL4's generator (tools/syscall_header_gen.py) counts down from -1 across the API list and
 * then every debug/benchmark entry, whether or not that entry's config is enabled. So a number
 * never depends on the configuration; only whether the kernel accepts it does. */
typedef enum {
    seL4_SysCall = -1,
    seL4_SysReplyRecv = -2,
    seL4_SysSend = -3,
    seL4_SysNBSend = -4,
    seL4_SysRecv = -5,
    seL4_SysReply = -6,
    seL4_SysYield = -7,
    seL4_SysNBRecv = -8,
    /* CONFIG_PRINTING */
    seL4_SysDebugPutChar = -9,
    seL4_SysDebugDumpScheduler = -10,
    /* CONFIG_DEBUG_BUILD */
    seL4_SysDebugHalt = -11,
    seL4_SysDebugCapIdentify = -12,
    seL4_SysDebugSnapshot = -13,
    seL4_SysDebugNameThread = -14,
    /* CONFIG_DEBUG_BUILD && CONFIG_ENABLE_SMP_SUPPORT. DebugGetThreadAffinity arrived after
     * DebugSendIPI in the pinned seL4 (1326364b) and moved every later number down by one. */
    seL4_SysDebugSendIPI = -15,
    seL4_SysDebugGetThreadAffinity = -16,
    /* CONFIG_DANGEROUS_CODE_INJECTION */
    seL4_SysDebugRun = -17,
    /* CONFIG_ENABLE_BENCHMARKS */
    seL4_SysBenchmarkFlushCaches = -18,
    seL4_SysBenchmarkResetLog = -19,
    seL4_SysBenchmarkFinalizeLog = -20,
    seL4_SysBenchmarkSetLogBuffer = -21,
    seL4_SysBenchmarkNullSyscall = -22,
    /* CONFIG_BENCHMARK_TRACK_UTILISATION */
    seL4_SysBenchmarkGetThreadUtilisation = -23,
    seL4_SysBenchmarkResetThreadUtilisation = -24,
    /* CONFIG_DEBUG_BUILD && CONFIG_BENCHMARK_TRACK_UTILISATION */
    seL4_SysBenchmarkDumpAllThreadsUtilisation = -25,
    seL4_SysBenchmarkResetAllThreadsUtilisation = -26,
    /* CONFIG_KERNEL_X86_DANGEROUS_MSR */
    seL4_SysX86DangerousWRMSR = -27,
    seL4_SysX86DangerousRDMSR = -28,
    /* CONFIG_VTX */
    seL4_SysVMEnter = -29,
    /* CONFIG_SET_TLS_BASE_SELF */
    seL4_SysSetTLSBase = -30,
    TESSERA_ABI_FORCE_WORD_ENUM(seL4_Syscall_ID),
} seL4_Syscall_ID;

/* The API system calls form one contiguous range, so the kernel's "is this a real system call"
 * test is a range check; everything below it goes to the unknown-syscall path. */
/* Tessera-only debug system call, in a number seL4 does not use: ends the system with an exit
 * status (QEMU's isa-debug-exit), so that a test's root task can fail QEMU itself. On seL4 it is
 * an unknown system call; the runtime uses it only for a non-zero status, after printing it. */
enum {
    TESSERA_SysDebugExit = -64,
    /* Tessera-only: a byte the kernel console has received, in rdi, or all ones when none is
     * waiting (never blocks). seL4 has no debug input; on seL4 this is an unknown system call. */
    TESSERA_SysDebugGetChar = -65,
    /* Tessera-only (issue 10): runs the kernel invariant checker; 0 in the first message
     * register when every invariant holds, 1 otherwise (the kernel prints the first broken one).
     * On seL4 this is an unknown system call. */
    TESSERA_SysDebugCheckInvariants = -66,
};

enum {
    TESSERA_SYSCALL_API_MAX = -1,
    TESSERA_SYSCALL_API_MIN = -8,
    TESSERA_SYSCALL_MIN = -30,
};
