// The I/O APIC: the register window as Linux's io_apic.c programs it, masking, edge delivery on
// rising edges only, level delivery held by Remote IRR until the EOI, and its reset state.
#include "io_apic.h"

#include <gtest/gtest.h>

#include <vector>

namespace tessera::services::vmm {
namespace {

struct RecordingSink final : InterruptSink {
    std::vector<InterruptMessage> messages;
    void deliver(const InterruptMessage& message) override { messages.push_back(message); }
};

struct IoApicFixture : ::testing::Test {
    RecordingSink sink;
    IoApic apic{sink, 1};

    uint32_t read_register(uint8_t index)
    {
        apic.write(0x00, index);
        return apic.read(0x10);
    }
    void write_register(uint8_t index, uint32_t value)
    {
        apic.write(0x00, index);
        apic.write(0x10, value);
    }
    void route(unsigned pin, uint64_t entry)
    {
        write_register(static_cast<uint8_t>(0x10 + 2 * pin + 1),
                       static_cast<uint32_t>(entry >> 32));
        write_register(static_cast<uint8_t>(0x10 + 2 * pin), static_cast<uint32_t>(entry));
    }
};

constexpr uint64_t Level = 1ull << 15, Masked = 1ull << 16, RemoteIrr = 1ull << 14;

TEST_F(IoApicFixture, ReportsIdVersionAndTwentyFourMaskedEntriesAfterReset)
{
    EXPECT_EQ(read_register(0x00) >> 24, 1u);
    EXPECT_EQ(read_register(0x01), 0x00170020u); // 24 entries, version 0x20
    for (unsigned pin = 0; pin < IoApicPins; ++pin)
        EXPECT_EQ(apic.redirection(pin), Masked) << pin;
    write_register(0x00, 5u << 24);
    EXPECT_EQ(read_register(0x00) >> 24, 5u);
    write_register(0x01, 0);
    EXPECT_EQ(read_register(0x01), 0x00170020u); // read-only
    EXPECT_EQ(apic.read(0x00), 0x01u);           // IOREGSEL reads back
}

TEST_F(IoApicFixture, DeliversEdgeInputsOnRisingEdgesOnly)
{
    route(2, 0x30 | (uint64_t{0} << 56)); // PIT (ISA IRQ 0 on GSI 2), vector 0x30, edge
    apic.set_line(2, true);
    apic.set_line(2, true); // still high: no new edge
    apic.set_line(2, false);
    apic.set_line(2, true);
    ASSERT_EQ(sink.messages.size(), 2u);
    EXPECT_EQ(sink.messages[0].vector, 0x30);
    EXPECT_FALSE(sink.messages[0].level_triggered);
    EXPECT_EQ(sink.messages[0].mode, DeliveryMode::Fixed);
}

TEST_F(IoApicFixture, LosesEdgesWhileMaskedAndDeliversNothingForUnroutedPins)
{
    route(4, 0x34 | Masked);
    apic.set_line(4, true);
    apic.set_line(4, false);
    route(4, 0x34);
    EXPECT_TRUE(sink.messages.empty());
    apic.set_line(7, true);
    apic.set_line(99, true); // no such input
    EXPECT_TRUE(sink.messages.empty());
}

TEST_F(IoApicFixture, HoldsLevelInputsUntilTheEoiThenRedeliversIfStillAsserted)
{
    route(11, 0x41 | Level | (uint64_t{3} << 56) | (1ull << 11)); // logical destination 3
    apic.set_line(11, true);
    ASSERT_EQ(sink.messages.size(), 1u);
    EXPECT_TRUE(sink.messages[0].level_triggered);
    EXPECT_TRUE(sink.messages[0].logical_destination);
    EXPECT_EQ(sink.messages[0].destination, 3);
    EXPECT_NE(apic.redirection(11) & RemoteIrr, 0u);
    apic.set_line(11, true); // still in service: nothing new
    EXPECT_EQ(sink.messages.size(), 1u);
    apic.end_of_interrupt(0x42); // another vector
    EXPECT_EQ(sink.messages.size(), 1u);
    apic.end_of_interrupt(0x41); // the device still asserts: delivered again
    EXPECT_EQ(sink.messages.size(), 2u);
    apic.set_line(11, false);
    apic.end_of_interrupt(0x41);
    EXPECT_EQ(sink.messages.size(), 2u);
    EXPECT_EQ(apic.redirection(11) & RemoteIrr, 0u);
}

TEST_F(IoApicFixture, DeliversAnAssertedLevelInputWhenUnmasked)
{
    route(9, 0x49 | Level | Masked);
    apic.set_line(9, true);
    EXPECT_TRUE(sink.messages.empty());
    route(9, 0x49 | Level);
    ASSERT_EQ(sink.messages.size(), 1u);
    EXPECT_EQ(sink.messages[0].vector, 0x49);
}

TEST_F(IoApicFixture, KeepsRemoteIrrAndDeliveryStatusReadOnly)
{
    route(5, 0x50 | Level);
    route(5, 0x50 | Level | RemoteIrr | (1ull << 12));
    EXPECT_EQ(apic.redirection(5) & (RemoteIrr | (1ull << 12)), 0u);
    EXPECT_EQ(read_register(0x10 + 2 * 5) & 0xff, 0x50u);
}

} // namespace
} // namespace tessera::services::vmm
