/* libsel4-compatible system calls (non-MCS): the x86_64 calls plus Wait and Poll, which on
 * non-MCS seL4 are Recv and NBRecv on a notification. */
#pragma once

#include <sel4/arch/syscalls.h>

LIBSEL4_INLINE_FUNC void seL4_Wait(seL4_CPtr src, seL4_Word* sender)
{
    (void)seL4_Recv(src, sender);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word* sender)
{
    return seL4_NBRecv(src, sender);
}
