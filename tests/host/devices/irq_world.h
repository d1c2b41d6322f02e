// A CoreWorld with the IRQ control capability in a slot, an IRQ table, a fake IOAPIC and helpers
// that build the invocations as the client stubs do.
#pragma once

#include <vector>

#include <gtest/gtest.h>

#include <tessera/abi/invocation_labels.h>
#include <tessera/abi/object_types.h>

#include "core_world.h"
#include "device_fakes.h"
#include "irq/irq_invocation.h"

namespace tessera::core::test {

class IrqFixture : public ::testing::Test {
protected:
    static constexpr Word ControlSlot = 11;
    static constexpr Word NotificationSlot = 12;

    IrqFixture()
    {
        insert_root_cap(world.slot(ControlSlot), IrqControlCap::make().cap());
        EXPECT_TRUE(world.retype(seL4_NotificationObject, 0, NotificationSlot, 1));
    }

    Result<void> control(Word label, std::vector<Word> words, bool with_root = true)
    {
        Slot* extra[] = {world.root_slot()};
        return invoke_irq_control(
            world.ctx, label, Invocation{words.data(), words.size(), extra, with_root ? 1u : 0u},
            world.slot(ControlSlot), table, controller);
    }
    // seL4_IRQControl_GetIOAPIC(root, index, depth, ioapic, pin, level, polarity, vector)
    Result<void> get_ioapic(Word dest, Word ioapic, Word pin, Word level, Word polarity,
                            Word vector)
    {
        return control(X86IRQIssueIRQHandlerIOAPIC,
                       {dest, CoreWorld::RootRadix, ioapic, pin, level, polarity, vector});
    }
    Result<void> get_msi(Word dest, Word bus, Word device, Word function, Word handle, Word vector)
    {
        return control(X86IRQIssueIRQHandlerMSI,
                       {dest, CoreWorld::RootRadix, bus, device, function, handle, vector});
    }
    Result<void> handler(IrqHandlerMethod method, Word handler_slot, Slot* extra_cap = nullptr)
    {
        Slot* extra[] = {extra_cap};
        return invoke_irq_handler(world.ctx, method,
                                  Invocation{nullptr, 0, extra, extra_cap ? 1u : 0u},
                                  IrqHandlerCap{world.slot(handler_slot).cap}, table, controller);
    }

    CoreWorld world;
    IrqTable table;
    FakeController controller;
};

} // namespace tessera::core::test
