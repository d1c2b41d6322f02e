/* Tessera ABI: the fixed slots of the root task's CNode, filled by the kernel at boot
 * (seL4 Reference Manual, "Initial CSpace"; libsel4 sel4/bootinfo_types.h). */
#pragma once

enum {
    seL4_CapNull = 0,
    seL4_CapInitThreadTCB = 1,
    seL4_CapInitThreadCNode = 2,
    seL4_CapInitThreadVSpace = 3,
    seL4_CapIRQControl = 4,
    seL4_CapASIDControl = 5,
    seL4_CapInitThreadASIDPool = 6,
    seL4_CapIOPortControl = 7,
    seL4_CapIOSpace = 8,          /* null cap: Tessera has no IOMMU support yet */
    seL4_CapBootInfoFrame = 9,
    seL4_CapInitThreadIPCBuffer = 10,
    seL4_CapDomain = 11,
    seL4_CapSMMUSIDControl = 12,  /* Arm only: null cap on x86_64 */
    seL4_CapSMMUCBControl = 13,   /* Arm only: null cap on x86_64 */
    seL4_CapInitThreadSC = 14,    /* MCS only: null cap on non-MCS */
    seL4_CapSMC = 15,             /* Arm only: null cap on x86_64 */
    seL4_NumInitialCaps = 16,
};

#define seL4_CapInitThreadPD seL4_CapInitThreadVSpace
