#include <gtest/gtest.h>

#include "irq/irq_delivery.h"
#include "irq_world.h"

namespace tessera::core::test {
namespace {

class IrqDeliveryFixture : public IrqFixture {
protected:
    IrqOutcome interrupt(Word irq)
    {
        return handle_irq(table, controller, signaller, IrqNumber{irq});
    }
    FakeSignaller signaller;
};

constexpr Word Com2Irq = 3 + IrqUserMin;

TEST_F(IrqDeliveryFixture, SignalsTheNotificationWithItsBadgeAndMasksUntilAck)
{
    ASSERT_TRUE(get_ioapic(30, 0, 3, 0, 0, 3));
    ASSERT_TRUE(world.mint(14, NotificationSlot, CapRights::all(), 0x40));
    ASSERT_TRUE(handler(IrqHandlerMethod::SetNotification, 30, &world.slot(14)));
    EXPECT_EQ(interrupt(Com2Irq), IrqOutcome::Signalled);
    ASSERT_EQ(signaller.signals.size(), 1u);
    EXPECT_EQ(signaller.signals[0].first,
              NotificationCap{world.slot(NotificationSlot).cap}.object());
    EXPECT_EQ(signaller.signals[0].second, Badge{0x40});
    EXPECT_TRUE(controller.is_masked(0, 3));
    EXPECT_EQ(table.counters().signalled, 1u);
    ASSERT_TRUE(handler(IrqHandlerMethod::Ack, 30));
    EXPECT_FALSE(controller.is_masked(0, 3));
}

TEST_F(IrqDeliveryFixture, IssuedIrqWithoutNotificationIsUndeliveredAndMasked)
{
    ASSERT_TRUE(get_ioapic(30, 0, 3, 0, 0, 3));
    EXPECT_EQ(interrupt(Com2Irq), IrqOutcome::Undelivered);
    EXPECT_TRUE(signaller.signals.empty());
    EXPECT_TRUE(controller.is_masked(0, 3));
    EXPECT_EQ(table.counters().undelivered, 1u);
}

TEST_F(IrqDeliveryFixture, UnclaimedReservedAndOutOfRangeIrqsAreOnlyCounted)
{
    EXPECT_EQ(interrupt(Com2Irq), IrqOutcome::Unclaimed);
    EXPECT_EQ(interrupt(4), IrqOutcome::Spurious) << "ISA IRQs belong to the masked PIC";
    EXPECT_EQ(interrupt(MaxIrq), IrqOutcome::Spurious);
    EXPECT_EQ(interrupt(MaxIrq + 1), IrqOutcome::Spurious);
    EXPECT_EQ(interrupt(~Word{0}), IrqOutcome::Spurious);
    EXPECT_EQ(table.counters().unclaimed, 1u);
    EXPECT_EQ(table.counters().spurious, 4u);
    EXPECT_TRUE(signaller.signals.empty());
}

TEST_F(IrqDeliveryFixture, AClearedHandlerStopsDelivery)
{
    ASSERT_TRUE(get_ioapic(30, 0, 3, 0, 0, 3));
    ASSERT_TRUE(handler(IrqHandlerMethod::SetNotification, 30, &world.slot(NotificationSlot)));
    ASSERT_TRUE(handler(IrqHandlerMethod::Clear, 30));
    EXPECT_EQ(interrupt(Com2Irq), IrqOutcome::Undelivered);
    EXPECT_TRUE(signaller.signals.empty());
}

} // namespace
} // namespace tessera::core::test

namespace tessera::core::test {
namespace {

TEST(IrqTable, StartsAsSeL4sIoapicConfiguration)
{
    IrqTable table;
    for (Word irq = 0; irq < IrqCount; irq++) {
        const bool user = irq >= IrqUserMin && irq <= IrqUserMax;
        EXPECT_EQ(table.state(IrqNumber{irq}), user ? IrqState::Inactive : IrqState::Reserved)
            << irq;
        EXPECT_TRUE(table.is_masked(IrqNumber{irq}));
        EXPECT_TRUE(table.notification_slot(IrqNumber{irq}).is_empty());
    }
    EXPECT_FALSE(IrqTable::is_valid(IrqNumber{IrqCount}));
    EXPECT_EQ(vector_of(IrqNumber{IrqUserMin}), 0x30u);
    EXPECT_EQ(vector_of(IrqNumber{IrqUserMax}), 0x9bu);
}

TEST(IrqTable, MsiLinesHaveNoMask)
{
    IrqTable table;
    FakeController controller;
    const IrqNumber irq{IrqUserMin + 20};
    IrqRoute route;
    route.source = IrqRoute::Source::Msi;
    table.set_route(irq, route);
    table.set_state(irq, IrqState::Signal, controller);
    table.mask(irq, ioapic::Masking::Masked, controller);
    EXPECT_TRUE(controller.masked.empty()) << "no IOAPIC pin touched for an MSI";
}

} // namespace
} // namespace tessera::core::test
