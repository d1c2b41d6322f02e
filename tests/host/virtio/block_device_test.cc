// The virtio-blk device core against the fake device: bring-up and feature negotiation, reads
// and writes landing where they should, several requests in flight completing in any order,
// flush, and the device's error statuses.
#include "device_fixture.h"

#include <cstring>

namespace tessera::drivers::virtio_blk {
namespace {

using test::AllFeatures;
using test::DeviceFixture;

TEST_F(DeviceFixture, StartNegotiatesFeaturesAndReportsTheDisk)
{
    const DeviceFacts facts = start_device(0);
    EXPECT_EQ(facts.capacity_blocks, 1024u); // 8192 sectors of 512 bytes
    EXPECT_FALSE(facts.read_only);
    EXPECT_TRUE(facts.has_flush);
    EXPECT_TRUE(facts.event_index);
    EXPECT_GE(facts.queue_size, 64);
    EXPECT_EQ(fake.status & virtio::StatusDriverOk, virtio::StatusDriverOk);
    EXPECT_EQ(fake.status & virtio::StatusFailed, 0);
    EXPECT_EQ(fake.driver_features & ~AllFeatures, 0u);
    EXPECT_NE(fake.driver_features & virtio::FeatureVersion1, 0u);
    EXPECT_EQ(fake.queue_vector, 0);
    EXPECT_TRUE(fake.queue_enabled);
}

class LegacyOnlyFixture : public DeviceFixture {
protected:
    LegacyOnlyFixture() : DeviceFixture(FeatureFlush) {}
};

TEST_F(LegacyOnlyFixture, DeviceWithoutVersion1IsRefusedAndMarkedFailed)
{
    auto facts = device.start(transport, region(), virtio::NoVector, 256);
    ASSERT_FALSE(facts);
    EXPECT_NE(fake.status & virtio::StatusFailed, 0);
}

TEST_F(DeviceFixture, DeviceThatDropsFeaturesOkIsRefused)
{
    fake.refuse_features_ok = true;
    EXPECT_FALSE(device.start(transport, region(), virtio::NoVector, 256));
    EXPECT_NE(fake.status & virtio::StatusFailed, 0);
}

TEST_F(DeviceFixture, QueueShrinksToTheDevicesMaximum)
{
    fake.max_queue_size = 16;
    EXPECT_EQ(start_device().queue_size, 16);
}

TEST_F(DeviceFixture, ReadLandsInTheBufferAndWriteOnTheDisk)
{
    start_device();
    auto read = device.submit(TESSERA_BLK_READ, 3, 2, data.bus(0));
    ASSERT_TRUE(read);
    device.publish();
    EXPECT_EQ(fake.notifications, 1u);
    EXPECT_EQ(fake.complete(), 1u);
    uint16_t head;
    uint32_t status;
    ASSERT_TRUE(device.take_completion(head, status));
    EXPECT_EQ(head, read.value());
    EXPECT_EQ(status, uint32_t(TESSERA_BLK_OK));
    EXPECT_EQ(std::memcmp(data.data(), fake.disk.data() + 3 * 4096, 2 * 4096), 0);

    std::memset(data.data() + 65536, 0xa5, 4096);
    ASSERT_TRUE(device.submit(TESSERA_BLK_WRITE, 1000, 1, data.bus(65536)));
    device.publish();
    fake.complete();
    ASSERT_TRUE(device.take_completion(head, status));
    EXPECT_EQ(status, uint32_t(TESSERA_BLK_OK));
    for (uint32_t i = 0; i < 4096; ++i)
        ASSERT_EQ(disk_byte(1000, i), 0xa5);
    EXPECT_EQ(device.outstanding(), 0);
}

TEST_F(DeviceFixture, ManyInFlightCompleteInReverseOrderEachOnce)
{
    const DeviceFacts facts = start_device();
    std::vector<uint16_t> heads;
    for (uint32_t i = 0; device.has_room_for(1); ++i) {
        auto head = device.submit(TESSERA_BLK_READ, i, 1, data.bus(4096 * (i % 256)));
        ASSERT_TRUE(head);
        heads.push_back(head.value());
    }
    EXPECT_EQ(heads.size(), facts.queue_size / 3u);
    device.publish();
    EXPECT_EQ(fake.notifications, 1u); // one notification for the batch
    fake.complete_newest_first();
    std::vector<uint16_t> taken;
    uint16_t head;
    uint32_t status;
    while (device.take_completion(head, status)) {
        EXPECT_EQ(status, uint32_t(TESSERA_BLK_OK));
        taken.push_back(head);
    }
    std::reverse(taken.begin(), taken.end());
    EXPECT_EQ(taken, heads);
    EXPECT_TRUE(device.has_room_for(1));
}

TEST_F(DeviceFixture, EventIndexKeepsNotificationsAndInterruptsToOnePerBatch)
{
    start_device();
    for (unsigned batch = 0; batch < 10; ++batch) {
        for (uint32_t i = 0; i < 8; ++i)
            ASSERT_TRUE(device.submit(TESSERA_BLK_READ, i, 1, data.bus(4096 * i)));
        device.publish();
        fake.complete();
        uint16_t head;
        uint32_t status;
        while (device.take_completion(head, status)) {
        }
        EXPECT_TRUE(device.prepare_to_sleep());
    }
    EXPECT_EQ(fake.notifications, 10u);
    EXPECT_EQ(fake.interrupts, 10u);
}

TEST_F(DeviceFixture, FlushReachesTheDevice)
{
    start_device();
    ASSERT_TRUE(device.submit(TESSERA_BLK_FLUSH, 0, 0, 0));
    device.publish();
    fake.complete();
    uint16_t head;
    uint32_t status;
    ASSERT_TRUE(device.take_completion(head, status));
    EXPECT_EQ(status, uint32_t(TESSERA_BLK_OK));
    EXPECT_EQ(fake.flushes, 1u);
}

TEST_F(DeviceFixture, DeviceIoErrorBecomesAnIoErrorStatus)
{
    start_device();
    fake.fails = [](uint64_t sector, bool write) { return write && sector >= 80 && sector < 88; };
    ASSERT_TRUE(device.submit(TESSERA_BLK_WRITE, 10, 1, data.bus()));
    ASSERT_TRUE(device.submit(TESSERA_BLK_READ, 10, 1, data.bus()));
    device.publish();
    fake.complete();
    uint16_t head;
    uint32_t first, second;
    ASSERT_TRUE(device.take_completion(head, first));
    ASSERT_TRUE(device.take_completion(head, second));
    EXPECT_EQ(first, uint32_t(TESSERA_BLK_ERROR_IO));
    EXPECT_EQ(second, uint32_t(TESSERA_BLK_OK));
}

TEST_F(DeviceFixture, SizeMaxSplitsLargeTransfersIntoSegments)
{
    fake.features |= FeatureSizeMax;
    fake.size_max = 8192;
    const DeviceFacts facts = start_device();
    EXPECT_GE(facts.max_count, 16u);
    std::memset(data.data(), 0x3c, 16 * 4096);
    ASSERT_TRUE(device.submit(TESSERA_BLK_WRITE, 100, 16, data.bus()));
    device.publish();
    fake.complete();
    EXPECT_EQ(fake.last_chain_length, 2u + 8u); // header, 8 segments of 8 KiB, status
    uint16_t head;
    uint32_t status;
    ASSERT_TRUE(device.take_completion(head, status));
    EXPECT_EQ(status, uint32_t(TESSERA_BLK_OK));
    for (uint32_t i = 0; i < 16 * 4096; i += 509)
        ASSERT_EQ(fake.disk[100 * 4096 + i], 0x3c);
}

} // namespace
} // namespace tessera::drivers::virtio_blk
