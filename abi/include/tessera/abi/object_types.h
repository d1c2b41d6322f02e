/* Tessera ABI: object type numbers passed to seL4_Untyped_Retype, x86_64 non-MCS, with huge
 * pages on, IOMMU and VT-x off (libsel4 sel4/objecttype.h, sel4_arch and arch objecttype.h). */
#pragma once

/* seL4 numbers types in three runs: generic, then x86_64-only, then x86. Configuration can
 * insert entries (MCS: SchedContext, Reply; IOMMU; VT-x), which renumbers the later runs; the
 * values below are those of the configuration Tessera implements. */
typedef enum {
    seL4_UntypedObject = 0,
    seL4_TCBObject = 1,
    seL4_EndpointObject = 2,
    seL4_NotificationObject = 3,
    seL4_CapTableObject = 4,
    seL4_NonArchObjectTypeCount = 5,

    seL4_X86_PDPTObject = 5,
    seL4_X64_PML4Object = 6,
    seL4_X64_HugePageObject = 7,
    seL4_ModeObjectTypeCount = 8,

    seL4_X86_4K = 8,
    seL4_X86_LargePageObject = 9,
    seL4_X86_PageTableObject = 10,
    seL4_X86_PageDirectoryObject = 11,
    seL4_ObjectTypeCount = 12,
} seL4_ObjectType;

/* Types this configuration lacks get out-of-range numbers, as libsel4 gives them, so code that
 * names them compiles and the kernel rejects them. */
enum {
    seL4_X86_IOPageTableObject = 0xffffff,
    seL4_X86_VCPUObject = 0xfffffe,
    seL4_X86_EPTPML4Object = 0xfffffd,
    seL4_X86_EPTPDPTObject = 0xfffffc,
    seL4_X86_EPTPDObject = 0xfffffb,
    seL4_X86_EPTPTObject = 0xfffffa,
};

#define seL4_IA32_PDPTObject seL4_X86_PDPTObject
