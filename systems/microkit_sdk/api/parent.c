/* A parent and its two children: faulter's faults are answered (resume after an invalid
 * opcode, restart after a page fault), nofpu's first FPU instruction faults (fpu="false").
 * It also uses the capabilities its <cspace> gave it. */
#include <stdint.h>
#include <microkit.h>

#include "check.h"

#define TALLY 0
#define SLEEPER 3
#define FAULTER 4

/* seL4's capability tags as seL4_DebugCapIdentify reports them (x86_64). */
#define CAP_NULL 0
#define CAP_THREAD 12
#define CAP_PML4 9

/* x86 exception numbers. */
#define INVALID_OPCODE 6
#define NO_FPU 7

uint64_t faulter_id, nofpu_id; /* setvar_id of the children */

static unsigned int events;

static void event_done(void)
{
    if (++events == 5)
        report(TALLY);
}

void init(void)
{
    check("children_ids", faulter_id == 1 && nofpu_id == 2);
    const seL4_CPtr sleeper_tcb = microkit_cspace_root_slot_to_cptr(1);
    check("cspace.cap_tcb", seL4_DebugCapIdentify(sleeper_tcb) == CAP_THREAD);
    check("cspace.cap_vspace", seL4_DebugCapIdentify(microkit_cspace_root_slot_to_cptr(2)) == CAP_PML4);
    check("cspace.cap_sc_empty_without_mcs",
          seL4_DebugCapIdentify(microkit_cspace_root_slot_to_cptr(3)) == CAP_NULL);
    check("cspace.slot_range", microkit_cspace_root_slot_to_cptr(0) == seL4_CapNull &&
                                   microkit_cspace_root_slot_to_cptr(PD_ROOT_CAP_SIZE) == seL4_CapNull);
    /* The sleeper, suspended, misses this notification's wake-up until it is resumed. */
    check("cspace.suspend", seL4_TCB_Suspend(sleeper_tcb) == seL4_NoError);
    microkit_notify(SLEEPER);
    check("cspace.resume", seL4_TCB_Resume(sleeper_tcb) == seL4_NoError);
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    const seL4_Word label = microkit_msginfo_get_label(msginfo);
    if (child == faulter_id && label == seL4_Fault_UserException) {
        check("fault.user_exception", microkit_mr_get(seL4_UserException_Number) == INVALID_OPCODE);
        /* The reply writes the registers back: resume after the two-byte ud2. */
        const seL4_Word ip = microkit_mr_get(seL4_UserException_FaultIP);
        const seL4_Word sp = microkit_mr_get(seL4_UserException_SP);
        const seL4_Word flags = microkit_mr_get(seL4_UserException_FLAGS);
        microkit_mr_set(0, ip + 2);
        microkit_mr_set(1, sp);
        microkit_mr_set(2, flags);
        *reply_msginfo = microkit_msginfo_new(0, 3);
        event_done();
        return seL4_True;
    }
    if (child == faulter_id && label == seL4_Fault_VMFault) {
        check("fault.vm_fault_address", microkit_mr_get(seL4_VMFault_Addr) == 0x10);
        /* No reply: the child stays blocked until it is restarted afresh. */
        microkit_pd_restart(child, 0x200000);
        event_done();
        return seL4_False;
    }
    if (child == nofpu_id) {
        check("fault.fpu_disabled", label == seL4_Fault_UserException &&
                                        microkit_mr_get(seL4_UserException_Number) == NO_FPU);
        microkit_pd_stop(child);
        event_done();
        return seL4_False;
    }
    check("fault.unexpected", 0);
    return seL4_False;
}

void notified(microkit_channel ch)
{
    if (ch == FAULTER) {
        check("restart.child_ran_again", 1);
        microkit_pd_stop(faulter_id);
        event_done();
    } else if (ch == SLEEPER) {
        check("cspace.sleeper_answered", 1);
        event_done();
    } else {
        check("notified.unexpected", 0);
    }
}
