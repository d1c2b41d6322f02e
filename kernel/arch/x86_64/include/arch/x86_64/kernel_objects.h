// The kernel's single instances of the portable core's contexts: how objects are reached and
// finalised (CoreContext) and what IPC needs on top (IpcContext: registers, this CPU's
// scheduler, the fault reporter). One CPU for now; SMP makes the scheduler part per CPU.
#pragma once

#include "base/context.h"
#include "ipc/ipc_context.h"

namespace tessera::x86_64 {

core::CoreContext& core_context();
core::IpcContext& ipc_context();

} // namespace tessera::x86_64
