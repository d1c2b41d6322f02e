#include "api/receive.h"

#include "cnode/lookup.h"
#include "ipc/fastpath_steps.h"
#include "ipc/fault.h"
#include "ipc/ipc_context.h"

namespace tessera::core {
namespace {

// seL4 handleRecv(isBlocking), which both system calls share.
void receive(IpcContext& ipc, Tcb& thread, CPtr cptr, Blocking blocking)
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

} // namespace

void handle_recv(IpcContext& ipc, Tcb& thread, CPtr cptr) { receive(ipc, thread, cptr, Blocking::Yes); }

void handle_nb_recv(IpcContext& ipc, Tcb& thread, CPtr cptr) { receive(ipc, thread, cptr, Blocking::No); }

} // namespace tessera::core
