// Object sizes come from the ABI headers; only the mapping from type to size lives here.

#include "untyped/object_size.h"

#include <tessera/abi/object_size.h>
#include <tessera/abi/object_types.h>

namespace tessera::core {

Word object_size_bits(Word type, Word user_size)
{
    switch (type) {
    case seL4_UntypedObject:
        return user_size;
    case seL4_CapTableObject:
        return seL4_SlotBits + user_size;
    default: {
        const Word fixed = tessera_fixed_object_size_bits(type);
        return fixed != 0 ? fixed : WordBits;
    }
    }
}

bool is_frame_type(Word type)
{
    return type == seL4_X86_4K || type == seL4_X86_LargePageObject ||
           type == seL4_X64_HugePageObject;
}

} // namespace tessera::core
