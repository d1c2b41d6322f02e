/* A root task that uses libsel4's names only (plus standard C's printf), as a program written for
 * seL4 would: BootInfo from seL4_GetBootInfo, objects from Untyped_Retype, a thread made with the
 * TCB invocations, Call/ReplyRecv, a notification, and a fault handled through seL4_Fault_*. It is
 * the proof that the API compiles and runs such a program unchanged (issue 7). */
#include <sel4/sel4.h>
#include <stdio.h>

static seL4_CPtr endpoint;
static unsigned char server_stack[8192] __attribute__((aligned(16)));
static int passed, failed;

static void check(const char* name, int ok)
{
    printf("%s: %s\n", name, ok ? "pass" : "FAIL");
    if (ok)
        passed++;
    else
        failed++;
}

/* Register-only messages: the thread has no IPC buffer and no TLS of its own. */
static void server(void)
{
    seL4_Word badge = 0, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    seL4_MessageInfo_t info = seL4_RecvWithMRs(endpoint, &badge, &m0, &m1, &m2, &m3);
    for (;;) {
        m0 = m0 * 2 + badge;
        info = seL4_ReplyRecvWithMRs(endpoint, seL4_MessageInfo_new(seL4_MessageInfo_get_label(info), 0, 0, 1),
                                     &badge, &m0, &m1, &m2, &m3);
    }
}

int main(void)
{
    seL4_BootInfo* bi = seL4_GetBootInfo();
    seL4_CPtr untyped = seL4_CapNull;
    for (seL4_CPtr u = bi->untyped.start; u < bi->untyped.end && untyped == seL4_CapNull; u++) {
        const seL4_UntypedDesc* d = &bi->untypedList[u - bi->untyped.start];
        if (!d->isDevice && d->sizeBits >= seL4_TCBBits + 2)
            untyped = u;
    }
    const seL4_CPtr ep = bi->empty.start, badged = ep + 1, tcb = ep + 2, fault_ep = ep + 3;
    seL4_Error e = seL4_Untyped_Retype(untyped, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, ep, 1);
    if (e == seL4_NoError)
        e = seL4_Untyped_Retype(untyped, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, tcb, 1);
    if (e == seL4_NoError)
        e = seL4_Untyped_Retype(untyped, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, fault_ep, 1);
    if (e == seL4_NoError)
        e = seL4_CNode_Mint(seL4_CapInitThreadCNode, badged, seL4_WordBits, seL4_CapInitThreadCNode, ep,
                            seL4_WordBits, seL4_AllRights, 5);
    check("sel4_only.retype_and_mint", e == seL4_NoError);
    endpoint = ep;

    if (e == seL4_NoError)
        e = seL4_TCB_Configure(tcb, fault_ep, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, 0, seL4_CapNull);
    if (e == seL4_NoError)
        e = seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 200);
    seL4_UserContext regs = {0};
    regs.rip = (seL4_Word)server;
    regs.rsp = (seL4_Word)(server_stack + sizeof(server_stack)) - 8;
    regs.rflags = 0x202;
    if (e == seL4_NoError)
        e = seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    check("sel4_only.thread_started", e == seL4_NoError);

    seL4_Word m0 = 21, m1 = 0, m2 = 0, m3 = 0;
    seL4_MessageInfo_t reply = seL4_CallWithMRs(badged, seL4_MessageInfo_new(9, 0, 0, 1), &m0, &m1, &m2, &m3);
    check("sel4_only.call_with_badge", seL4_MessageInfo_get_label(reply) == 9 && m0 == 21 * 2 + 5);

    /* A stopped thread's registers, then a fault: point it at address 0 and take the VM fault. */
    e = seL4_TCB_Suspend(tcb);
    regs.rip = 0;
    if (e == seL4_NoError)
        e = seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    seL4_Word badge = 0;
    seL4_MessageInfo_t fault = seL4_Recv(fault_ep, &badge);
    check("sel4_only.vm_fault_to_handler", e == seL4_NoError && seL4_isVMFault_tag(fault) &&
                                               seL4_GetMR(seL4_VMFault_IP) == 0 &&
                                               seL4_GetMR(seL4_VMFault_PrefetchFault) == 1);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
