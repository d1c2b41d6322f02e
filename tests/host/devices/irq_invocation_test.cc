#include <gtest/gtest.h>

#include "irq_world.h"

namespace tessera::core::test {
namespace {

TEST_F(IrqFixture, GetIoapicIssuesAHandlerAndRoutesThePin)
{
    ASSERT_TRUE(get_ioapic(30, 0, 3, 0, 0, 3));
    const Cap cap = world.slot(30).cap;
    ASSERT_EQ(cap.type(), CapType::IrqHandler);
    const IrqNumber irq{3 + IrqUserMin};
    EXPECT_EQ(IrqHandlerCap{cap}.irq(), irq);
    EXPECT_EQ(table.state(irq), IrqState::Signal);
    ASSERT_TRUE(controller.has_route(0, 3));
    EXPECT_EQ(controller.route(0, 3).vector, 0x33u);
    EXPECT_EQ(controller.route(0, 3).trigger, ioapic::Trigger::Edge);
    // seL4 setIRQState(IRQSignal) unmasks the line as soon as it is issued.
    EXPECT_FALSE(controller.is_masked(0, 3));
    EXPECT_EQ(world.slot(ControlSlot).mdb.next(), &world.slot(30));
}

TEST_F(IrqFixture, LevelAndPolarityReachTheIoapic)
{
    ASSERT_TRUE(get_ioapic(30, 0, 11, 1, 1, 20));
    EXPECT_EQ(controller.route(0, 11).trigger, ioapic::Trigger::Level);
    EXPECT_EQ(controller.route(0, 11).polarity, ioapic::Polarity::ActiveLow);
    EXPECT_EQ(controller.route(0, 11).vector, 0x30u + 20);
}

TEST_F(IrqFixture, VectorAboveTheUserRangeIsRangeError)
{
    ASSERT_TRUE(get_ioapic(30, 0, 3, 0, 0, 107));
    auto r = get_ioapic(31, 0, 4, 0, 0, 108);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), SyscallError::range_error(0, 107));
    EXPECT_EQ(get_msi(31, 0, 0, 0, 0, 1000).error(), SyscallError::range_error(0, 107));
}

TEST_F(IrqFixture, ClaimedIrqIsRevokeFirstBeforeAnyIoapicCheck)
{
    ASSERT_TRUE(get_ioapic(30, 0, 3, 0, 0, 5));
    const auto snapshot = world.snapshot();
    EXPECT_EQ(get_ioapic(31, 0, 4, 0, 0, 5).error().code(), seL4_RevokeFirst);
    EXPECT_EQ(get_ioapic(31, 9, 99, 7, 7, 5).error().code(), seL4_RevokeFirst);
    EXPECT_EQ(get_msi(31, 0, 0, 0, 0, 5).error().code(), seL4_RevokeFirst);
    EXPECT_TRUE(world.matches(snapshot));
}

TEST_F(IrqFixture, IoapicPinLevelAndPolarityAreRangeChecked)
{
    EXPECT_EQ(get_ioapic(30, 1, 3, 0, 0, 1).error(), SyscallError::range_error(0, 0));
    EXPECT_EQ(get_ioapic(30, 0, 24, 0, 0, 1).error(), SyscallError::range_error(0, 23));
    EXPECT_EQ(get_ioapic(30, 0, 3, 2, 0, 1).error(), SyscallError::range_error(0, 1));
    EXPECT_EQ(get_ioapic(30, 0, 3, 0, 2, 1).error(), SyscallError::range_error(0, 1));
    EXPECT_FALSE(table.is_active(IrqNumber{1 + IrqUserMin}));
    EXPECT_TRUE(world.slot(30).is_empty());
    EXPECT_TRUE(controller.routes.empty());
}

TEST_F(IrqFixture, OccupiedDestinationIsDeleteFirstAndLeavesTheIrqFree)
{
    auto r = get_ioapic(CoreWorld::RootUntypedSlot, 0, 3, 0, 0, 3);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), seL4_DeleteFirst);
    EXPECT_FALSE(table.is_active(IrqNumber{3 + IrqUserMin}));
}

TEST_F(IrqFixture, ShortMessageOrMissingRootIsTruncated)
{
    EXPECT_EQ(control(X86IRQIssueIRQHandlerIOAPIC, {30, 8, 0, 3, 0, 0}).error().code(),
              seL4_TruncatedMessage);
    EXPECT_EQ(control(X86IRQIssueIRQHandlerIOAPIC, {30, 8, 0, 3, 0, 0, 3}, false).error().code(),
              seL4_TruncatedMessage);
    EXPECT_EQ(control(IRQIssueIRQHandler, {4, 30}).error().code(), seL4_TruncatedMessage);
}

TEST_F(IrqFixture, GetOfAnIsaIrqIsIllegalWithAnIoapic)
{
    EXPECT_EQ(control(IRQIssueIRQHandler, {4, 30, 8}).error().code(), seL4_IllegalOperation);
    EXPECT_TRUE(world.slot(30).is_empty());
}

TEST_F(IrqFixture, ALabelThatIsNoIrqControlMethodIsIllegalAndIssuesNothing)
{
    const auto r = control(X86IOPortControlIssue, {30, 8, 0, 3, 0, 0, 3});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), seL4_IllegalOperation);
    EXPECT_STREQ(r.error().reason(), "IRQControl: not an IRQControl method");
    EXPECT_TRUE(world.slot(30).is_empty());
    EXPECT_TRUE(controller.routes.empty());
}

TEST_F(IrqFixture, GetMsiChecksThePciAddress)
{
    EXPECT_EQ(get_msi(30, 256, 0, 0, 0, 1).error(), SyscallError::range_error(0, 255));
    EXPECT_EQ(get_msi(30, 0, 32, 0, 0, 1).error(), SyscallError::range_error(0, 31));
    EXPECT_EQ(get_msi(30, 0, 0, 8, 0, 1).error(), SyscallError::range_error(0, 7));
    ASSERT_TRUE(get_msi(30, 0, 3, 0, 77, 1));
    const IrqNumber irq{1 + IrqUserMin};
    EXPECT_EQ(table.route(irq).source, IrqRoute::Source::Msi);
    EXPECT_EQ(table.route(irq).msi.device, 3u);
    EXPECT_EQ(table.route(irq).msi_handle, 77u);
    EXPECT_TRUE(controller.routes.empty()) << "an MSI touches no IOAPIC";
}

TEST_F(IrqFixture, SetNotificationNeedsANotificationWithSend)
{
    ASSERT_TRUE(get_ioapic(30, 0, 3, 0, 0, 3));
    EXPECT_EQ(handler(IrqHandlerMethod::SetNotification, 30).error().code(), seL4_TruncatedMessage);
    EXPECT_EQ(
        handler(IrqHandlerMethod::SetNotification, 30, &world.slot(CoreWorld::RootUntypedSlot))
            .error(),
        SyscallError::invalid_capability(0));
    ASSERT_TRUE(world.mint(13, NotificationSlot, CapRights::from_word(2) /* read only */, 0));
    EXPECT_EQ(handler(IrqHandlerMethod::SetNotification, 30, &world.slot(13)).error(),
              SyscallError::invalid_capability(0));
    EXPECT_TRUE(table.notification_slot(IrqNumber{3 + IrqUserMin}).is_empty());
}

TEST_F(IrqFixture, SetNotificationKeepsACopyAndClearDropsIt)
{
    ASSERT_TRUE(get_ioapic(30, 0, 3, 0, 0, 3));
    const IrqNumber irq{3 + IrqUserMin};
    ASSERT_TRUE(world.mint(14, NotificationSlot, CapRights::all(), 0x8));
    ASSERT_TRUE(handler(IrqHandlerMethod::SetNotification, 30, &world.slot(14)));
    EXPECT_EQ(table.notification_slot(irq).cap, world.slot(14).cap);
    ASSERT_TRUE(handler(IrqHandlerMethod::SetNotification, 30, &world.slot(NotificationSlot)));
    EXPECT_EQ(table.notification_slot(irq).cap, world.slot(NotificationSlot).cap) << "replaced";
    ASSERT_TRUE(handler(IrqHandlerMethod::Clear, 30));
    EXPECT_TRUE(table.notification_slot(irq).is_empty());
    ASSERT_TRUE(handler(IrqHandlerMethod::Clear, 30)) << "clearing twice is harmless";
}

TEST_F(IrqFixture, RevokingTheNotificationRemovesTheKernelsCopy)
{
    ASSERT_TRUE(get_ioapic(30, 0, 3, 0, 0, 3));
    ASSERT_TRUE(world.mint(14, NotificationSlot, CapRights::all(), 0x8));
    ASSERT_TRUE(handler(IrqHandlerMethod::SetNotification, 30, &world.slot(14)));
    ASSERT_TRUE(world.revoke(NotificationSlot));
    EXPECT_TRUE(table.notification_slot(IrqNumber{3 + IrqUserMin}).is_empty());
}

TEST_F(IrqFixture, AckUnmasksAndASecondAckIsHarmless)
{
    ASSERT_TRUE(get_ioapic(30, 0, 3, 0, 0, 3));
    const IrqNumber irq{3 + IrqUserMin};
    table.mask(irq, ioapic::Masking::Masked, controller);
    EXPECT_TRUE(controller.is_masked(0, 3));
    ASSERT_TRUE(handler(IrqHandlerMethod::Ack, 30));
    EXPECT_FALSE(controller.is_masked(0, 3));
    EXPECT_FALSE(table.is_masked(irq));
    ASSERT_TRUE(handler(IrqHandlerMethod::Ack, 30));
    EXPECT_FALSE(controller.is_masked(0, 3));
    EXPECT_EQ(table.state(irq), IrqState::Signal);
}

TEST_F(IrqFixture, DeletingTheLastHandlerFreesAndMasksTheIrq)
{
    ASSERT_TRUE(get_ioapic(30, 0, 3, 0, 0, 3));
    const IrqNumber irq{3 + IrqUserMin};
    ASSERT_TRUE(handler(IrqHandlerMethod::SetNotification, 30, &world.slot(NotificationSlot)));
    ASSERT_TRUE(world.copy(31, 30));
    ASSERT_TRUE(world.remove(30));
    EXPECT_EQ(world.hooks.count(CapType::IrqHandler, Finality::Final), 0u);
    EXPECT_TRUE(world.hooks.cleanups.empty());
    ASSERT_TRUE(world.remove(31));
    ASSERT_EQ(world.hooks.count(CapType::IrqHandler, Finality::Final), 1u);
    ASSERT_EQ(world.hooks.cleanups.size(), 1u);
    // What the kernel's hooks do with those two calls.
    deleting_irq_handler(world.ctx, IrqHandlerCap{world.hooks.cleanups[0]}, table);
    deleted_irq_handler(IrqHandlerCap{world.hooks.cleanups[0]}, table, controller);
    EXPECT_TRUE(table.notification_slot(irq).is_empty());
    EXPECT_EQ(table.state(irq), IrqState::Inactive);
    EXPECT_TRUE(controller.is_masked(0, 3));
    EXPECT_TRUE(get_ioapic(32, 0, 3, 0, 0, 3)) << "the IRQ can be issued again";
}

} // namespace
} // namespace tessera::core::test
