// Object sizes come from the ABI headers; only the mapping from type to size lives here.

#include "untyped/object_size.h"

#include <tessera/abi/object_sizes.h>
#include <tessera/abi/object_types.h>

namespace tessera::core {

Word object_size_bits(Word type, Word user_size)
{
    switch (type) {
    case seL4_UntypedObject:
        return user_size;
    case seL4_TCBObject:
        return seL4_TCBBits;
    case seL4_EndpointObject:
        return seL4_EndpointBits;
    case seL4_NotificationObject:
        return seL4_NotificationBits;
    case seL4_CapTableObject:
        return seL4_SlotBits + user_size;
    case seL4_X86_PDPTObject:
        return seL4_PDPTBits;
    case seL4_X64_PML4Object:
        return seL4_PML4Bits;
    case seL4_X64_HugePageObject:
        return seL4_HugePageBits;
    case seL4_X86_4K:
        return seL4_PageBits;
    case seL4_X86_LargePageObject:
        return seL4_LargePageBits;
    case seL4_X86_PageTableObject:
        return seL4_PageTableBits;
    case seL4_X86_PageDirectoryObject:
        return seL4_PageDirBits;
    default:
        return WordBits;
    }
}

bool is_frame_type(Word type)
{
    return type == seL4_X86_4K || type == seL4_X86_LargePageObject ||
           type == seL4_X64_HugePageObject;
}

} // namespace tessera::core
