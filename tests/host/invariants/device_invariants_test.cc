// Device bookkeeping against capabilities: an IRQ is issued exactly when a live IRQ handler
// capability names it, an I/O port exactly when a live I/O port capability covers it.

#include <gtest/gtest.h>

#include "cap/cap_arch_kinds.h"
#include "core_world.h"
#include "fake_interrupt_controller.h"
#include "invariant_test_support.h"

namespace tessera::core::test {
namespace {

struct DeviceFixture : ::testing::Test {
    CoreWorld w;
    CpuState cpu;
    // IRQ states change through the controller; these tests look at the states only.
    FakeController hardware;
    std::unique_ptr<IrqTable> irqs = std::make_unique<IrqTable>();
    std::unique_ptr<IssuedPorts> ports = std::make_unique<IssuedPorts>();
    ArchTables arch{nullptr, ports.get()};
    std::unique_ptr<InvariantWorkspace> workspace = std::make_unique<InvariantWorkspace>();

    std::string run()
    {
        std::vector<Slot*> slots = slots_of(w.ctx, w.root());
        return check_invariants(w.ctx, RootSlots{slots.data(), slots.size()}, cpu, *workspace,
                                KernelTables{irqs.get(), &arch})
            .line();
    }
    std::string at(Word index) { return hex(w.ctx.window.physical(&w.slot(index)).raw()); }
    void issue_irq(Word irq) { irqs->set_state(IrqNumber{irq}, IrqState::Signal, hardware); }
    void handler_cap(Word slot, Word irq)
    {
        insert_root_cap(w.slot(slot), IrqHandlerCap::make(IrqNumber{irq}).cap());
    }
    void claim(uint16_t first, uint16_t last) { ports->claim(IoPort{first}, IoPort{last}); }
    void port_cap(Word slot, uint16_t first, uint16_t last)
    {
        insert_root_cap(w.slot(slot), IoPortCap::make(IoPort{first}, IoPort{last}).cap());
    }
};

TEST_F(DeviceFixture, HoldsWhenIssuedIrqsAndPortsHaveTheirCapabilities)
{
    issue_irq(20);
    handler_cap(30, 20);
    handler_cap(31, 20);
    claim(0x3f8, 0x3ff);
    port_cap(32, 0x3f8, 0x3ff);
    port_cap(33, 0x3f8, 0x3f9);
    EXPECT_EQ(run(), "all invariants hold");
}

TEST_F(DeviceFixture, ReportsAnIssuedIrqWithoutAHandlerCapability)
{
    issue_irq(20);
    EXPECT_EQ(run(), "irq: IRQ 20 is issued, but no live IRQ handler capability names it");
}

TEST_F(DeviceFixture, ReportsAHandlerCapabilityForAnIrqNotIssued)
{
    handler_cap(30, 21);
    EXPECT_EQ(run(), "irq: slot " + at(30) + " (IrqHandler) names IRQ 21, which is not issued");
}

TEST_F(DeviceFixture, ReportsAnIssuedPortNoCapabilityCovers)
{
    claim(0x3f8, 0x3ff);
    port_cap(32, 0x3f8, 0x3fe);
    EXPECT_EQ(run(), "ioport: port 0x3ff is issued, but no live I/O port capability covers it");
}

TEST_F(DeviceFixture, ReportsAPortCapabilityOverPortsNotIssued)
{
    claim(0x60, 0x60);
    port_cap(32, 0x60, 0x64);
    EXPECT_EQ(run(), "ioport: slot " + at(32) + " (IoPort 0x60-0x64) covers port 0x61, which is not "
                                                 "issued");
}

} // namespace
} // namespace tessera::core::test
