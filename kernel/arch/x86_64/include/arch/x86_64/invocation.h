// The portable invocation path (kernel/core/api) as x86_64's system-call code names it: the flat
// Send path (fastpath_entry.cc) sends to an endpoint as handle_invocation does.
#pragma once

#include "api/invocation.h"

namespace tessera::x86_64 {

using core::send_to_endpoint;

} // namespace tessera::x86_64
