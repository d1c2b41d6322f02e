/* Tessera ABI: the size of each object type, as one function over the facts in object_sizes.h, so
 * that the kernel's retype and user-level allocators agree. Compiles as C11 and C++20. */
#pragma once

#include <tessera/abi/object_sizes.h>
#include <tessera/abi/object_types.h>
#include <tessera/abi/svm.h>

/* log2 of the size of an object of `type` whose size is fixed by its type (every type but
 * untyped memory and CNodes, whose size the caller chooses), or 0 for those and unknown types. */
static inline seL4_Word tessera_fixed_object_size_bits(seL4_Word type)
{
    switch (type) {
    case seL4_TCBObject: return seL4_TCBBits;
    case seL4_EndpointObject: return seL4_EndpointBits;
    case seL4_NotificationObject: return seL4_NotificationBits;
    case seL4_X86_PDPTObject: return seL4_PDPTBits;
    case seL4_X64_PML4Object: return seL4_PML4Bits;
    case seL4_X64_HugePageObject: return seL4_HugePageBits;
    case seL4_X86_4K: return seL4_PageBits;
    case seL4_X86_LargePageObject: return seL4_LargePageBits;
    case seL4_X86_PageTableObject: return seL4_PageTableBits;
    case seL4_X86_PageDirectoryObject: return seL4_PageDirBits;
    case TESSERA_X86_SVMVCPUObject: return TESSERA_SVMVCPUBits;
    default: return 0;
    }
}
