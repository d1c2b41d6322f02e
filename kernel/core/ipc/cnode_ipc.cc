#include "ipc/cnode_ipc.h"

#include "endpoint/endpoint.h"
#include "ipc/ipc_context.h"
#include "tcb/tcb.h"

namespace tessera::core {

Result<Progress> invoke_cnode_for_thread(IpcContext& ctx, CNodeMethod method, const Invocation& inv,
                                         CNodeCap node, Tcb& caller)
{
    auto plan = decode_cnode_invocation(ctx.core, method, inv, node);
    if (!plan)
        return plan.error();
    if (method == CNodeMethod::CancelBadgedSends) {
        // An unbadged capability cancels nothing: it cannot tell one sender from another.
        const EndpointCap cap{plan.value().new_cap};
        if (cap.badge().raw() != 0)
            cancel_badged_sends(ctx, *ctx.core.window.at<Endpoint>(cap.object()), cap.badge());
        return Progress::Done;
    }
    return perform_cnode_invocation(ctx.core, plan.value(), &caller.slot(TcbSlot::Caller));
}

} // namespace tessera::core
