// The local APIC: reset state, priority (TPR, in-service class), acceptance and acknowledgement,
// EOI reaching the I/O APIC for level vectors, the timer's one-shot and periodic counts and
// deadlines at 100 MHz, self-IPIs and the software-disable rule.
#include "local_apic.h"

#include <gtest/gtest.h>

#include <vector>

namespace tessera::services::vmm {
namespace {

constexpr uint64_t Tpr = 0x80, Ppr = 0xa0, Eoi = 0xb0, Svr = 0xf0, Isr = 0x100, Irr = 0x200,
                   IcrLow = 0x300, IcrHigh = 0x310, LvtTimer = 0x320, Initial = 0x380,
                   Current = 0x390, Divide = 0x3e0;

struct NullSink final : InterruptSink {
    std::vector<InterruptMessage> messages;
    void deliver(const InterruptMessage& message) override { messages.push_back(message); }
};

InterruptMessage fixed(uint8_t vector, bool level = false)
{
    return InterruptMessage{vector, DeliveryMode::Fixed, level, false, 0};
}

struct LocalApicFixture : ::testing::Test {
    NullSink downstream;
    IoApic io_apic{downstream, 1};
    LocalApic apic{0, &io_apic};
    LocalApicFixture() { apic.write(Svr, 0x1ff, 0); } // software-enabled, spurious 0xff
};

TEST(LocalApic, StartsSoftwareDisabledWithEveryLvtMasked)
{
    LocalApic apic{3, nullptr};
    EXPECT_EQ(apic.read(0x20, 0), 3u << 24);
    EXPECT_EQ(apic.read(0x30, 0) & 0xff, 0x14u);
    EXPECT_EQ(apic.read(Svr, 0), 0xffu);
    EXPECT_EQ(apic.read(LvtTimer, 0), 1u << 16);
    apic.deliver(fixed(0x40));
    EXPECT_EQ(apic.deliverable_vector(), -1); // disabled: nothing accepted
    apic.write(LvtTimer, 0x30, 0);
    EXPECT_NE(apic.read(LvtTimer, 0) & (1u << 16), 0u); // stays masked while disabled
}

TEST_F(LocalApicFixture, DeliversTheHighestVectorAboveTheProcessorPriority)
{
    apic.deliver(fixed(0x41));
    apic.deliver(fixed(0x62));
    EXPECT_EQ(apic.deliverable_vector(), 0x62);
    apic.write(Tpr, 0x70, 0);
    EXPECT_EQ(apic.deliverable_vector(), -1); // class 6 is not above TPR class 7
    apic.write(Tpr, 0x00, 0);
    EXPECT_EQ(apic.acknowledge(), 0x62);
    EXPECT_EQ(apic.read(Isr + 0x30, 0), 1u << 2); // vector 0x62 in service
    EXPECT_EQ(apic.read(Ppr, 0), 0x60u);
    EXPECT_EQ(apic.deliverable_vector(), -1); // 0x41 waits for the EOI
    apic.write(Eoi, 0, 0);
    EXPECT_EQ(apic.acknowledge(), 0x41);
    EXPECT_EQ(apic.read(Irr + 0x20, 0), 0u);
}

TEST_F(LocalApicFixture, ForwardsEoiOfLevelVectorsToTheIoApic)
{
    // GSI 9 (the SCI), level-triggered, vector 0x49, device still asserting after the EOI.
    io_apic.write(0x00, 0x10 + 2 * 9);
    io_apic.write(0x10, 0x49 | (1u << 15));
    apic.deliver(fixed(0x49, true));
    EXPECT_EQ(apic.acknowledge(), 0x49);
    EXPECT_EQ(apic.read(0x180 + 0x20, 0), 1u << 9); // TMR marks it level
    io_apic.set_line(9, true);                      // delivered to `downstream` once
    ASSERT_EQ(downstream.messages.size(), 1u);
    apic.write(Eoi, 0, 0); // the EOI reaches the I/O APIC: again
    EXPECT_EQ(downstream.messages.size(), 2u);
}

TEST_F(LocalApicFixture, OneShotTimerCountsDownAndFiresOnce)
{
    apic.write(Divide, 0xb, 0);      // divide by 1
    apic.write(LvtTimer, 0xef, 0);   // one-shot, vector 0xef
    apic.write(Initial, 1000000, 0); // 10 ms at 100 MHz
    EXPECT_EQ(apic.read(Current, 5000000), 500000u);
    EXPECT_EQ(apic.next_timer_deadline_ns(0), 10000000u);
    apic.advance(9999999);
    EXPECT_EQ(apic.deliverable_vector(), -1);
    apic.advance(10000000);
    EXPECT_EQ(apic.deliverable_vector(), 0xef);
    EXPECT_EQ(apic.read(Current, 20000000), 0u);
    EXPECT_EQ(apic.next_timer_deadline_ns(20000000), ~0ull);
}

TEST_F(LocalApicFixture, PeriodicTimerHonoursTheDivider)
{
    apic.write(Divide, 0x3, 0); // divide by 16
    apic.write(LvtTimer, (1u << 17) | 0xec, 0);
    apic.write(Initial, 62500, 0); // 62500 * 16 ticks = 10 ms
    EXPECT_EQ(apic.next_timer_deadline_ns(0), 10000000u);
    EXPECT_EQ(apic.read(Current, 2500000), 46875u);
    apic.advance(10000000);
    EXPECT_EQ(apic.acknowledge(), 0xec);
    apic.write(Eoi, 0, 0);
    EXPECT_EQ(apic.next_timer_deadline_ns(10000000), 20000000u);
    apic.advance(55000000); // several periods late: one interrupt
    EXPECT_EQ(apic.acknowledge(), 0xec);
    EXPECT_EQ(apic.acknowledge(), -1);
    EXPECT_EQ(apic.next_timer_deadline_ns(55000000), 60000000u);
    apic.write(Initial, 0, 55000000); // stop
    EXPECT_EQ(apic.next_timer_deadline_ns(55000000), ~0ull);
}

TEST_F(LocalApicFixture, MaskedTimerRaisesNothing)
{
    apic.write(LvtTimer, (1u << 16) | 0xef, 0);
    apic.write(Divide, 0xb, 0);
    apic.write(Initial, 100, 0);
    apic.advance(1000000);
    EXPECT_EQ(apic.deliverable_vector(), -1);
}

TEST_F(LocalApicFixture, SelfIpisArriveAndOthersAreDropped)
{
    apic.write(IcrHigh, 0, 0);
    apic.write(IcrLow, 0xf3, 0); // fixed, vector 0xf3, destination 0 (us)
    EXPECT_EQ(apic.deliverable_vector(), 0xf3);
    apic.acknowledge();
    apic.write(IcrLow, (1u << 18) | 0xf4, 0); // shorthand: self
    apic.write(Eoi, 0, 0);
    EXPECT_EQ(apic.acknowledge(), 0xf4);
    apic.write(IcrHigh, 5u << 24, 0);
    apic.write(IcrLow, 0xf5, 0); // to APIC 5: no one
    apic.write(Eoi, 0, 0);
    EXPECT_EQ(apic.deliverable_vector(), -1);
    apic.write(IcrLow, (1u << 18) | (4u << 8), 0); // NMI to self
    EXPECT_TRUE(apic.take_nmi());
    EXPECT_FALSE(apic.take_nmi());
}

TEST_F(LocalApicFixture, RefusesVectorsBelowSixteenWithAnError)
{
    apic.deliver(fixed(0x05));
    EXPECT_EQ(apic.deliverable_vector(), -1);
    EXPECT_NE(apic.read(0x280, 0) & (1u << 6), 0u);
    apic.write(0x280, 0, 0);
    EXPECT_EQ(apic.read(0x280, 0), 0u);
}

} // namespace
} // namespace tessera::services::vmm
