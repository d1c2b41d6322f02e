/* Tessera ABI: a thread's user-visible registers as TCB_ReadRegisters/WriteRegisters/
 * CopyRegisters see them, x86_64 order (libsel4 sel4_arch/types.h). */
#pragma once

#include <tessera/abi/base.h>

/* The first ten are the "frame" registers, the rest the "integer" (gp) registers: CopyRegisters
 * transfers each group on request. */
typedef struct seL4_UserContext_ {
    seL4_Word rip, rsp, rflags, rax, rbx, rcx, rdx, rsi, rdi, rbp;
    seL4_Word r8, r9, r10, r11, r12, r13, r14, r15;
    seL4_Word fs_base, gs_base;
} seL4_UserContext;

enum {
    TESSERA_USER_CONTEXT_WORDS = 20,
    TESSERA_USER_CONTEXT_FRAME_WORDS = 10,
};

TESSERA_ABI_ASSERT(sizeof(seL4_UserContext) == TESSERA_USER_CONTEXT_WORDS * sizeof(seL4_Word),
                   "user context is 20 words");
TESSERA_ABI_ASSERT(TESSERA_ABI_OFFSETOF(seL4_UserContext, r8) == 80, "r8 follows rbp");
TESSERA_ABI_ASSERT(TESSERA_ABI_OFFSETOF(seL4_UserContext, fs_base) == 144, "fs_base");
