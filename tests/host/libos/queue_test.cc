// Descriptor queues: order, full and empty, index wrap-around, the signal protocol, and two
// threads moving millions of descriptors with and without sleeping on notifications.

#include <gtest/gtest.h>
#include <tessera/queue.h>

#include "../common/host_notification.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>

namespace queue = tessera::queue;
using queue::BufferDescriptor;
using queue::QueueStatus;

namespace {

// A mapped queue region: 64-byte aligned and zeroed, as a fresh shared frame would be.
class SharedRegion {
public:
    explicit SharedRegion(uint32_t capacity)
        : bytes_(queue::region_bytes<BufferDescriptor>(capacity)),
          memory_(static_cast<char*>(std::aligned_alloc(queue::CacheLine, round_up(bytes_))))
    {
        std::memset(memory_.get(), 0, bytes_);
    }
    void* memory() { return memory_.get(); }
    queue::Control& control() { return *static_cast<queue::Control*>(memory()); }

private:
    static size_t round_up(size_t bytes)
    {
        return (bytes + queue::CacheLine - 1) & ~(queue::CacheLine - 1);
    }
    struct Free {
        void operator()(char* pointer) const { std::free(pointer); }
    };
    size_t bytes_;
    std::unique_ptr<char, Free> memory_;
};

BufferDescriptor descriptor_for(uint32_t sequence)
{
    return BufferDescriptor{uint64_t{sequence} * 2048, sequence % 1500 + 1, sequence};
}

TEST(QueueLayout, CapacityMustBeAPowerOfTwo)
{
    EXPECT_TRUE(queue::is_valid_capacity(1));
    EXPECT_TRUE(queue::is_valid_capacity(512));
    EXPECT_TRUE(queue::is_valid_capacity(1u << 31));
    EXPECT_FALSE(queue::is_valid_capacity(0));
    EXPECT_FALSE(queue::is_valid_capacity(48));
    EXPECT_EQ(queue::region_bytes<BufferDescriptor>(256), 128u + 256u * 16u);
}

TEST(Queue, DeliversDescriptorsInOrderUntilFullThenEmpty)
{
    SharedRegion region(8);
    queue::Producer<> producer(region.memory(), 8);
    queue::Consumer<> consumer(region.memory(), 8);
    BufferDescriptor out{};
    EXPECT_TRUE(consumer.is_empty());
    EXPECT_EQ(consumer.pop(out), QueueStatus::Empty);
    for (uint32_t i = 0; i < 8; ++i)
        ASSERT_EQ(producer.push(descriptor_for(i)), QueueStatus::Ok);
    EXPECT_TRUE(producer.is_full());
    EXPECT_EQ(producer.push(descriptor_for(99)), QueueStatus::Full);
    EXPECT_EQ(consumer.size(), 8u);
    for (uint32_t i = 0; i < 8; ++i) {
        ASSERT_EQ(consumer.pop(out), QueueStatus::Ok);
        EXPECT_EQ(out.cookie, i);
        EXPECT_EQ(out.offset, uint64_t{i} * 2048);
        EXPECT_EQ(out.length, i % 1500 + 1);
    }
    out.cookie = 12345;
    EXPECT_EQ(consumer.pop(out), QueueStatus::Empty);
    EXPECT_EQ(out.cookie, 12345u); // untouched when empty
}

TEST(Queue, WrapsAroundTheRingForManyLaps)
{
    SharedRegion region(4);
    queue::Producer<> producer(region.memory(), 4);
    queue::Consumer<> consumer(region.memory(), 4);
    uint32_t sent = 0, received = 0;
    // Uneven batches so that the fill level and slot positions keep changing lap after lap.
    for (int round = 0; round < 10000; ++round) {
        const int batch = round % 5;
        for (int i = 0; i < batch; ++i) {
            if (producer.push(descriptor_for(sent)) == QueueStatus::Ok)
                ++sent;
        }
        BufferDescriptor out{};
        for (int i = 0; i < (round * 7) % 4 + 1; ++i) {
            if (consumer.pop(out) != QueueStatus::Ok)
                break;
            ASSERT_EQ(out.cookie, received++);
        }
        ASSERT_LE(sent - received, 4u);
    }
    EXPECT_GT(received, 5000u);
}

TEST(Queue, ThirtyTwoBitIndicesWrapWithoutLosingDescriptors)
{
    SharedRegion region(16);
    const uint32_t start = 0xfffffff0u;
    region.control().head.store(start);
    region.control().tail.store(start);
    queue::Producer<> producer(region.memory(), 16);
    queue::Consumer<> consumer(region.memory(), 16);
    for (uint32_t i = 0; i < 16; ++i)
        ASSERT_EQ(producer.push(descriptor_for(i)), QueueStatus::Ok);
    EXPECT_EQ(producer.push(descriptor_for(16)), QueueStatus::Full);
    EXPECT_LT(region.control().tail.load(), start); // the tail has wrapped past zero
    BufferDescriptor out{};
    for (uint32_t i = 0; i < 16; ++i) {
        ASSERT_EQ(consumer.pop(out), QueueStatus::Ok);
        EXPECT_EQ(out.cookie, i);
    }
    EXPECT_EQ(consumer.pop(out), QueueStatus::Empty);
}

// Any trivially copyable type can be the descriptor; the ring uses its size.
struct Completion {
    uint32_t request;
    int32_t status;
};

TEST(Queue, CarriesCustomDescriptorTypes)
{
    SharedRegion region(64); // more than region_bytes<Completion>(4) needs
    queue::Producer<Completion> producer(region.memory(), 4);
    queue::Consumer<Completion> consumer(region.memory(), 4);
    EXPECT_EQ(queue::region_bytes<Completion>(4), 128u + 4u * 8u);
    for (uint32_t i = 0; i < 10; ++i) {
        ASSERT_EQ(producer.push(Completion{i, -static_cast<int32_t>(i)}), QueueStatus::Ok);
        Completion out{};
        ASSERT_EQ(consumer.pop(out), QueueStatus::Ok);
        EXPECT_EQ(out.request, i);
        EXPECT_EQ(out.status, -static_cast<int32_t>(i));
    }
}

TEST(QueueSignal, ProducerSignalsOnlyWhenTheConsumerAsked)
{
    SharedRegion region(4);
    queue::Producer<> producer(region.memory(), 4);
    queue::Consumer<> consumer(region.memory(), 4);
    int signals = 0;
    auto signal = [&] { ++signals; };

    ASSERT_EQ(producer.push(descriptor_for(0)), QueueStatus::Ok);
    producer.publish(signal);
    EXPECT_EQ(signals, 0); // the consumer is awake: no system call

    BufferDescriptor out{};
    EXPECT_FALSE(consumer.prepare_to_sleep()); // not empty: do not sleep
    ASSERT_EQ(consumer.pop(out), QueueStatus::Ok);
    EXPECT_TRUE(consumer.prepare_to_sleep()); // empty: sleep, a signal was requested

    ASSERT_EQ(producer.push(descriptor_for(1)), QueueStatus::Ok);
    ASSERT_EQ(producer.push(descriptor_for(2)), QueueStatus::Ok);
    producer.publish(signal);
    producer.publish(signal);
    EXPECT_EQ(signals, 1); // one request, one signal
}

TEST(QueueSignal, ConsumerSignalsAProducerWaitingForRoom)
{
    SharedRegion region(2);
    queue::Producer<> producer(region.memory(), 2);
    queue::Consumer<> consumer(region.memory(), 2);
    int signals = 0;
    auto signal = [&] { ++signals; };

    EXPECT_FALSE(producer.prepare_to_sleep()); // room left: do not sleep
    ASSERT_EQ(producer.push(descriptor_for(0)), QueueStatus::Ok);
    ASSERT_EQ(producer.push(descriptor_for(1)), QueueStatus::Ok);
    BufferDescriptor out{};
    ASSERT_EQ(consumer.pop(out), QueueStatus::Ok);
    consumer.publish(signal);
    EXPECT_EQ(signals, 0);
    ASSERT_EQ(producer.push(descriptor_for(2)), QueueStatus::Ok);
    EXPECT_TRUE(producer.prepare_to_sleep());
    ASSERT_EQ(consumer.pop(out), QueueStatus::Ok);
    consumer.publish(signal);
    consumer.publish(signal);
    EXPECT_EQ(signals, 1);
}

using Notification = tessera::test::HostNotification;

enum class Waiting { Spin, Sleep };

// Moves `count` descriptors from one thread to another and checks each arrives once, in order.
void stream(uint32_t count, uint32_t capacity, Waiting waiting)
{
    SharedRegion region(capacity);
    Notification consumer_wakeup, producer_wakeup;
    uint32_t producer_signals = 0;
    // After one lost wake-up both sides poll, so that the test ends quickly and fails.
    auto should_spin = [&] {
        return waiting == Waiting::Spin || consumer_wakeup.lost_wakeups() != 0 ||
               producer_wakeup.lost_wakeups() != 0;
    };

    std::thread producer_thread([&] {
        queue::Producer<> producer(region.memory(), capacity);
        for (uint32_t sequence = 0; sequence < count;) {
            if (producer.push(descriptor_for(sequence)) == QueueStatus::Ok) {
                ++sequence;
                if (sequence % 16 == 0 || sequence == count)
                    producer.publish([&] {
                        ++producer_signals;
                        consumer_wakeup.signal();
                    });
                continue;
            }
            producer.publish([&] { consumer_wakeup.signal(); });
            if (should_spin()) {
                std::this_thread::yield();
            } else if (producer.prepare_to_sleep()) {
                producer_wakeup.wait();
            }
        }
    });

    queue::Consumer<> consumer(region.memory(), capacity);
    uint32_t expected = 0;
    bool in_order = true;
    while (expected < count) {
        BufferDescriptor out{};
        if (consumer.pop(out) == QueueStatus::Ok) {
            const BufferDescriptor wanted = descriptor_for(expected);
            in_order = in_order && out.cookie == wanted.cookie && out.offset == wanted.offset &&
                       out.length == wanted.length;
            ++expected;
            if (expected % 8 == 0)
                consumer.publish([&] { producer_wakeup.signal(); });
            continue;
        }
        consumer.publish([&] { producer_wakeup.signal(); });
        if (should_spin()) {
            std::this_thread::yield();
        } else if (consumer.prepare_to_sleep()) {
            consumer_wakeup.wait();
        }
    }
    producer_thread.join();
    EXPECT_TRUE(in_order);
    EXPECT_EQ(consumer_wakeup.lost_wakeups(), 0);
    EXPECT_EQ(producer_wakeup.lost_wakeups(), 0);
    EXPECT_EQ(expected, count);
    BufferDescriptor out{};
    EXPECT_EQ(consumer.pop(out), QueueStatus::Empty);
    if (waiting == Waiting::Spin) {
        EXPECT_EQ(producer_signals, 0u); // nobody ever slept
    }
}

TEST(QueueStress, TwoThreadsSpinningMoveMillionsInOrder)
{
    stream(4'000'000, 256, Waiting::Spin);
}

TEST(QueueStress, TwoThreadsSleepingOnNotificationsMoveMillionsInOrder)
{
    stream(2'000'000, 64, Waiting::Sleep);
}

TEST(QueueStress, TinyQueueForcesConstantSleeping)
{
    stream(50'000, 1, Waiting::Sleep);
}

} // namespace
