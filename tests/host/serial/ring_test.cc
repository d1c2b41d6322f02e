// The serial protocol's byte rings (tessera/queue/serial.h): capacity from the region size,
// order, full and empty, wrap-around of the ring and of the 32-bit indices, the signal protocol,
// hostile indices, and two threads streaming megabytes through one ring.

#include <gtest/gtest.h>
#include <tessera/queue/layout.h>
#include <tessera/queue/serial.h>

#include "../common/host_notification.h"
#include "ring_region.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

extern "C" int serial_ring_c_round_trip(void* region, size_t bytes);

namespace {

using Region = tessera::test::RingRegion;
using tessera::test::read_all;

struct Pair {
    tessera_serial_ring producer{};
    tessera_serial_ring consumer{};
    explicit Pair(Region& region)
    {
        EXPECT_EQ(tessera_serial_attach_producer(&producer, region.memory(), region.bytes()),
                  TESSERA_SERIAL_OK);
        EXPECT_EQ(tessera_serial_attach_consumer(&consumer, region.memory(), region.bytes()),
                  TESSERA_SERIAL_OK);
    }
};

TEST(SerialRingLayout, ControlBlockMatchesTheDescriptorQueues)
{
    static_assert(sizeof(tessera_serial_control) == sizeof(tessera::queue::Control));
    static_assert(offsetof(tessera_serial_control, tail) == 0);
    static_assert(offsetof(tessera_serial_control, head) == tessera::queue::CacheLine);
    static_assert(offsetof(tessera_serial_control, producer_wants_signal) ==
                  tessera::queue::CacheLine + 4);
}

TEST(SerialRingLayout, CapacityIsTheLargestPowerOfTwoAfterTheControlBlock)
{
    EXPECT_EQ(tessera_serial_capacity(0x1000), 2048u);
    EXPECT_EQ(tessera_serial_capacity(0x2000), 4096u);
    EXPECT_EQ(tessera_serial_capacity(0x3000), 8192u);
    EXPECT_EQ(tessera_serial_capacity(128 + 64), 64u);
    EXPECT_EQ(tessera_serial_capacity(128 + 63), 0u);
    EXPECT_EQ(tessera_serial_capacity(0), 0u);
}

TEST(SerialRingLayout, RefusesRegionsTooSmallMisalignedOrMissing)
{
    Region region(0x1000);
    tessera_serial_ring ring{};
    EXPECT_EQ(tessera_serial_attach_producer(&ring, region.memory(), 100), TESSERA_SERIAL_BAD_REGION);
    EXPECT_EQ(tessera_serial_attach_producer(&ring, static_cast<char*>(region.memory()) + 8, 0x800),
              TESSERA_SERIAL_BAD_REGION);
    EXPECT_EQ(tessera_serial_attach_consumer(&ring, nullptr, 0x1000), TESSERA_SERIAL_BAD_REGION);
    EXPECT_EQ(tessera_serial_attach_consumer(&ring, region.memory(), 0x1000), TESSERA_SERIAL_OK);
}

TEST(SerialRingLayout, WorksFromC)
{
    Region region(0x1000);
    EXPECT_EQ(serial_ring_c_round_trip(region.memory(), region.bytes()), 1);
}

TEST(SerialRing, DeliversBytesInOrderUntilFullThenEmpty)
{
    Region region(128 + 64);
    Pair pair(region);
    EXPECT_EQ(tessera_serial_available(&pair.consumer), 0);
    EXPECT_EQ(tessera_serial_free_space(&pair.producer), 64);
    std::string sent;
    for (int i = 0; i < 100; ++i)
        sent.push_back(static_cast<char>('a' + i % 26));
    EXPECT_EQ(tessera_serial_write(&pair.producer, sent.data(), sent.size()), 64); // as much as fits
    EXPECT_EQ(tessera_serial_free_space(&pair.producer), 0);
    EXPECT_EQ(tessera_serial_write(&pair.producer, "x", 1), 0);
    EXPECT_EQ(tessera_serial_available(&pair.consumer), 64);
    EXPECT_EQ(read_all(pair.consumer), sent.substr(0, 64));
    EXPECT_EQ(tessera_serial_available(&pair.consumer), 0);
    char byte = 'q';
    EXPECT_EQ(tessera_serial_read(&pair.consumer, &byte, 1), 0);
    EXPECT_EQ(byte, 'q'); // untouched when empty
}

TEST(SerialRing, PeekLeavesBytesAndDiscardTakesThem)
{
    Region region(0x1000);
    Pair pair(region);
    ASSERT_EQ(tessera_serial_write(&pair.producer, "line one\nline two\n", 18), 18);
    char buffer[32] = {};
    EXPECT_EQ(tessera_serial_peek(&pair.consumer, buffer, 9), 9);
    EXPECT_EQ(std::string(buffer, 9), "line one\n");
    EXPECT_EQ(tessera_serial_available(&pair.consumer), 18);
    EXPECT_EQ(tessera_serial_discard(&pair.consumer, 9), 9);
    EXPECT_EQ(tessera_serial_free_space(&pair.producer), 2048 - 9);
    EXPECT_EQ(read_all(pair.consumer), "line two\n");
    EXPECT_EQ(tessera_serial_discard(&pair.consumer, 5), 0);
}

TEST(SerialRing, WrapsAroundTheDataForManyLaps)
{
    Region region(128 + 64);
    Pair pair(region);
    uint32_t sent = 0, received = 0;
    // Uneven chunks so that the split point of each copy keeps moving around the ring.
    for (int round = 0; round < 20000; ++round) {
        uint8_t chunk[40];
        const size_t length = static_cast<size_t>(round % 37 + 1);
        for (size_t i = 0; i < length; ++i)
            chunk[i] = static_cast<uint8_t>((sent + i) * 7);
        const long written = tessera_serial_write(&pair.producer, chunk, length);
        ASSERT_GE(written, 0);
        sent += static_cast<uint32_t>(written);
        uint8_t out[40];
        const long got = tessera_serial_read(&pair.consumer, out, static_cast<size_t>(round % 29 + 1));
        ASSERT_GE(got, 0);
        for (long i = 0; i < got; ++i)
            ASSERT_EQ(out[i], static_cast<uint8_t>((received + static_cast<uint32_t>(i)) * 7));
        received += static_cast<uint32_t>(got);
        ASSERT_LE(sent - received, 64u);
    }
    EXPECT_GT(received, 100000u);
}

TEST(SerialRing, ThirtyTwoBitIndicesWrapWithoutLosingBytes)
{
    Region region(128 + 64);
    region.control().head = 0xffffffe0u;
    region.control().tail = 0xffffffe0u;
    Pair pair(region);
    std::string text(64, 'z');
    for (size_t i = 0; i < text.size(); ++i)
        text[i] = static_cast<char>('A' + i % 50);
    ASSERT_EQ(tessera_serial_write(&pair.producer, text.data(), text.size()), 64);
    EXPECT_LT(region.control().tail, 0xffffffe0u); // wrapped past zero
    EXPECT_EQ(read_all(pair.consumer), text);
}

TEST(SerialRing, ARestartedSideContinuesFromThePublishedIndex)
{
    Region region(0x1000);
    {
        Pair first(region);
        ASSERT_EQ(tessera_serial_write(&first.producer, "abcdef", 6), 6);
        char two[2];
        ASSERT_EQ(tessera_serial_read(&first.consumer, two, 2), 2);
    }
    Pair again(region); // both sides re-attach, as a restarted component would
    EXPECT_EQ(read_all(again.consumer), "cdef");
    ASSERT_EQ(tessera_serial_write(&again.producer, "g", 1), 1);
    EXPECT_EQ(read_all(again.consumer), "g");
}

TEST(SerialRing, ResetEmptiesTheRingAndClearsBothFlags)
{
    Region region(0x1000);
    Pair pair(region);
    ASSERT_EQ(tessera_serial_write(&pair.producer, "abc", 3), 3);
    region.control().consumer_wants_signal = 1;
    region.control().producer_wants_signal = 1;
    tessera_serial_reset(&pair.producer);
    tessera_serial_resynchronise_consumer(&pair.consumer);
    EXPECT_EQ(region.control().head, 0u);
    EXPECT_EQ(region.control().tail, 0u);
    EXPECT_EQ(region.control().consumer_wants_signal, 0u);
    EXPECT_EQ(region.control().producer_wants_signal, 0u);
    EXPECT_EQ(tessera_serial_available(&pair.consumer), 0);
}

TEST(SerialRingSignal, ProducerSignalsOnlyWhenTheConsumerAsked)
{
    Region region(0x1000);
    Pair pair(region);
    ASSERT_EQ(tessera_serial_write(&pair.producer, "a", 1), 1);
    EXPECT_FALSE(tessera_serial_producer_signal_needed(&pair.producer)); // consumer awake
    EXPECT_EQ(tessera_serial_consumer_prepare_to_sleep(&pair.consumer), 0); // bytes wait: no sleep
    EXPECT_EQ(region.control().consumer_wants_signal, 0u);                 // request withdrawn
    EXPECT_EQ(read_all(pair.consumer), "a");
    EXPECT_EQ(tessera_serial_consumer_prepare_to_sleep(&pair.consumer), 1);
    ASSERT_EQ(tessera_serial_write(&pair.producer, "b", 1), 1);
    ASSERT_EQ(tessera_serial_write(&pair.producer, "c", 1), 1);
    EXPECT_TRUE(tessera_serial_producer_signal_needed(&pair.producer));
    EXPECT_FALSE(tessera_serial_producer_signal_needed(&pair.producer)); // one request, one signal
}

TEST(SerialRingSignal, ConsumerSignalsAProducerWaitingForRoom)
{
    Region region(128 + 64);
    Pair pair(region);
    std::string fill(60, 'f');
    ASSERT_EQ(tessera_serial_write(&pair.producer, fill.data(), fill.size()), 60);
    EXPECT_EQ(tessera_serial_producer_prepare_to_sleep(&pair.producer, 4), 0); // 4 fit: no sleep
    EXPECT_EQ(tessera_serial_producer_prepare_to_sleep(&pair.producer, 10), 1); // 10 do not
    char buffer[8];
    ASSERT_EQ(tessera_serial_read(&pair.consumer, buffer, 3), 3);
    EXPECT_TRUE(tessera_serial_consumer_signal_needed(&pair.consumer));
    EXPECT_FALSE(tessera_serial_consumer_signal_needed(&pair.consumer));
}

TEST(SerialRingSignal, AProducerWantingMoreThanTheRingHoldsNeverSleepsOnAnEmptyRing)
{
    Region region(128 + 64);
    Pair pair(region);
    EXPECT_EQ(tessera_serial_producer_prepare_to_sleep(&pair.producer, 1000), 0);
}

TEST(SerialRingTrust, GarbageTailIsReportedToTheConsumerAndResynchronised)
{
    Region region(0x1000);
    Pair pair(region);
    ASSERT_EQ(tessera_serial_write(&pair.producer, "ok\n", 3), 3);
    region.control().tail = 0x7fff1234u; // a hostile producer
    char buffer[16];
    EXPECT_EQ(tessera_serial_available(&pair.consumer), TESSERA_SERIAL_CORRUPT);
    EXPECT_EQ(tessera_serial_read(&pair.consumer, buffer, sizeof buffer), TESSERA_SERIAL_CORRUPT);
    EXPECT_EQ(tessera_serial_peek(&pair.consumer, buffer, sizeof buffer), TESSERA_SERIAL_CORRUPT);
    EXPECT_EQ(tessera_serial_discard(&pair.consumer, 1), TESSERA_SERIAL_CORRUPT);
    EXPECT_EQ(tessera_serial_consumer_prepare_to_sleep(&pair.consumer), TESSERA_SERIAL_CORRUPT);
    tessera_serial_resynchronise_consumer(&pair.consumer);
    EXPECT_EQ(region.control().head, 0x7fff1234u);
    EXPECT_EQ(tessera_serial_available(&pair.consumer), 0);
    // A well-behaved producer that adopts the state carries on.
    tessera_serial_ring producer{};
    ASSERT_EQ(tessera_serial_attach_producer(&producer, region.memory(), region.bytes()),
              TESSERA_SERIAL_OK);
    ASSERT_EQ(tessera_serial_write(&producer, "again", 5), 5);
    EXPECT_EQ(read_all(pair.consumer), "again");
}

TEST(SerialRingTrust, GarbageHeadIsReportedToTheProducerAndResynchronised)
{
    Region region(0x1000);
    Pair pair(region);
    region.control().head = 12345; // a head ahead of the tail: the consumer claims unread bytes
    EXPECT_EQ(tessera_serial_free_space(&pair.producer), TESSERA_SERIAL_CORRUPT);
    EXPECT_EQ(tessera_serial_write(&pair.producer, "x", 1), TESSERA_SERIAL_CORRUPT);
    EXPECT_EQ(tessera_serial_producer_prepare_to_sleep(&pair.producer, 1), TESSERA_SERIAL_CORRUPT);
    EXPECT_EQ(region.control().tail, 0u); // nothing was written
    tessera_serial_resynchronise_producer(&pair.producer);
    EXPECT_EQ(tessera_serial_free_space(&pair.producer), 2048);
}

TEST(SerialRingTrust, OwnIndexIsNeverReadBackFromSharedMemory)
{
    Region region(0x1000);
    Pair pair(region);
    ASSERT_EQ(tessera_serial_write(&pair.producer, "abc", 3), 3);
    region.control().tail = 1; // the consumer scribbles on the producer's index
    ASSERT_EQ(tessera_serial_write(&pair.producer, "d", 1), 1);
    EXPECT_EQ(region.control().tail, 4u); // the producer republishes its own
    EXPECT_EQ(read_all(pair.consumer), "abcd");
}

using Notification = tessera::test::HostNotification;

uint8_t pattern(uint64_t position)
{
    return static_cast<uint8_t>(position * 2654435761u >> 13);
}

// Streams `total` bytes from a producer thread to this one in uneven chunks, both sides sleeping
// on notifications when the ring is full or empty, and checks every byte.
void stream(uint64_t total, size_t region_bytes)
{
    Region region(region_bytes);
    Notification data_ready, room_ready;
    std::thread producer_thread([&] {
        tessera_serial_ring ring{};
        ASSERT_EQ(tessera_serial_attach_producer(&ring, region.memory(), region.bytes()), 0);
        uint64_t sent = 0;
        uint8_t chunk[300];
        while (sent < total && data_ready.lost_wakeups() == 0 && room_ready.lost_wakeups() == 0) {
            const size_t length =
                static_cast<size_t>(std::min<uint64_t>(total - sent, sent % 293 + 1));
            for (size_t i = 0; i < length; ++i)
                chunk[i] = pattern(sent + i);
            const long written = tessera_serial_write(&ring, chunk, length);
            ASSERT_GE(written, 0);
            sent += static_cast<uint64_t>(written);
            if (tessera_serial_producer_signal_needed(&ring))
                data_ready.signal();
            if (static_cast<size_t>(written) < length &&
                tessera_serial_producer_prepare_to_sleep(&ring, length - written) == 1)
                room_ready.wait();
        }
    });
    tessera_serial_ring ring{};
    ASSERT_EQ(tessera_serial_attach_consumer(&ring, region.memory(), region.bytes()), 0);
    uint64_t received = 0;
    bool intact = true;
    uint8_t buffer[512];
    while (received < total && data_ready.lost_wakeups() == 0 && room_ready.lost_wakeups() == 0) {
        const long got = tessera_serial_read(&ring, buffer, received % 509 + 1);
        ASSERT_GE(got, 0);
        for (long i = 0; i < got; ++i)
            intact = intact && buffer[i] == pattern(received + static_cast<uint64_t>(i));
        received += static_cast<uint64_t>(got);
        if (tessera_serial_consumer_signal_needed(&ring))
            room_ready.signal();
        if (got == 0 && tessera_serial_consumer_prepare_to_sleep(&ring) == 1)
            data_ready.wait();
    }
    producer_thread.join();
    EXPECT_TRUE(intact);
    EXPECT_EQ(received, total);
    EXPECT_EQ(data_ready.lost_wakeups(), 0);
    EXPECT_EQ(room_ready.lost_wakeups(), 0);
}

TEST(SerialRingStress, TwoThreadsStreamMegabytesIntactSleepingOnNotifications)
{
    stream(16u << 20, 0x1000);
}

TEST(SerialRingStress, TheSmallestRingForcesConstantSleeping)
{
    stream(1u << 20, 128 + 64);
}

} // namespace
