// Device bookkeeping against capabilities: the kernel keeps, per IRQ, whether it was issued and,
// per I/O port, whether it was handed out; both must agree with the live capabilities (seL4
// clears them when the last capability goes).

#include "cap/cap_arch_kinds.h"
#include "invariants/invariant_checks.h"

namespace tessera::core {

namespace {

class DeviceChecker {
public:
    DeviceChecker(const CoreContext& ctx, InvariantWorkspace& workspace, const IrqTable& irqs,
                  const IssuedPorts& ports, InvariantReport& report)
        : ctx_(ctx), workspace_(workspace), irqs_(irqs), ports_(ports), report_(report)
    {
    }

    void check()
    {
        for (auto& word : workspace_.covered_ports)
            word = 0;
        for (auto& named : irq_named_)
            named = false;
        for (size_t i = 0; i < workspace_.slots.size() && report_.holds(); ++i)
            check_cap(*workspace_.slots.at(i));
        for (Word irq = 0; irq < IrqCount && report_.holds(); ++irq)
            if (irqs_.state(IrqNumber{irq}) == IrqState::Signal && !irq_named_[irq])
                report_.fail("irq: IRQ %lu is issued, but no live IRQ handler capability names it",
                             irq);
        for (unsigned port = 0; port < IssuedPorts::PortCount && report_.holds(); ++port)
            if (!is_covered(port) && !ports_.is_free(IoPort{uint16_t(port)}, IoPort{uint16_t(port)}))
                report_.fail("ioport: port %#x is issued, but no live I/O port capability covers it",
                             port);
    }

private:
    bool is_covered(unsigned port) const
    {
        return (workspace_.covered_ports[port / WordBits] >> (port % WordBits)) & 1;
    }

    void check_cap(const Slot& slot)
    {
        if (slot.cap.type() == CapType::IrqHandler) {
            IrqNumber irq = IrqHandlerCap{slot.cap}.irq();
            if (!IrqTable::is_valid(irq) || irqs_.state(irq) != IrqState::Signal) {
                report_.fail("irq: slot %#lx (IrqHandler) names IRQ %lu, which is not issued",
                             physical_of(ctx_, &slot), irq.raw());
                return;
            }
            irq_named_[irq.raw()] = true;
        }
        if (slot.cap.type() != CapType::IoPort)
            return;
        IoPortCap range{slot.cap};
        for (unsigned port = range.first().raw(); port <= range.last().raw(); ++port) {
            if (ports_.is_free(IoPort{uint16_t(port)}, IoPort{uint16_t(port)})) {
                report_.fail("ioport: slot %#lx (IoPort %#x-%#x) covers port %#x, which is not "
                             "issued",
                             physical_of(ctx_, &slot), unsigned(range.first().raw()),
                             unsigned(range.last().raw()), port);
                return;
            }
            workspace_.covered_ports[port / WordBits] |= Word{1} << (port % WordBits);
        }
    }

    const CoreContext& ctx_;
    InvariantWorkspace& workspace_;
    const IrqTable& irqs_;
    const IssuedPorts& ports_;
    InvariantReport& report_;
    bool irq_named_[IrqCount];
};

} // namespace

void check_devices(const CoreContext& ctx, InvariantWorkspace& workspace, const IrqTable& irqs,
                   const IssuedPorts& ports, InvariantReport& report)
{
    DeviceChecker{ctx, workspace, irqs, ports, report}.check();
}

} // namespace tessera::core
