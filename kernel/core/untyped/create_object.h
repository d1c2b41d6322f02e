// Turning a piece of untyped memory into an object and its first capability (seL4
// createObject). Memory is already zero: untyped memory is cleared when it is reset.
#pragma once

#include "base/context.h"
#include "cap/cap.h"
#include "cap/cap_kinds.h"

namespace tessera::core {

// The capability for a new object of `type` at `base`; `device` only matters for untyped and
// frames. The caller guarantees the type is valid and the memory free and aligned.
Cap create_object(CoreContext& ctx, Word type, PAddr base, Word user_size, Device device);

} // namespace tessera::core
