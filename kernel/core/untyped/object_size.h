// Sizes of the objects Untyped_Retype can create on x86_64 (seL4 getObjectSize), and which of
// them are frames (the only kernel-visible objects a device untyped may become).
#pragma once

#include "base/types.h"

namespace tessera::core {

// log2 of the size of an object of `type` (< seL4_ObjectTypeCount) created with `user_size`;
// may exceed 64 for absurd user sizes, which the caller rejects.
Word object_size_bits(Word type, Word user_size);
// seL4 Arch_isFrameType: 4K, large and huge pages.
bool is_frame_type(Word type);

} // namespace tessera::core
