// The block protocol's queue region: layout, empty and full, wrap-around, signal suppression,
// a peer's corrupt indices, and a client and a server thread streaming requests and responses.

#include <gtest/gtest.h>
#include <tessera/queue/block_queues.h>

#include "../common/host_notification.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace queue = tessera::queue;
using queue::BlockClientEnd;
using queue::BlockQueueLayout;
using queue::BlockServerEnd;
using queue::QueueStatus;

namespace {

// A zeroed, page-aligned queue region, as a freshly mapped shared region is.
class QueueRegion {
public:
    explicit QueueRegion(uint32_t capacity)
        : capacity_(capacity), bytes_(round_up(TESSERA_BLK_QUEUE_REGION_BYTES(capacity))),
          memory_(static_cast<char*>(std::aligned_alloc(4096, bytes_)))
    {
        std::memset(memory_.get(), 0, bytes_);
    }
    BlockQueueLayout layout() { return BlockQueueLayout(memory_.get(), capacity_); }
    queue::Control& request_control() { return *static_cast<queue::Control*>(layout().requests); }
    queue::Control& response_control() { return *static_cast<queue::Control*>(layout().responses); }

private:
    static size_t round_up(size_t bytes) { return (bytes + 4095) & ~size_t(4095); }
    struct Free {
        void operator()(char* pointer) const { std::free(pointer); }
    };
    uint32_t capacity_;
    size_t bytes_;
    std::unique_ptr<char, Free> memory_;
};

tessera_blk_request request_for(uint32_t sequence)
{
    return tessera_blk_request{sequence % 2 ? TESSERA_BLK_READ : TESSERA_BLK_WRITE,
                               sequence % 8 + 1, uint64_t{sequence} * 3,
                               uint64_t{sequence % 16} * TESSERA_BLK_BLOCK_SIZE, sequence, 0};
}

bool same(const tessera_blk_request& a, const tessera_blk_request& b)
{
    return a.code == b.code && a.count == b.count && a.block == b.block && a.offset == b.offset &&
           a.id == b.id;
}

TEST(BlockQueueLayout, RegionIsInfoPageThenRequestsThenResponses)
{
    EXPECT_EQ(TESSERA_BLK_REQUEST_QUEUE_OFFSET, 4096u);
    EXPECT_EQ(TESSERA_BLK_RESPONSE_QUEUE_OFFSET(128), 4096u + 128 + 128 * 32);
    EXPECT_EQ(TESSERA_BLK_QUEUE_REGION_BYTES(128), 4096u + 128 + 128 * 32 + 128 + 128 * 16);
    // 128 slots fit two pages: what the example systems map.
    EXPECT_LE(TESSERA_BLK_QUEUE_REGION_BYTES(128), 0x3000u);
    EXPECT_FALSE(queue::is_valid_block_capacity(2));
    EXPECT_FALSE(queue::is_valid_block_capacity(96));
    EXPECT_TRUE(queue::is_valid_block_capacity(4));
    EXPECT_TRUE(queue::is_valid_block_capacity(1024));
}

TEST(BlockQueue, EmptyUntilPushedThenFullAtCapacity)
{
    QueueRegion region(8);
    BlockClientEnd client(region.layout());
    BlockServerEnd server(region.layout());
    tessera_blk_request out{};
    EXPECT_EQ(server.requests.pop(out), QueueStatus::Empty);
    for (uint32_t i = 0; i < 8; ++i)
        ASSERT_EQ(client.requests.push(request_for(i)), QueueStatus::Ok);
    EXPECT_TRUE(client.requests.is_full());
    EXPECT_EQ(client.requests.push(request_for(8)), QueueStatus::Full);
    for (uint32_t i = 0; i < 8; ++i) {
        ASSERT_EQ(server.requests.pop(out), QueueStatus::Ok);
        EXPECT_TRUE(same(out, request_for(i)));
    }
    EXPECT_EQ(server.requests.pop(out), QueueStatus::Empty);
    // The response queue is independent: still empty on the client's side.
    tessera_blk_response response{};
    EXPECT_EQ(client.responses.pop(response), QueueStatus::Empty);
}

TEST(BlockQueue, WrapsAroundForManyLapsAndAcrossTheIndexLimit)
{
    QueueRegion region(4);
    // Start both indices just below 2^32 so the free-running counters wrap mid-test.
    region.request_control().tail.store(0xfffffff0u);
    region.request_control().head.store(0xfffffff0u);
    BlockClientEnd client(region.layout());
    BlockServerEnd server(region.layout());
    uint32_t sent = 0, received = 0;
    while (received < 1000) {
        while (sent - received < 3 && client.requests.push(request_for(sent)) == QueueStatus::Ok)
            ++sent;
        tessera_blk_request out{};
        while (server.requests.pop(out) == QueueStatus::Ok) {
            ASSERT_TRUE(same(out, request_for(received)));
            ++received;
        }
    }
    EXPECT_LT(region.request_control().tail.load(), 0x1000u); // it did wrap
}

TEST(BlockQueueSignal, ServerIsSignalledOnlyWhenItSleeps)
{
    QueueRegion region(8);
    BlockClientEnd client(region.layout());
    BlockServerEnd server(region.layout());
    int signals = 0;
    auto signal = [&] { ++signals; };
    // The server is busy (never asked): a batch of pushes costs no signal.
    for (uint32_t i = 0; i < 3; ++i)
        ASSERT_EQ(client.requests.push(request_for(i)), QueueStatus::Ok);
    client.requests.publish(signal);
    EXPECT_EQ(signals, 0);
    // Descriptors are waiting: the server must not sleep.
    EXPECT_FALSE(server.requests.prepare_to_sleep());
    tessera_blk_request out{};
    while (server.requests.pop(out) == QueueStatus::Ok) {
    }
    EXPECT_TRUE(server.requests.prepare_to_sleep());
    // Now it sleeps: the next batch costs exactly one signal, however many publishes follow.
    ASSERT_EQ(client.requests.push(request_for(3)), QueueStatus::Ok);
    ASSERT_EQ(client.requests.push(request_for(4)), QueueStatus::Ok);
    client.requests.publish(signal);
    client.requests.publish(signal);
    EXPECT_EQ(signals, 1);
}

TEST(BlockQueueSignal, ClientWaitingForResponsesIsSignalledOnce)
{
    QueueRegion region(4);
    BlockClientEnd client(region.layout());
    BlockServerEnd server(region.layout());
    int signals = 0;
    EXPECT_TRUE(client.responses.prepare_to_sleep());
    for (uint32_t id = 0; id < 2; ++id) {
        ASSERT_EQ(server.responses.push({TESSERA_BLK_OK, 1, id, 0}), QueueStatus::Ok);
        server.responses.publish([&] { ++signals; });
    }
    EXPECT_EQ(signals, 1);
    tessera_blk_response out{};
    ASSERT_EQ(client.responses.pop(out), QueueStatus::Ok);
    EXPECT_EQ(out.id, 0u);
}

TEST(BlockQueueHostilePeer, ImpossibleTailIsCorruptNotGarbage)
{
    QueueRegion region(8);
    BlockServerEnd server(region.layout());
    // A client that writes nonsense into its own index must not make the server read past
    // the slots it published: the distance exceeds the ring.
    region.request_control().tail.store(1000);
    tessera_blk_request out{};
    EXPECT_EQ(server.requests.pop(out), QueueStatus::Corrupt);
    region.request_control().tail.store(0xffffffffu); // "behind" the head
    EXPECT_EQ(server.requests.pop(out), QueueStatus::Corrupt);
    // Reset (the restart handshake) makes the queue usable again.
    queue::reset_block_queues(region.layout());
    EXPECT_EQ(server.requests.pop(out), QueueStatus::Empty);
}

TEST(BlockQueueHostilePeer, ImpossibleHeadIsCorruptForTheProducer)
{
    QueueRegion region(8);
    BlockServerEnd server(region.layout());
    // The client consumes responses; a head beyond the server's tail is impossible.
    region.response_control().head.store(77);
    EXPECT_EQ(server.responses.push({TESSERA_BLK_OK, 1, 1, 0}), QueueStatus::Corrupt);
}

using Notification = tessera::test::HostNotification;

// A client thread keeps up to `window` requests outstanding; a server thread answers each one
// with its id. Both sleep on notifications whenever they have nothing to do. Every id comes
// back exactly once.
void round_trips(uint32_t total, uint32_t capacity, uint32_t window)
{
    QueueRegion region(capacity);
    Notification server_wakeup, client_wakeup;
    std::atomic<bool> stop{false};

    std::thread server_thread([&] {
        BlockServerEnd server(region.layout());
        while (!stop.load()) {
            tessera_blk_request request{};
            bool did = false;
            while (server.requests.pop(request) == QueueStatus::Ok) {
                const tessera_blk_response response{TESSERA_BLK_OK, request.count, request.id, 0};
                while (server.responses.push(response) != QueueStatus::Ok) {
                    server.responses.publish([&] { client_wakeup.signal(); });
                    if (server.responses.prepare_to_sleep())
                        server_wakeup.wait();
                }
                did = true;
            }
            if (did) {
                server.responses.publish([&] { client_wakeup.signal(); });
                server.requests.publish([&] { client_wakeup.signal(); });
            }
            if (server.requests.prepare_to_sleep() && !stop.load())
                server_wakeup.wait();
        }
    });

    BlockClientEnd client(region.layout());
    std::vector<uint8_t> seen(total, 0);
    uint32_t sent = 0, answered = 0;
    bool wrong = false;
    while (answered < total) {
        bool did = false;
        while (sent < total && sent - answered < window &&
               client.requests.push(request_for(sent)) == QueueStatus::Ok) {
            ++sent;
            did = true;
        }
        if (did)
            client.requests.publish([&] { server_wakeup.signal(); });
        tessera_blk_response response{};
        while (client.responses.pop(response) == QueueStatus::Ok) {
            wrong = wrong || response.id >= total || seen[response.id] != 0 ||
                    response.completed != request_for(response.id).count;
            if (response.id < total)
                seen[response.id]++;
            ++answered;
            did = true;
        }
        if (did) {
            client.responses.publish([&] { server_wakeup.signal(); });
            continue;
        }
        if (client.responses.prepare_to_sleep())
            client_wakeup.wait();
    }
    stop.store(true);
    server_wakeup.signal();
    server_thread.join();
    EXPECT_FALSE(wrong);
    EXPECT_EQ(answered, total);
    EXPECT_EQ(server_wakeup.lost_wakeups(), 0);
    EXPECT_EQ(client_wakeup.lost_wakeups(), 0);
}

TEST(BlockQueueStress, ClientAndServerThreadsHammerOneConnection)
{
    round_trips(1'000'000, 128, 128);
}

TEST(BlockQueueStress, SmallRingsSleepConstantly)
{
    round_trips(100'000, 4, 4);
}

TEST(BlockQueueStress, OneRequestInFlightAtATime)
{
    round_trips(50'000, 16, 1);
}

} // namespace
