/* libsel4-compatible system calls for x86_64 non-MCS, built on the `syscall` primitives. MR0..MR3
 * travel in registers; the rest of the message stays in the IPC buffer. Same names, signatures
 * and register use as libsel4's sel4_arch/syscalls.h. */
#pragma once

#include <sel4/config.h>
#include <sel4/functions.h>
#include <sel4/sel4_arch/syscalls_syscall.h>
#include <sel4/types.h>

/* Loads *mr into a register argument only if the message is long enough to contain it. */
LIBSEL4_INLINE_FUNC seL4_Word tessera_mr_in(const seL4_Word* mr, seL4_MessageInfo_t info,
                                            seL4_Word index)
{
    return (mr != seL4_Null && seL4_MessageInfo_get_length(info) > index) ? *mr : 0;
}

LIBSEL4_INLINE_FUNC void tessera_mr_out(seL4_Word* mr, seL4_Word value)
{
    if (mr != seL4_Null) {
        *mr = value;
    }
}

LIBSEL4_INLINE_FUNC void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    x64_sys_send(seL4_SysSend, dest, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1),
                 seL4_GetMR(2), seL4_GetMR(3));
}

LIBSEL4_INLINE_FUNC void seL4_SendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                          seL4_Word* mr0, seL4_Word* mr1, seL4_Word* mr2,
                                          seL4_Word* mr3)
{
    x64_sys_send(seL4_SysSend, dest, msgInfo.words[0], mr0 ? *mr0 : 0, mr1 ? *mr1 : 0,
                 mr2 ? *mr2 : 0, mr3 ? *mr3 : 0);
}

LIBSEL4_INLINE_FUNC void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    x64_sys_send(seL4_SysNBSend, dest, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1),
                 seL4_GetMR(2), seL4_GetMR(3));
}

LIBSEL4_INLINE_FUNC void seL4_NBSendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                            seL4_Word* mr0, seL4_Word* mr1, seL4_Word* mr2,
                                            seL4_Word* mr3)
{
    x64_sys_send(seL4_SysNBSend, dest, msgInfo.words[0], mr0 ? *mr0 : 0, mr1 ? *mr1 : 0,
                 mr2 ? *mr2 : 0, mr3 ? *mr3 : 0);
}

LIBSEL4_INLINE_FUNC void seL4_Reply(seL4_MessageInfo_t msgInfo)
{
    x64_sys_reply(seL4_SysReply, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2),
                  seL4_GetMR(3));
}

LIBSEL4_INLINE_FUNC void seL4_ReplyWithMRs(seL4_MessageInfo_t msgInfo, seL4_Word* mr0,
                                           seL4_Word* mr1, seL4_Word* mr2, seL4_Word* mr3)
{
    x64_sys_reply(seL4_SysReply, msgInfo.words[0], mr0 ? *mr0 : 0, mr1 ? *mr1 : 0,
                  mr2 ? *mr2 : 0, mr3 ? *mr3 : 0);
}

/* A notification signal is a Send of a one-word empty message. */
LIBSEL4_INLINE_FUNC void seL4_Signal(seL4_CPtr dest)
{
    x64_sys_send_null(seL4_SysSend, dest, seL4_MessageInfo_new(0, 0, 0, 1).words[0]);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t tessera_recv(seL4_Word sys, seL4_CPtr src,
                                                    seL4_Word* sender)
{
    seL4_MessageInfo_t info;
    seL4_Word badge;
    seL4_Word mr0;
    seL4_Word mr1;
    seL4_Word mr2;
    seL4_Word mr3;
    x64_sys_recv(sys, src, &badge, &info.words[0], &mr0, &mr1, &mr2, &mr3);
    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);
    tessera_mr_out(sender, badge);
    return info;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word* sender)
{
    return tessera_recv((seL4_Word)seL4_SysRecv, src, sender);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word* sender)
{
    return tessera_recv((seL4_Word)seL4_SysNBRecv, src, sender);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_RecvWithMRs(seL4_CPtr src, seL4_Word* sender,
                                                        seL4_Word* mr0, seL4_Word* mr1,
                                                        seL4_Word* mr2, seL4_Word* mr3)
{
    seL4_MessageInfo_t info;
    seL4_Word badge;
    seL4_Word msg0;
    seL4_Word msg1;
    seL4_Word msg2;
    seL4_Word msg3;
    x64_sys_recv(seL4_SysRecv, src, &badge, &info.words[0], &msg0, &msg1, &msg2, &msg3);
    tessera_mr_out(mr0, msg0);
    tessera_mr_out(mr1, msg1);
    tessera_mr_out(mr2, msg2);
    tessera_mr_out(mr3, msg3);
    tessera_mr_out(sender, badge);
    return info;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_MessageInfo_t info;
    seL4_Word mr0 = seL4_GetMR(0);
    seL4_Word mr1 = seL4_GetMR(1);
    seL4_Word mr2 = seL4_GetMR(2);
    seL4_Word mr3 = seL4_GetMR(3);
    x64_sys_send_recv(seL4_SysCall, dest, &dest, msgInfo.words[0], &info.words[0], &mr0, &mr1,
                      &mr2, &mr3);
    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);
    return info;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                        seL4_Word* mr0, seL4_Word* mr1,
                                                        seL4_Word* mr2, seL4_Word* mr3)
{
    seL4_MessageInfo_t info;
    seL4_Word msg0 = tessera_mr_in(mr0, msgInfo, 0);
    seL4_Word msg1 = tessera_mr_in(mr1, msgInfo, 1);
    seL4_Word msg2 = tessera_mr_in(mr2, msgInfo, 2);
    seL4_Word msg3 = tessera_mr_in(mr3, msgInfo, 3);
    x64_sys_send_recv(seL4_SysCall, dest, &dest, msgInfo.words[0], &info.words[0], &msg0, &msg1,
                      &msg2, &msg3);
    tessera_mr_out(mr0, msg0);
    tessera_mr_out(mr1, msg1);
    tessera_mr_out(mr2, msg2);
    tessera_mr_out(mr3, msg3);
    return info;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                      seL4_Word* sender)
{
    seL4_MessageInfo_t info;
    seL4_Word badge;
    seL4_Word mr0 = seL4_GetMR(0);
    seL4_Word mr1 = seL4_GetMR(1);
    seL4_Word mr2 = seL4_GetMR(2);
    seL4_Word mr3 = seL4_GetMR(3);
    x64_sys_send_recv(seL4_SysReplyRecv, dest, &badge, msgInfo.words[0], &info.words[0], &mr0,
                      &mr1, &mr2, &mr3);
    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);
    tessera_mr_out(sender, badge);
    return info;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_ReplyRecvWithMRs(seL4_CPtr dest,
                                                             seL4_MessageInfo_t msgInfo,
                                                             seL4_Word* sender, seL4_Word* mr0,
                                                             seL4_Word* mr1, seL4_Word* mr2,
                                                             seL4_Word* mr3)
{
    seL4_MessageInfo_t info;
    seL4_Word badge;
    seL4_Word msg0 = tessera_mr_in(mr0, msgInfo, 0);
    seL4_Word msg1 = tessera_mr_in(mr1, msgInfo, 1);
    seL4_Word msg2 = tessera_mr_in(mr2, msgInfo, 2);
    seL4_Word msg3 = tessera_mr_in(mr3, msgInfo, 3);
    x64_sys_send_recv(seL4_SysReplyRecv, dest, &badge, msgInfo.words[0], &info.words[0], &msg0,
                      &msg1, &msg2, &msg3);
    tessera_mr_out(mr0, msg0);
    tessera_mr_out(mr1, msg1);
    tessera_mr_out(mr2, msg2);
    tessera_mr_out(mr3, msg3);
    tessera_mr_out(sender, badge);
    return info;
}

LIBSEL4_INLINE_FUNC void seL4_Yield(void)
{
    x64_sys_null(seL4_SysYield);
}

/* Debug calls, declared per configuration as seL4's libsel4 declares them: CONFIG_PRINTING for
 * the console, CONFIG_DEBUG_BUILD for the rest. Tessera's debug kernel (build/kernel/tessera.elf)
 * answers every call declared here; its release kernel answers none of them, and a call there is
 * an UnknownSyscall fault, as on seL4's release build (docs/abi.md, "Debug and release kernels").
 * seL4_DebugDumpScheduler and the benchmark log and utilisation calls are not declared: Tessera's
 * kernels implement none of them. The numbers (abi/syscalls.h) never change. */
#if defined(CONFIG_PRINTING) || defined(CONFIG_DEBUG_BUILD)
LIBSEL4_INLINE_FUNC seL4_Word tessera_debug_call(seL4_Word sys, seL4_Word argument)
{
    seL4_Word info = 0;
    seL4_Word mr0 = 0;
    seL4_Word mr1 = 0;
    seL4_Word mr2 = 0;
    seL4_Word mr3 = 0;
    x64_sys_send_recv(sys, argument, &argument, 0, &info, &mr0, &mr1, &mr2, &mr3);
    return argument;
}
#endif

#ifdef CONFIG_PRINTING
LIBSEL4_INLINE_FUNC void seL4_DebugPutChar(char c)
{
    (void)tessera_debug_call((seL4_Word)seL4_SysDebugPutChar, (seL4_Word)(unsigned char)c);
}

LIBSEL4_INLINE_FUNC void seL4_DebugPutString(char* str)
{
    for (char* s = str; *s; s++) {
        seL4_DebugPutChar(*s);
    }
}

#endif /* CONFIG_PRINTING */

#ifdef CONFIG_DEBUG_BUILD
LIBSEL4_INLINE_FUNC void seL4_DebugHalt(void)
{
    x64_sys_null(seL4_SysDebugHalt);
}

/* Tessera-only (abi/syscalls.h): ends the system with `status`; rdi = status. */
LIBSEL4_INLINE_FUNC void tessera_DebugExit(seL4_Word status)
{
    x64_sys_send_null(TESSERA_SysDebugExit, status, 0);
}

/* Tessera-only (abi/syscalls.h): a byte the kernel console received, or -1 when none is waiting. */
LIBSEL4_INLINE_FUNC int tessera_DebugGetChar(void)
{
    return (int)(seL4_Int64)tessera_debug_call((seL4_Word)TESSERA_SysDebugGetChar, 0);
}

/* Tessera-only (abi/syscalls.h): the kernel invariant checker; 0 when every invariant holds,
 * nonzero otherwise (the kernel prints the first broken invariant on its console). */
LIBSEL4_INLINE_FUNC seL4_Word tessera_DebugCheckInvariants(void)
{
    seL4_Word badge = 0, info = 0, mr[4] = {0, 0, 0, 0};
    x64_sys_send_recv((seL4_Word)TESSERA_SysDebugCheckInvariants, 0, &badge, 0, &info, &mr[0], &mr[1], &mr[2],
                      &mr[3]);
    return mr[0];
}

LIBSEL4_INLINE_FUNC void seL4_DebugSnapshot(void)
{
    x64_sys_null(seL4_SysDebugSnapshot);
}

/* Returns the capability type tag of `cap` (0 for a null or invalid slot). */
LIBSEL4_INLINE_FUNC seL4_Uint32 seL4_DebugCapIdentify(seL4_CPtr cap)
{
    return (seL4_Uint32)tessera_debug_call((seL4_Word)seL4_SysDebugCapIdentify, cap);
}

/* The name travels as a NUL-terminated string at the start of the IPC buffer's msg array. */
LIBSEL4_INLINE_FUNC void seL4_DebugNameThread(seL4_CPtr tcb, const char* name)
{
    char* dest = (char*)seL4_GetIPCBuffer()->msg;
    seL4_Word limit = sizeof(seL4_GetIPCBuffer()->msg) - 1;
    seL4_Word i = 0;
    for (; i < limit && name[i] != '\0'; ++i) {
        dest[i] = name[i];
    }
    dest[i] = '\0';
    (void)tessera_debug_call((seL4_Word)seL4_SysDebugNameThread, tcb);
}

/* seL4 declares it with CONFIG_ENABLE_BENCHMARKS; Tessera's debug kernel answers it (it does
 * nothing: `make bench` times kernel entry and exit with it) and no other benchmark call. */
LIBSEL4_INLINE_FUNC void seL4_BenchmarkNullSyscall(void)
{
    x64_sys_null(seL4_SysBenchmarkNullSyscall);
}
#endif /* CONFIG_DEBUG_BUILD */

/* CONFIG_SET_TLS_BASE_SELF: a thread sets its own TLS base (FS base on x86_64); rdi = base. */
LIBSEL4_INLINE_FUNC void seL4_SetTLSBase(seL4_Word tls_base)
{
    x64_sys_send_null(seL4_SysSetTLSBase, tls_base, 0);
}

