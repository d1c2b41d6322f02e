// I/O port bookkeeping against capabilities: the kernel keeps, per port, whether it was handed
// out, and that must agree with the live I/O port capabilities (seL4 releases a range when its
// capability goes).

#include "cap/cap_arch_kinds.h"
#include "invariants/x86_invariant_checks.h"

namespace tessera::core {

namespace {

class PortChecker {
public:
    PortChecker(const CoreContext& ctx, InvariantWorkspace& workspace, const IssuedPorts& ports,
                InvariantReport& report)
        : ctx_(ctx), workspace_(workspace), ports_(ports), report_(report)
    {
    }

    void check()
    {
        for (auto& word : workspace_.arch.covered_ports)
            word = 0;
        for (size_t i = 0; i < workspace_.slots.size() && report_.holds(); ++i)
            check_cap(*workspace_.slots.at(i));
        for (unsigned port = 0; port < IssuedPorts::PortCount && report_.holds(); ++port)
            if (!is_covered(port) && !ports_.is_free(IoPort{uint16_t(port)}, IoPort{uint16_t(port)}))
                report_.fail("ioport: port %#x is issued, but no live I/O port capability covers it",
                             port);
    }

private:
    bool is_covered(unsigned port) const
    {
        return (workspace_.arch.covered_ports[port / WordBits] >> (port % WordBits)) & 1;
    }

    void check_cap(const Slot& slot)
    {
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
            workspace_.arch.covered_ports[port / WordBits] |= Word{1} << (port % WordBits);
        }
    }

    const CoreContext& ctx_;
    InvariantWorkspace& workspace_;
    const IssuedPorts& ports_;
    InvariantReport& report_;
};

} // namespace

void check_ports(const CoreContext& ctx, InvariantWorkspace& workspace, const IssuedPorts& ports,
                 InvariantReport& report)
{
    PortChecker{ctx, workspace, ports, report}.check();
}

} // namespace tessera::core
