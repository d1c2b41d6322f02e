// The kernel's single instances of the portable core's contexts: how objects are reached and
// finalised (CoreContext) and what IPC needs on top (IpcContext: registers, this CPU's
// scheduler, the fault reporter). One CPU for now; SMP makes the scheduler part per CPU.
#pragma once

#include "base/context.h"
#include "ipc/ipc_context.h"

namespace tessera::x86_64 {

// The instances themselves (boot/kernel_objects.cc), named only by the accessors below: inline,
// because every system call asks and the IPC fastpath cannot afford a call for it.
namespace kernel_instances {
extern core::CoreContext context;
extern core::IpcContext ipc;
} // namespace kernel_instances

inline core::CoreContext& core_context() { return kernel_instances::context; }
inline core::IpcContext& ipc_context() { return kernel_instances::ipc; }

} // namespace tessera::x86_64
