/* libsel4 additions for Tessera's AMD SVM VCPU (Tessera-only, abi/svm.h, docs/vmm.md): the VCPU
 * methods and seL4_VMEnter in libsel4's shape. On seL4's kernel a VCPU of this type cannot be
 * made (Untyped_Retype answers seL4_InvalidArgument), which is how a VMM finds out. */
#pragma once

#include <sel4/sel4.h>
#include <tessera/abi/svm.h>

LIBSEL4_INLINE_FUNC seL4_Error tessera_svm_vcpu_call(seL4_CPtr vcpu, seL4_Word label, seL4_Word length,
                                                     seL4_Word extra_caps, seL4_Word* mr0, seL4_Word* mr1)
{
    seL4_MessageInfo_t info = seL4_MessageInfo_new(label, 0, extra_caps, length);
    seL4_Word unused2 = 0, unused3 = 0;
    info = seL4_CallWithMRs(vcpu, info, mr0, mr1, &unused2, &unused3);
    return (seL4_Error)seL4_MessageInfo_get_label(info);
}

/* Binds `vcpu` to `tcb`: that thread's tessera_VMEnter runs it. */
LIBSEL4_INLINE_FUNC seL4_Error tessera_X86_SVMVCPU_SetTCB(seL4_CPtr vcpu, seL4_CPtr tcb)
{
    seL4_Word mr0 = 0, mr1 = 0;
    seL4_SetCap(0, tcb);
    return tessera_svm_vcpu_call(vcpu, TESSERA_X86SVMVCPUSetTCB, 0, 1, &mr0, &mr1);
}

/* Makes `pml4` (a PML4 with an ASID) the guest's physical address space. Frames mapped into it
 * with seL4_X86_Page_Map at address A are the guest's physical memory at A. */
LIBSEL4_INLINE_FUNC seL4_Error tessera_X86_SVMVCPU_SetNPT(seL4_CPtr vcpu, seL4_CPtr pml4)
{
    seL4_Word mr0 = 0, mr1 = 0;
    seL4_SetCap(0, pml4);
    return tessera_svm_vcpu_call(vcpu, TESSERA_X86SVMVCPUSetNPT, 0, 1, &mr0, &mr1);
}

typedef struct {
    int error;
    seL4_Word value;
} tessera_X86_SVMVCPU_ReadState_t;

LIBSEL4_INLINE_FUNC tessera_X86_SVMVCPU_ReadState_t tessera_X86_SVMVCPU_ReadState(seL4_CPtr vcpu,
                                                                                   seL4_Word field)
{
    seL4_Word mr0 = field, mr1 = 0;
    tessera_X86_SVMVCPU_ReadState_t result;
    result.error = tessera_svm_vcpu_call(vcpu, TESSERA_X86SVMVCPUReadState, 1, 0, &mr0, &mr1);
    result.value = result.error == seL4_NoError ? mr0 : 0;
    return result;
}

LIBSEL4_INLINE_FUNC seL4_Error tessera_X86_SVMVCPU_WriteState(seL4_CPtr vcpu, seL4_Word field,
                                                              seL4_Word value)
{
    seL4_Word mr0 = field, mr1 = value;
    return tessera_svm_vcpu_call(vcpu, TESSERA_X86SVMVCPUWriteState, 2, 0, &mr0, &mr1);
}

/* seL4_VMEnter's shape (libsel4, x86_64): the entry words in MR0..MR2 (and with
 * TESSERA_VMEnterControl_RegistersInMessage MR13..MR28 in the IPC buffer); returns
 * TESSERA_VMEnter_Exit with the exit in the message, TESSERA_VMEnter_Notification with the
 * badge in *sender, or TESSERA_VMEnter_NoGuestMemory. */
LIBSEL4_INLINE_FUNC seL4_Word tessera_VMEnter(seL4_Word* sender)
{
    seL4_Word result;
    seL4_Word badge;
    seL4_Word mr0 = seL4_GetMR(0);
    seL4_Word mr1 = seL4_GetMR(1);
    seL4_Word mr2 = seL4_GetMR(2);
    seL4_Word mr3 = seL4_GetMR(3);
    x64_sys_send_recv((seL4_Word)seL4_SysVMEnter, 0, &badge, 0, &result, &mr0, &mr1, &mr2, &mr3);
    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);
    if (result == TESSERA_VMEnter_Notification && sender) {
        *sender = badge;
    }
    return result;
}
