#include "api/receive.h"

#include "cnode/lookup.h"
#include "ipc/fastpath_steps.h"
#include "ipc/fault.h"
#include "ipc/ipc_context.h"

namespace tessera::core {

void handle_recv(IpcContext& ipc, Tcb& thread, CPtr cptr, Blocking blocking)
{
    const auto found = lookup_cap(ipc.core, thread.slot(TcbSlot::CSpace).cap, cptr);
    if (!found) {
        handle_fault(ipc, thread, cap_fault(cptr, true, found.error()));
        return;
    }
    if (fastpath::receive_on(ipc, thread, found.value(), blocking))
        return;
    handle_fault(ipc, thread, cap_fault(cptr, true, LookupFailure::missing_capability(0)));
}

} // namespace tessera::core
