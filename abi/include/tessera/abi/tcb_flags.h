/* Tessera ABI: the bits of TCB_SetFlags (label 16). seL4's own flag keeps seL4's value; the
 * Tessera-only flag takes a bit seL4 does not use, which seL4's kernel drops (it masks the set
 * word with seL4_TCBFlag_MASK), so the reply's flags word tells a program which kernel it has. */
#pragma once

#include <tessera/abi/base.h>

enum {
    /* seL4's: the thread may not use the FPU; its first FPU instruction is a UserException. */
    TESSERA_TCBFlag_fpuDisabled = 0x1,
    /* Tessera only (issue 23): the thread is foreign, a program of another operating system's
     * ABI. Every `syscall` it executes is an UnknownSyscall fault to its fault handler, whatever
     * rdx holds, so no seL4, debug or Tessera-only call is reachable from it; the fault message
     * reports rsp, rcx (the next instruction) and r11 (RFLAGS) as the CPU left them, and the
     * reply restores every register it carries (docs/posix.md). */
    TESSERA_TCBFlag_foreignSyscalls = 0x100000000,
    TESSERA_TCBFlag_MASK = TESSERA_TCBFlag_fpuDisabled | TESSERA_TCBFlag_foreignSyscalls,
    TESSERA_ABI_FORCE_WORD_ENUM(tessera_tcb_flag),
};
