/* libsel4 compatibility: access to the calling thread's IPC buffer (message registers, caps,
 * receive path). The buffer's address lives in a thread-local variable, as in libsel4; each
 * thread's runtime sets it with seL4_SetIPCBuffer before its first system call. */
#pragma once

#include <sel4/types.h>

extern __thread seL4_IPCBuffer* __sel4_ipc_buffer;

LIBSEL4_INLINE_FUNC void seL4_SetIPCBuffer(seL4_IPCBuffer* ipc_buffer)
{
    __sel4_ipc_buffer = ipc_buffer;
}

LIBSEL4_INLINE_FUNC seL4_IPCBuffer* seL4_GetIPCBuffer(void)
{
    return __sel4_ipc_buffer;
}

LIBSEL4_INLINE_FUNC seL4_Word seL4_GetMR(int i)
{
    return seL4_GetIPCBuffer()->msg[i];
}

LIBSEL4_INLINE_FUNC void seL4_SetMR(int i, seL4_Word mr)
{
    seL4_GetIPCBuffer()->msg[i] = mr;
}

LIBSEL4_INLINE_FUNC seL4_Word seL4_GetUserData(void)
{
    return seL4_GetIPCBuffer()->userData;
}

LIBSEL4_INLINE_FUNC void seL4_SetUserData(seL4_Word data)
{
    seL4_GetIPCBuffer()->userData = data;
}

LIBSEL4_INLINE_FUNC seL4_Word seL4_GetBadge(int i)
{
    return seL4_GetIPCBuffer()->caps_or_badges[i];
}

LIBSEL4_INLINE_FUNC seL4_CPtr seL4_GetCap(int i)
{
    return (seL4_CPtr)seL4_GetIPCBuffer()->caps_or_badges[i];
}

LIBSEL4_INLINE_FUNC void seL4_SetCap(int i, seL4_CPtr cptr)
{
    seL4_GetIPCBuffer()->caps_or_badges[i] = (seL4_Word)cptr;
}

LIBSEL4_INLINE_FUNC void seL4_GetCapReceivePath(seL4_CPtr* receiveCNode, seL4_CPtr* receiveIndex,
                                                seL4_Word* receiveDepth)
{
    seL4_IPCBuffer* ipc_buffer = seL4_GetIPCBuffer();
    if (receiveCNode != seL4_Null) {
        *receiveCNode = ipc_buffer->receiveCNode;
    }
    if (receiveIndex != seL4_Null) {
        *receiveIndex = ipc_buffer->receiveIndex;
    }
    if (receiveDepth != seL4_Null) {
        *receiveDepth = ipc_buffer->receiveDepth;
    }
}

LIBSEL4_INLINE_FUNC void seL4_SetCapReceivePath(seL4_CPtr receiveCNode, seL4_CPtr receiveIndex,
                                                seL4_Word receiveDepth)
{
    seL4_IPCBuffer* ipc_buffer = seL4_GetIPCBuffer();
    ipc_buffer->receiveCNode = receiveCNode;
    ipc_buffer->receiveIndex = receiveIndex;
    ipc_buffer->receiveDepth = receiveDepth;
}
