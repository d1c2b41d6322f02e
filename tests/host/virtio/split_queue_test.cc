// The split virtqueue on its own: chains and the free list, index wrap-around, notification
// decisions with and without event index, and a device that writes nonsense.
#include <tessera/virtio/split_queue.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace tessera::virtio {
namespace {

// The three parts in one host buffer, "bus addresses" being host pointers.
class QueueFixture : public ::testing::Test {
protected:
    void make(uint16_t size, bool event_index)
    {
        memory_.assign(65536, 0);
        uint8_t* base = memory_.data();
        const size_t available = descriptor_table_bytes(size);
        const size_t used = (available + available_ring_bytes(size) + 3) & ~size_t(3);
        queue_memory_ = QueueMemory{base, base + available, base + used, bus(base),
                                    bus(base + available), bus(base + used)};
        ASSERT_TRUE(queue_.init(size, queue_memory_, event_index));
        size_ = size;
    }
    static uint64_t bus(void* pointer) { return reinterpret_cast<uint64_t>(pointer); }
    uint16_t* available_index() { return reinterpret_cast<uint16_t*>(static_cast<uint8_t*>(queue_memory_.available) + 2); }
    uint16_t available_entry(uint16_t slot)
    {
        return reinterpret_cast<uint16_t*>(static_cast<uint8_t*>(queue_memory_.available) + 4)[slot % size_];
    }
    Descriptor* table() { return static_cast<Descriptor*>(queue_memory_.descriptors); }
    uint8_t* used() { return static_cast<uint8_t*>(queue_memory_.used); }
    // The device's side: posts chain `head` as used with `written` bytes.
    void device_uses(uint16_t head, uint32_t written)
    {
        uint16_t& index = *reinterpret_cast<uint16_t*>(used() + 2);
        std::memcpy(used() + 4 + 8 * (index % size_), &head, 2);
        std::memset(used() + 4 + 8 * (index % size_) + 2, 0, 2);
        std::memcpy(used() + 4 + 8 * (index % size_) + 4, &written, 4);
        ++index;
    }
    void set_available_event(uint16_t value) { std::memcpy(used() + 4 + 8 * size_, &value, 2); }

    std::vector<uint8_t> memory_;
    QueueMemory queue_memory_{};
    SplitQueue queue_;
    uint16_t size_ = 0;
};

TEST_F(QueueFixture, ChainLinksBuffersWithDirectionFlags)
{
    make(8, false);
    const Buffer buffers[3] = {{0x1000, 16, false}, {0x2000, 4096, true}, {0x3000, 1, true}};
    auto head = queue_.add(buffers, 3);
    ASSERT_TRUE(head);
    EXPECT_EQ(queue_.free_descriptors(), 5);
    const Descriptor& first = table()[head.value()];
    EXPECT_EQ(first.address, 0x1000u);
    EXPECT_EQ(first.flags, DescriptorNext);
    const Descriptor& second = table()[first.next];
    EXPECT_EQ(second.length, 4096u);
    EXPECT_EQ(second.flags, DescriptorNext | DescriptorWrite);
    const Descriptor& third = table()[second.next];
    EXPECT_EQ(third.flags, DescriptorWrite);
    // Not visible before publish.
    EXPECT_EQ(*available_index(), 0);
    EXPECT_TRUE(queue_.publish());
    EXPECT_EQ(*available_index(), 1);
    EXPECT_EQ(available_entry(0), head.value());
}

TEST_F(QueueFixture, RefusesChainsLongerThanTheFreeDescriptorsAndChangesNothing)
{
    make(4, false);
    const Buffer buffers[5] = {};
    EXPECT_EQ(queue_.add(buffers, 5).code(), seL4_NotEnoughMemory);
    EXPECT_EQ(queue_.free_descriptors(), 4);
    EXPECT_EQ(queue_.outstanding(), 0);
    EXPECT_EQ(queue_.add(buffers, 0).code(), seL4_InvalidArgument);
}

TEST_F(QueueFixture, UsedChainsReturnTheirDescriptorsForMillionsOfRoundsAcrossIndexWrap)
{
    make(16, false);
    const Buffer buffers[3] = {{1, 16, false}, {2, 512, true}, {3, 1, true}};
    std::vector<uint16_t> heads;
    for (unsigned round = 0; round < 100000; ++round) {
        while (queue_.free_descriptors() >= 3)
            heads.push_back(queue_.add(buffers, 3).value());
        queue_.publish();
        // The device completes them newest first.
        for (auto it = heads.rbegin(); it != heads.rend(); ++it)
            device_uses(*it, 513);
        uint16_t head;
        uint32_t written;
        unsigned taken = 0;
        while (queue_.take_used(head, written)) {
            ASSERT_EQ(written, 513u);
            ++taken;
        }
        ASSERT_EQ(taken, heads.size());
        heads.clear();
        ASSERT_EQ(queue_.free_descriptors(), 16);
        ASSERT_FALSE(queue_.is_broken());
    }
    EXPECT_EQ(queue_.outstanding(), 0);
}

TEST_F(QueueFixture, WithoutEventIndexNotifiesUnlessTheDeviceSaysNoNotify)
{
    make(8, false);
    const Buffer buffer{1, 1, true};
    ASSERT_TRUE(queue_.add(&buffer, 1));
    EXPECT_TRUE(queue_.publish());
    EXPECT_FALSE(queue_.publish()); // nothing new
    *reinterpret_cast<uint16_t*>(used()) = UsedNoNotify;
    ASSERT_TRUE(queue_.add(&buffer, 1));
    EXPECT_FALSE(queue_.publish());
}

TEST_F(QueueFixture, WithEventIndexNotifiesOnlyWhenTheDeviceAskedForThatIndex)
{
    make(8, true);
    const Buffer buffer{1, 1, true};
    ASSERT_TRUE(queue_.add(&buffer, 1));
    EXPECT_TRUE(queue_.publish()); // the device's event index 0: wants index 1
    ASSERT_TRUE(queue_.add(&buffer, 1));
    EXPECT_FALSE(queue_.publish()); // still busy with the first: no notification
    set_available_event(2);
    ASSERT_TRUE(queue_.add(&buffer, 1));
    ASSERT_TRUE(queue_.add(&buffer, 1));
    EXPECT_TRUE(queue_.publish()); // crossed 2 in [2, 4)
}

TEST_F(QueueFixture, DeviceNamingAChainItDoesNotHoldBreaksTheQueue)
{
    make(8, false);
    const Buffer buffer{1, 1, true};
    ASSERT_TRUE(queue_.add(&buffer, 1));
    queue_.publish();
    device_uses(5, 0); // descriptor 5 heads nothing
    uint16_t head;
    uint32_t written;
    EXPECT_FALSE(queue_.take_used(head, written));
    EXPECT_TRUE(queue_.is_broken());
    EXPECT_EQ(queue_.add(&buffer, 1).code(), seL4_InvalidArgument);
}

TEST_F(QueueFixture, DeviceClaimingMoreUsedThanOutstandingBreaksTheQueue)
{
    make(8, false);
    const Buffer buffer{1, 1, true};
    auto head = queue_.add(&buffer, 1);
    queue_.publish();
    device_uses(head.value(), 0);
    device_uses(head.value(), 0); // the same chain twice: two used entries, one outstanding
    uint16_t taken_head;
    uint32_t written;
    EXPECT_FALSE(queue_.take_used(taken_head, written));
    EXPECT_TRUE(queue_.is_broken());
}

TEST_F(QueueFixture, PrepareToSleepSeesACompletionThatRacedIn)
{
    make(8, true);
    const Buffer buffer{1, 1, true};
    auto head = queue_.add(&buffer, 1);
    queue_.publish();
    EXPECT_TRUE(queue_.prepare_to_sleep());
    device_uses(head.value(), 1);
    EXPECT_FALSE(queue_.prepare_to_sleep());
}

TEST(SplitQueue, SizeMustBeAPowerOfTwoUpTo1024)
{
    std::vector<uint8_t> memory(65536);
    const QueueMemory m{memory.data(), memory.data() + 16384, memory.data() + 32768, 0, 0, 0};
    SplitQueue queue;
    EXPECT_FALSE(queue.init(0, m, false));
    EXPECT_FALSE(queue.init(12, m, false));
    EXPECT_FALSE(queue.init(2048, m, false));
    EXPECT_TRUE(queue.init(1024, m, false));
}

} // namespace
} // namespace tessera::virtio
