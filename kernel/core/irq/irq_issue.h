// Issuing an IRQ handler capability, the part every architecture's IRQControl methods share:
// what a decoded issue method yields, the checks all of them make first, and the one hook through
// which core reaches the architecture's methods (seL4 Arch_decodeIRQControlInvocation).
#pragma once

#include <tessera/abi/invocation_decode.h>

#include "base/context.h"
#include "base/invocation.h"
#include "base/result.h"
#include "cap/slot.h"
#include "cnode/lookup.h"
#include "irq/irq_table.h"

namespace tessera::core {

// A decoded issue method: the IRQ to issue, where it comes from, and the empty slot that receives
// the handler capability. Performing it cannot fail.
struct IrqIssue {
    IrqNumber irq;
    IrqRoute route;
    Slot* destination;
};

// The checks every issue method makes, in seL4's order: message length and root, the vector's
// range, the IRQ being free, then the destination slot. The route is left Free for the method to
// fill in. `Method` is the method's generated argument layout (abi/invocations/*.def).
template <class Method>
Result<IrqIssue> decode_irq_issue(CoreContext& ctx, const Invocation& in, const IrqTable& table)
{
    Slot* root = in.extra_cap(Method::root_cap);
    if (in.length() < Method::word_count || root == nullptr)
        return SyscallError::truncated_message().because("IRQControl: truncated message");
    const auto args = in.template arguments<Method>();
    if (args.vector > IrqUserMax - IrqUserMin)
        return SyscallError::range_error(0, IrqUserMax - IrqUserMin)
            .because("IRQControl: vector out of range");
    const IrqNumber irq{args.vector + IrqUserMin};
    if (table.is_active(irq))
        return SyscallError::revoke_first().because("IRQControl: IRQ already issued");
    auto dest = lookup_empty_target_slot(ctx, root->cap, CPtr{args.index}, Depth{args.depth});
    if (!dest)
        return dest.error();
    return IrqIssue{irq, IrqRoute{}, dest.value()};
}

// The architecture's IRQControl methods (every label but IRQIssueIRQHandler), decoded without
// side effects. Defined once per architecture and chosen at link time (STYLE rule 9):
// kernel/arch/x86_64/core/irq/irq_control.cc (GetIOAPIC, GetMSI). A label that is no method is
// IllegalOperation.
Result<IrqIssue> decode_arch_irq_control(CoreContext& ctx, Word label, const Invocation& in,
                                         const IrqTable& table,
                                         const InterruptController& controller);

} // namespace tessera::core
