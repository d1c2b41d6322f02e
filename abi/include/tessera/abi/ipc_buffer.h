/* Tessera ABI: the IPC buffer, the one page-resident structure kernel and thread share for
 * message registers beyond the four in CPU registers and for capability transfer
 * (seL4 Reference Manual, "IPC Buffer"; libsel4 shared_types.h). */
#pragma once

#include <tessera/abi/base.h>
#include <tessera/abi/message_info.h>

enum {
    seL4_IPCBufferSizeBits = 10,
    /* MR0..MR3 travel in r10, r8, r9, r15 on x86_64 (libsel4 sel4_arch/constants.h). */
    seL4_FastMessageRegisters = 4,
};

/* 1024 bytes, aligned to its size so it never straddles a page. */
typedef struct seL4_IPCBuffer_ {
    seL4_MessageInfo_t tag;
    seL4_Word msg[seL4_MsgMaxLength];
    seL4_Word userData;
    seL4_Word caps_or_badges[seL4_MsgMaxExtraCaps];
    seL4_CPtr receiveCNode;
    seL4_CPtr receiveIndex;
    seL4_Word receiveDepth;
} __attribute__((__aligned__(1024))) seL4_IPCBuffer;

TESSERA_ABI_ASSERT(sizeof(seL4_IPCBuffer) == (1u << seL4_IPCBufferSizeBits), "IPC buffer 1 KiB");
TESSERA_ABI_ASSERT(TESSERA_ABI_OFFSETOF(seL4_IPCBuffer, tag) == 0, "tag at 0");
TESSERA_ABI_ASSERT(TESSERA_ABI_OFFSETOF(seL4_IPCBuffer, msg) == 8, "msg at 8");
TESSERA_ABI_ASSERT(TESSERA_ABI_OFFSETOF(seL4_IPCBuffer, userData) == 968, "userData at 968");
TESSERA_ABI_ASSERT(TESSERA_ABI_OFFSETOF(seL4_IPCBuffer, caps_or_badges) == 976, "caps at 976");
TESSERA_ABI_ASSERT(TESSERA_ABI_OFFSETOF(seL4_IPCBuffer, receiveCNode) == 1000, "recv at 1000");
TESSERA_ABI_ASSERT(TESSERA_ABI_OFFSETOF(seL4_IPCBuffer, receiveDepth) == 1016, "depth at 1016");
