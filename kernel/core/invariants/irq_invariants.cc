// IRQ bookkeeping against capabilities: the kernel keeps, per IRQ, whether it was issued, and
// that must agree with the live IRQ handler capabilities (seL4 clears it when the last one goes).

#include "invariants/invariant_checks.h"

namespace tessera::core {

namespace {

class IrqChecker {
public:
    IrqChecker(const CoreContext& ctx, InvariantWorkspace& workspace, const IrqTable& irqs,
               InvariantReport& report)
        : ctx_(ctx), workspace_(workspace), irqs_(irqs), report_(report)
    {
    }

    void check()
    {
        for (auto& named : irq_named_)
            named = false;
        for (size_t i = 0; i < workspace_.slots.size() && report_.holds(); ++i)
            check_cap(*workspace_.slots.at(i));
        for (Word irq = 0; irq < IrqCount && report_.holds(); ++irq)
            if (irqs_.state(IrqNumber{irq}) == IrqState::Signal && !irq_named_[irq])
                report_.fail("irq: IRQ %lu is issued, but no live IRQ handler capability names it",
                             irq);
    }

private:
    void check_cap(const Slot& slot)
    {
        if (slot.cap.type() != CapType::IrqHandler)
            return;
        IrqNumber irq = IrqHandlerCap{slot.cap}.irq();
        if (!IrqTable::is_valid(irq) || irqs_.state(irq) != IrqState::Signal) {
            report_.fail("irq: slot %#lx (IrqHandler) names IRQ %lu, which is not issued",
                         physical_of(ctx_, &slot), irq.raw());
            return;
        }
        irq_named_[irq.raw()] = true;
    }

    const CoreContext& ctx_;
    InvariantWorkspace& workspace_;
    const IrqTable& irqs_;
    InvariantReport& report_;
    bool irq_named_[IrqCount];
};

} // namespace

void check_irqs(const CoreContext& ctx, InvariantWorkspace& workspace, const IrqTable& irqs,
                InvariantReport& report)
{
    IrqChecker{ctx, workspace, irqs, report}.check();
}

} // namespace tessera::core
