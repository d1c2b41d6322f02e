// The 8254 and port 0x61: Linux's two TSC calibrations on channel 2 (the OUT poll and the MSB
// countdown), channel 0 as a periodic and a one-shot clock event, latching, read-back, the gate.
#include "pit_8254.h"

#include <gtest/gtest.h>

namespace tessera::services::vmm {
namespace {

constexpr uint16_t Ch0 = 0x40, Ch2 = 0x42, Command = 0x43, PortB = 0x61;
constexpr uint64_t Ms = 1000000;

// ns at which `ticks` PIT ticks have passed since 0 (rounded up).
uint64_t ns_after(uint64_t ticks)
{
    return (ticks * 1000000000 + PitHz - 1) / PitHz;
}

TEST(Pit8254, Channel2OutRisesWhenTheCalibrationCountExpires)
{
    Pit8254 pit;
    const uint64_t latch = PitHz / 20; // Linux's 50 ms calibration window
    pit.write(PortB, (pit.read(PortB, 0) & ~0x02) | 0x01, 0);
    pit.write(Command, 0xb0, 0); // channel 2, low/high, mode 0
    pit.write(Ch2, latch & 0xff, 0);
    pit.write(Ch2, latch >> 8, 0);
    EXPECT_EQ(pit.read(PortB, 0) & 0x20, 0);
    EXPECT_EQ(pit.read(PortB, ns_after(latch) - 1000) & 0x20, 0);
    EXPECT_EQ(pit.read(PortB, ns_after(latch)) & 0x20, 0x20);
    EXPECT_EQ(pit.read(PortB, ns_after(latch) + 50 * Ms) & 0x20, 0x20); // stays high
}

TEST(Pit8254, Channel2CountsDownByExactTicksForTheMsbLoop)
{
    Pit8254 pit;
    pit.write(PortB, 0x01, 0);
    pit.write(Command, 0xb0, 0);
    pit.write(Ch2, 0xff, 0);
    pit.write(Ch2, 0xff, 0);
    for (uint64_t ticks :
         {uint64_t{0}, uint64_t{1}, uint64_t{255}, uint64_t{256}, uint64_t{40000}}) {
        uint64_t now = ns_after(ticks);
        uint8_t low = pit.read(Ch2, now);
        uint8_t high = pit.read(Ch2, now);
        EXPECT_EQ(low | (high << 8), 0xffff - ticks) << ticks;
    }
}

TEST(Pit8254, GateLowPausesChannel2)
{
    Pit8254 pit;
    pit.write(PortB, 0x01, 0);
    pit.write(Command, 0xb4, 0); // channel 2, low/high, mode 2
    pit.write(Ch2, 0x00, 0);
    pit.write(Ch2, 0x10, 0); // 4096
    pit.write(PortB, 0x00, ns_after(100));
    uint64_t later = ns_after(3000);
    uint16_t paused = static_cast<uint16_t>(pit.read(Ch2, later) | pit.read(Ch2, later) << 8);
    EXPECT_EQ(paused, 4096 - 100);
    pit.write(PortB, 0x01, later);
    uint64_t resumed = later + ns_after(50);
    uint16_t counting = static_cast<uint16_t>(pit.read(Ch2, resumed) | pit.read(Ch2, resumed) << 8);
    EXPECT_NEAR(counting, 4096 - 150, 1);
}

TEST(Pit8254, Channel0PeriodicInterruptsCoalesceMissedPeriods)
{
    Pit8254 pit;
    const uint16_t reload = 1193; // ~1000 Hz
    pit.write(Command, 0x34, 0);  // channel 0, low/high, mode 2
    pit.write(Ch0, reload & 0xff, 0);
    pit.write(Ch0, reload >> 8, 0);
    uint64_t first = pit.next_interrupt_ns(0);
    EXPECT_EQ(first, ns_after(reload));
    EXPECT_FALSE(pit.take_interrupt(first - 1));
    EXPECT_TRUE(pit.take_interrupt(first));
    EXPECT_FALSE(pit.take_interrupt(first));
    EXPECT_EQ(pit.next_interrupt_ns(first), ns_after(2 * reload));
    // Ten periods later: one interrupt, then the next period's deadline.
    uint64_t late = ns_after(12 * reload) + 10;
    EXPECT_EQ(pit.next_interrupt_ns(late), late); // due now
    EXPECT_TRUE(pit.take_interrupt(late));
    EXPECT_FALSE(pit.take_interrupt(late));
    EXPECT_EQ(pit.next_interrupt_ns(late), ns_after(13 * reload));
}

TEST(Pit8254, Channel0OneShotFiresOncePerLoad)
{
    Pit8254 pit;
    pit.write(Command, 0x30, 0); // channel 0, low/high, mode 0
    EXPECT_EQ(pit.next_interrupt_ns(0), NoDeadline);
    pit.write(Ch0, 100, 0);
    pit.write(Ch0, 0, 0);
    EXPECT_EQ(pit.next_interrupt_ns(0), ns_after(100));
    EXPECT_TRUE(pit.take_interrupt(ns_after(100)));
    EXPECT_FALSE(pit.take_interrupt(ns_after(100000)));
    EXPECT_EQ(pit.next_interrupt_ns(ns_after(100000)), NoDeadline);
    pit.write(Ch0, 50, ns_after(200));
    pit.write(Ch0, 0, ns_after(200));
    EXPECT_TRUE(pit.take_interrupt(ns_after(251)));
}

TEST(Pit8254, LatchFreezesTheCountUntilBothBytesAreRead)
{
    Pit8254 pit;
    pit.write(Command, 0x34, 0);
    pit.write(Ch0, 0x00, 0);
    pit.write(Ch0, 0x00, 0);                  // 65536
    pit.write(Command, 0x00, ns_after(1000)); // latch channel 0
    uint8_t low = pit.read(Ch0, ns_after(5000));
    uint8_t high = pit.read(Ch0, ns_after(9000));
    EXPECT_EQ(low | (high << 8), 65536 - 1000);
    uint8_t low2 = pit.read(Ch0, ns_after(9000));
    uint8_t high2 = pit.read(Ch0, ns_after(9000));
    EXPECT_EQ(low2 | (high2 << 8), 65536 - 9000); // live again
}

TEST(Pit8254, ReadBackReportsOutputModeAndAccess)
{
    Pit8254 pit;
    pit.write(Command, 0xb0, 0); // channel 2, mode 0, low/high
    pit.write(Command, 0xe8, 0); // read-back status only (count bit 5 set), channel 2
    EXPECT_EQ(pit.read(Ch2, 0), 0x40 | 0x30 | 0x00); // null count, access 3, mode 0, OUT low
    pit.write(Ch2, 10, 0);
    pit.write(Ch2, 0, 0);
    pit.write(PortB, 0x01, 0);
    pit.write(Command, 0xe8, ns_after(20));
    EXPECT_EQ(pit.read(Ch2, ns_after(20)), 0x80 | 0x30);
}

TEST(Pit8254, PortBTogglesRefreshAndKeepsItsControlBits)
{
    Pit8254 pit;
    pit.write(PortB, 0xff, 0);
    EXPECT_EQ(pit.read(PortB, 0) & 0x0f, 0x03);
    EXPECT_NE(pit.read(PortB, 0) & 0x10, pit.read(PortB, 15085) & 0x10);
    EXPECT_TRUE(Pit8254::handles(0x43));
    EXPECT_FALSE(Pit8254::handles(0x44));
    EXPECT_EQ(pit.read(Command, 0), 0xff);
}

} // namespace
} // namespace tessera::services::vmm
