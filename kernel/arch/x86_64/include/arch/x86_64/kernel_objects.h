// The kernel's single CoreContext (kernel/core/base/context.h): the direct map as the memory
// window, the object hooks that finalise x86_64 objects, and the preemption check.
#pragma once

#include "base/context.h"

namespace tessera::x86_64 {

core::CoreContext& core_context();

} // namespace tessera::x86_64
