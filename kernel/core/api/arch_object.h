// The kernel objects only an architecture has (x86_64: frames, paging structures, ASIDs, I/O
// ports, IRQs, SVM vCPUs). Chosen at link time, not through a virtual call: each architecture
// defines invoke_arch_object once (kernel/arch/x86_64/syscall/arch_object.cc), and a host test
// that runs the invocation path links its own.
#pragma once

#include "api/kernel_reply.h"
#include "base/context.h"
#include "base/invocation.h"
#include "base/result.h"

namespace tessera::core {

class Slot;
struct IpcContext;
struct Tcb;

// Decodes and performs method `label` of the object in `slot`, whose type the portable core
// does not know, for `caller` (in Restart while it runs). Words for a Call's reply go in `reply`;
// a capability that names nothing invocable is IllegalOperation.
Result<Progress> invoke_arch_object(IpcContext& ipc, Word label, const Invocation& inv, Slot& slot, Tcb& caller,
                                    KernelReply& reply);

} // namespace tessera::core
