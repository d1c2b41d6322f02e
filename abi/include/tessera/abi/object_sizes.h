/* Tessera ABI: object sizes in bits (log2 bytes) for x86_64 non-MCS
 * (libsel4 sel4_arch_include/x86_64/sel4/sel4_arch/constants.h, arch x86 constants.h). */
#pragma once

#include <tessera/abi/base.h>

enum {
    seL4_PageBits = 12,
    seL4_SlotBits = 5,
    /* seL4 picks 11 unless CONFIG_XSAVE_SIZE >= 832; its default XSAVE size is 576. */
    seL4_TCBBits = 11,
    seL4_EndpointBits = 4,
    seL4_NotificationBits = 5,

    seL4_PageTableBits = 12,
    seL4_PageTableEntryBits = 3,
    seL4_PageTableIndexBits = 9,
    seL4_PageDirBits = 12,
    seL4_PageDirEntryBits = 3,
    seL4_PageDirIndexBits = 9,
    seL4_PDPTBits = 12,
    seL4_PDPTEntryBits = 3,
    seL4_PDPTIndexBits = 9,
    seL4_PML4Bits = 12,
    seL4_PML4EntryBits = 3,
    seL4_PML4IndexBits = 9,
    seL4_VSpaceBits = 12,

    seL4_IOPageTableBits = 12,
    seL4_LargePageBits = 21,
    seL4_HugePageBits = 30,
    seL4_NumASIDPoolsBits = 3,
    seL4_ASIDPoolBits = 12,
    seL4_ASIDPoolIndexBits = 9,

    seL4_MinUntypedBits = 4,
    seL4_MaxUntypedBits = 47,

    seL4_VCPUBits = 14,
    seL4_X86_VCPUBits = 14,
    seL4_X86_EPTPML4Bits = 12,
    seL4_X86_EPTPDPTBits = 12,
    seL4_X86_EPTPDBits = 12,
    seL4_X86_EPTPTBits = 12,

    seL4_BootInfoFrameBits = 12,
};

/* Paging structures are one page of 512 eight-byte entries at every level. */
TESSERA_ABI_ASSERT(seL4_PageTableEntryBits + seL4_PageTableIndexBits == seL4_PageTableBits, "PT");
TESSERA_ABI_ASSERT(seL4_PageDirEntryBits + seL4_PageDirIndexBits == seL4_PageDirBits, "PD");
TESSERA_ABI_ASSERT(seL4_PDPTEntryBits + seL4_PDPTIndexBits == seL4_PDPTBits, "PDPT");
TESSERA_ABI_ASSERT(seL4_PML4EntryBits + seL4_PML4IndexBits == seL4_PML4Bits, "PML4");
TESSERA_ABI_ASSERT((int)seL4_WordSizeBits + (int)seL4_ASIDPoolIndexBits == seL4_ASIDPoolBits, "ASID pool");

/* Constants that do not fit a C enum (int) stay macros. */
#define seL4_UserTop 0x00007ffffffff000ull
#define seL4_BootInfoFrameSize (1ull << seL4_BootInfoFrameBits)
