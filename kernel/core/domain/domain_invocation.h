// seL4_DomainSet's methods (seL4 src/object/domain.c): Set moves a thread to a domain,
// ScheduleConfigure edits one entry of the domain schedule, ScheduleSetStart restarts the
// schedule at an entry. Each is decoded in full before anything changes.
#pragma once

#include "base/context.h"
#include "base/invocation.h"
#include "base/result.h"
#include "base/types.h"

namespace tessera::core {

struct IpcContext;

// In label order from DomainSetSet (tessera/abi/invocation_labels.h).
enum class DomainMethod : Word { Set, ScheduleConfigure, ScheduleSetStart };
inline constexpr Word DomainMethodCount = 3;

Result<Progress> invoke_domain(IpcContext& ipc, DomainMethod method, const Invocation& inv);

} // namespace tessera::core
