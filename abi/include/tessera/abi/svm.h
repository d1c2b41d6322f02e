/* Tessera ABI (Tessera-only, issue 24): the AMD SVM virtual CPU. Its object type, invocation
 * labels, the guest-state fields they name and the message seL4_VMEnter (-29) takes and gives.
 * Compiles as C11 and C++20. Design and rules: docs/vmm.md, "ABI additions".
 *
 * seL4 has no SVM support. Its VT-x API's shape is kept (a VCPU object bound to a TCB, guest
 * state read and written by invocations, seL4_VMEnter with the exit in the message registers),
 * but every number here lies above every seL4 configuration's: seL4's x86_64 configurations have
 * at most 20 object types (MCS + IOMMU + VT-x) and fewer than 100 invocation labels, so these can
 * never collide with a seL4 number, and seL4's own VT-x numbers stay out of range as libsel4
 * gives them (object_types.h). On seL4's kernel a retype of this type is an InvalidArgument and
 * seL4_VMEnter an unknown system call. */
#pragma once

#include <tessera/abi/base.h>

/* Untyped_Retype type: one VCPU, 2^TESSERA_SVMVCPUBits bytes (the VMCB in its first page, the
 * kernel's saved guest registers and FPU state in its second; seL4's x86 VCPU is 16 KiB too). */
enum {
    TESSERA_X86_SVMVCPUObject = 32,
    TESSERA_SVMVCPUBits = 14,
};

/* Invocation labels on a VCPU capability. */
enum {
    /* Binds the VCPU to the TCB in extra capability 0 (unbinding both from any earlier
     * partner): that thread's seL4_VMEnter runs this VCPU. No arguments. */
    TESSERA_X86SVMVCPUSetTCB = 256,
    /* Makes the PML4 in extra capability 0 (one with an ASID, so that the ordinary
     * Page/PageTable/PageDirectory/PDPT Map invocations fill it) the guest's physical address
     * space: its nested page table root. No arguments. */
    TESSERA_X86SVMVCPUSetNPT = 257,
    /* MR0 = field (TESSERA_SVMField); reply MR0 = its value. */
    TESSERA_X86SVMVCPUReadState = 258,
    /* MR0 = field, MR1 = value. EFER keeps SVME set whatever is written (VMRUN requires it). */
    TESSERA_X86SVMVCPUWriteState = 259,
    TESSERA_X86SVMVCPUFirstLabel = TESSERA_X86SVMVCPUSetTCB,
    TESSERA_X86SVMVCPULastLabel = TESSERA_X86SVMVCPUWriteState,
};

/* Guest state a VMM reads and writes (AMD APM vol. 2, appendix B, the VMCB state save area, plus
 * the general registers SVM leaves to software). Segment fields come in fours:
 * TESSERA_SVMField_ES + 4 * segment + part, segments in VMCB order (ES, CS, SS, DS, FS, GS,
 * LDTR, TR), parts selector, attributes (the VMCB's 12-bit packed form), limit, base. */
typedef enum {
    TESSERA_SVMField_RAX = 0,
    TESSERA_SVMField_RBX,
    TESSERA_SVMField_RCX,
    TESSERA_SVMField_RDX,
    TESSERA_SVMField_RSI,
    TESSERA_SVMField_RDI,
    TESSERA_SVMField_RBP,
    TESSERA_SVMField_R8,
    TESSERA_SVMField_R9,
    TESSERA_SVMField_R10,
    TESSERA_SVMField_R11,
    TESSERA_SVMField_R12,
    TESSERA_SVMField_R13,
    TESSERA_SVMField_R14,
    TESSERA_SVMField_R15,
    TESSERA_SVMField_RSP,
    TESSERA_SVMField_RIP,
    TESSERA_SVMField_RFLAGS,
    TESSERA_SVMField_CR0,
    TESSERA_SVMField_CR2,
    TESSERA_SVMField_CR3,
    TESSERA_SVMField_CR4,
    TESSERA_SVMField_EFER,
    TESSERA_SVMField_DR6,
    TESSERA_SVMField_DR7,
    TESSERA_SVMField_GPAT,
    TESSERA_SVMField_STAR,
    TESSERA_SVMField_LSTAR,
    TESSERA_SVMField_CSTAR,
    TESSERA_SVMField_SFMASK,
    TESSERA_SVMField_KernelGSBase,
    TESSERA_SVMField_SysenterCS,
    TESSERA_SVMField_SysenterESP,
    TESSERA_SVMField_SysenterEIP,
    TESSERA_SVMField_CPL,
    TESSERA_SVMField_GDTRBase,
    TESSERA_SVMField_GDTRLimit,
    TESSERA_SVMField_IDTRBase,
    TESSERA_SVMField_IDTRLimit,
    /* VMCB 0x60: V_TPR (7:0), V_IRQ (8), V_INTR_PRIO (19:16), V_IGN_TPR (20), V_INTR_VECTOR
     * (39:32). V_INTR_MASKING stays set: host interrupts always reach the kernel. */
    TESSERA_SVMField_VirtualInterrupt,
    /* VMCB 0x68 bit 0: the guest is in an interrupt shadow (after STI or MOV SS). */
    TESSERA_SVMField_InterruptShadow,
    TESSERA_SVMField_ES,
    TESSERA_SVMField_SegmentCount = 8,
    TESSERA_SVMField_Count = TESSERA_SVMField_ES + 4 * TESSERA_SVMField_SegmentCount,
    TESSERA_ABI_FORCE_WORD_ENUM(TESSERA_SVMField),
} TESSERA_SVMField;

enum {
    TESSERA_SVMSegment_Selector = 0,
    TESSERA_SVMSegment_Attributes = 1,
    TESSERA_SVMSegment_Limit = 2,
    TESSERA_SVMSegment_Base = 3,
    TESSERA_SVMSegment_ES = 0,
    TESSERA_SVMSegment_CS = 1,
    TESSERA_SVMSegment_SS = 2,
    TESSERA_SVMSegment_DS = 3,
    TESSERA_SVMSegment_FS = 4,
    TESSERA_SVMSegment_GS = 5,
    TESSERA_SVMSegment_LDTR = 6,
    TESSERA_SVMSegment_TR = 7,
};

/* seL4_VMEnter's message. In: MR0 guest RIP, MR1 control (TESSERA_VMEnterControl_*), MR2 the
 * event to inject (VMCB EVENTINJ: vector 7:0, type 10:8, error code valid 11, valid 31, error
 * code 63:32); with TESSERA_VMEnterControl_RegistersInMessage also MR13 RSP and MR14..MR28 the
 * general registers (RAX..R15, TESSERA_SVMField order). Out, after an exit: the same words, MR2
 * being EXITINTINFO (an event the exit interrupted, to inject again), plus the exit code and its
 * information. MR4 and up travel in the IPC buffer, so a VMM thread needs one. */
enum {
    TESSERA_VMEnter_RIP = 0,
    TESSERA_VMEnter_Control = 1,
    TESSERA_VMEnter_Event = 2,
    TESSERA_VMEnter_ExitCode = 3,
    TESSERA_VMEnter_ExitInfo1 = 4,
    TESSERA_VMEnter_ExitInfo2 = 5,
    TESSERA_VMEnter_RFLAGS = 6,
    TESSERA_VMEnter_InterruptShadow = 7,
    TESSERA_VMEnter_CR0 = 8,
    TESSERA_VMEnter_CR3 = 9,
    TESSERA_VMEnter_CR4 = 10,
    TESSERA_VMEnter_EFER = 11,
    TESSERA_VMEnter_CR2 = 12,
    TESSERA_VMEnter_RSP = 13,
    TESSERA_VMEnter_RAX = 14, /* RAX..R15 follow in TESSERA_SVMField order */
    TESSERA_VMEnter_MessageLength = TESSERA_VMEnter_RAX + 15,
};

/* MR1 bits. */
enum {
    /* Take RSP and the general registers from MR13..MR29 before entering (saves a WriteState
     * per register after CPUID, I/O and MMIO exits). */
    TESSERA_VMEnterControl_RegistersInMessage = 1 << 0,
    /* Exit (code VINTR) as soon as the guest can take an interrupt: for a VMM holding one. */
    TESSERA_VMEnterControl_InterruptWindow = 1 << 1,
};

/* seL4_VMEnter's result (rsi on return; libsel4's SEL4_VMENTER_RESULT_* for the first two). */
enum {
    /* The bound notification was signalled: the badge is the sender word; the guest did not run. */
    TESSERA_VMEnter_Notification = 0,
    /* The guest exited: the message holds the exit. */
    TESSERA_VMEnter_Exit = 1,
    /* The VCPU has no guest physical memory (SetNPT never called, or that PML4 lost its ASID). */
    TESSERA_VMEnter_NoGuestMemory = 2,
};

/* SVM exit codes a VMM sees (AMD APM vol. 2, appendix C). Host interrupts (INTR, NMI, SMI) are
 * the kernel's and never reach the VMM. */
enum {
    TESSERA_SVMExit_Exception0 = 0x40, /* + vector: exceptions the VMCB intercepts (#MC) */
    TESSERA_SVMExit_VINTR = 0x64,
    TESSERA_SVMExit_CPUID = 0x72,
    TESSERA_SVMExit_HLT = 0x78,
    TESSERA_SVMExit_INVLPGA = 0x7a,
    TESSERA_SVMExit_IOIO = 0x7b,
    TESSERA_SVMExit_MSR = 0x7c,
    TESSERA_SVMExit_Shutdown = 0x7f,
    TESSERA_SVMExit_VMRUN = 0x80,
    TESSERA_SVMExit_VMMCALL = 0x81,
    TESSERA_SVMExit_XSETBV = 0x8d,
    TESSERA_SVMExit_NPF = 0x400,
    TESSERA_SVMExit_Invalid = -1, /* VMRUN refused the guest state the VMM set */
};
