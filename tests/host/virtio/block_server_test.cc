// The driver's block protocol server: the restart handshake, every request checked before the
// device sees it, barriers, room for every answer, restarts with requests on the device, and a
// client that corrupts its queue.
#include "block_server.h"
#include "device_fixture.h"

#include <tessera/queue/block_queues.h>

#include <map>

namespace tessera::drivers::virtio_blk {
namespace {

using queue::BlockClientEnd;
using queue::BlockQueueLayout;
using queue::QueueStatus;

class ServerFixture : public test::DeviceFixture {
protected:
    explicit ServerFixture(uint32_t capacity = 64, uint64_t features = test::AllFeatures)
        : DeviceFixture(features), queues(3 * 4096), capacity_(capacity)
    {
    }
    BlockQueueLayout layout() { return BlockQueueLayout(queues.data(), capacity_); }
    static void count_signal(void* context) { ++*static_cast<unsigned*>(context); }

    void start_server()
    {
        start_device();
        server.start(layout(), device, "vda", count_signal, &signals);
    }
    // The client's half of the handshake: reset both queues, acknowledge the generation.
    void acknowledge()
    {
        queue::reset_block_queues(layout());
        __atomic_store_n(&layout().info->client_generation, layout().info->server_generation,
                         __ATOMIC_RELEASE);
    }
    void push(uint32_t code, uint64_t block, uint32_t count, uint32_t id, uint64_t offset = 0)
    {
        BlockClientEnd client(layout());
        ASSERT_EQ(client.requests.push(tessera_blk_request{code, count, block,
                                                           offset == 0 ? data.bus(4096 * (id % 200)) : offset,
                                                           id, 0}),
                  QueueStatus::Ok);
    }
    std::map<uint32_t, tessera_blk_response> take_responses()
    {
        BlockClientEnd client(layout());
        std::map<uint32_t, tessera_blk_response> answers;
        tessera_blk_response response;
        while (client.responses.pop(response) == QueueStatus::Ok) {
            EXPECT_EQ(answers.count(response.id), 0u) << "answered twice: " << response.id;
            answers[response.id] = response;
        }
        return answers;
    }
    // Lets the device finish everything and the server answer, until quiet.
    void settle()
    {
        for (int i = 0; i < 100 && (fake.waiting() != 0 || device.outstanding() != 0 || i == 0); ++i) {
            server.run();
            fake.complete();
        }
        server.run();
    }

    test::AlignedBuffer queues;
    uint32_t capacity_;
    BlockServer server;
    unsigned signals = 0;
};

TEST_F(ServerFixture, PublishesTheDiskAndWaitsForTheHandshake)
{
    start_server();
    const tessera_blk_info& info = *layout().info;
    EXPECT_EQ(info.magic, TESSERA_BLK_INFO_MAGIC);
    EXPECT_EQ(info.state, uint32_t(TESSERA_BLK_STATE_READY));
    EXPECT_EQ(info.capacity, 1024u);
    EXPECT_STREQ(info.name, "vda");
    EXPECT_EQ(info.server_generation, 1u);
    EXPECT_EQ(signals, 1u);
    push(TESSERA_BLK_READ, 0, 1, 7);
    server.run();
    EXPECT_FALSE(server.is_serving());
    EXPECT_EQ(fake.waiting(), 0u); // nothing reached the device
    acknowledge();
    push(TESSERA_BLK_READ, 5, 1, 8);
    settle();
    auto answers = take_responses();
    ASSERT_EQ(answers.size(), 1u);
    EXPECT_EQ(answers[8].status, uint32_t(TESSERA_BLK_OK));
    EXPECT_EQ(answers[8].completed, 1u);
    EXPECT_EQ(std::memcmp(data.data() + 4096 * 8, fake.disk.data() + 5 * 4096, 4096), 0);
}

TEST_F(ServerFixture, RejectsBadRequestsWithoutTouchingTheDevice)
{
    start_server();
    acknowledge();
    push(TESSERA_BLK_READ, 1024, 1, 1);         // past the end
    push(TESSERA_BLK_READ, 1020, 5, 2);         // runs past the end
    push(TESSERA_BLK_READ, ~0ull - 1, 4, 3);    // wraps around
    push(TESSERA_BLK_WRITE, 0, 0, 4);           // nothing to write
    push(TESSERA_BLK_READ, 0, 257, 5);          // above max_count
    push(99, 0, 1, 6);                          // no such code
    push(TESSERA_BLK_FLUSH, 0, 3, 7);           // flush with a count
    settle();
    auto answers = take_responses();
    EXPECT_EQ(answers[1].status, uint32_t(TESSERA_BLK_ERROR_RANGE));
    EXPECT_EQ(answers[2].status, uint32_t(TESSERA_BLK_ERROR_RANGE));
    EXPECT_EQ(answers[3].status, uint32_t(TESSERA_BLK_ERROR_RANGE));
    EXPECT_EQ(answers[4].status, uint32_t(TESSERA_BLK_ERROR_INVALID));
    EXPECT_EQ(answers[5].status, uint32_t(TESSERA_BLK_ERROR_INVALID));
    EXPECT_EQ(answers[6].status, uint32_t(TESSERA_BLK_ERROR_INVALID));
    EXPECT_EQ(answers[7].status, uint32_t(TESSERA_BLK_ERROR_INVALID));
    for (auto& [id, answer] : answers)
        EXPECT_EQ(answer.completed, 0u) << id;
    EXPECT_TRUE(fake.log.empty());
    EXPECT_EQ(server.rejected(), 7u);
}

class ReadOnlyServerFixture : public ServerFixture {
protected:
    ReadOnlyServerFixture() : ServerFixture(64, test::AllFeatures | FeatureReadOnly) {}
};

TEST_F(ReadOnlyServerFixture, WritesToAReadOnlyDiskAreRefusedReadsServed)
{
    start_server();
    EXPECT_EQ(layout().info->flags & TESSERA_BLK_FLAG_READ_ONLY, TESSERA_BLK_FLAG_READ_ONLY);
    acknowledge();
    push(TESSERA_BLK_WRITE, 0, 1, 1);
    push(TESSERA_BLK_READ, 0, 1, 2);
    settle();
    auto answers = take_responses();
    EXPECT_EQ(answers[1].status, uint32_t(TESSERA_BLK_ERROR_READ_ONLY));
    EXPECT_EQ(answers[2].status, uint32_t(TESSERA_BLK_OK));
    EXPECT_EQ(fake.log, (std::vector<uint32_t>{TypeIn}));
}

TEST_F(ServerFixture, BarrierDrainsTheDeviceAndHoldsBackLaterRequests)
{
    start_server();
    acknowledge();
    push(TESSERA_BLK_WRITE, 1, 1, 1);
    push(TESSERA_BLK_WRITE, 2, 1, 2);
    push(TESSERA_BLK_BARRIER, 0, 0, 3);
    push(TESSERA_BLK_WRITE, 3, 1, 4);
    server.run();
    EXPECT_EQ(device.outstanding(), 2); // the write after the barrier is held back
    fake.complete();
    server.run();
    EXPECT_EQ(device.outstanding(), 1); // the barrier's flush, alone
    fake.complete();
    server.run();
    fake.complete();
    server.run();
    EXPECT_EQ(fake.log, (std::vector<uint32_t>{TypeOut, TypeOut, TypeFlush, TypeOut}));
    auto answers = take_responses();
    EXPECT_EQ(answers.size(), 4u);
    for (auto& [id, answer] : answers)
        EXPECT_EQ(answer.status, uint32_t(TESSERA_BLK_OK)) << id;
}

TEST_F(ServerFixture, FlushGoesToTheDeviceWithoutOrdering)
{
    start_server();
    acknowledge();
    push(TESSERA_BLK_WRITE, 1, 1, 1);
    push(TESSERA_BLK_FLUSH, 0, 0, 2);
    push(TESSERA_BLK_WRITE, 2, 1, 3);
    server.run();
    EXPECT_EQ(device.outstanding(), 3);
    settle();
    EXPECT_EQ(take_responses().size(), 3u);
    EXPECT_EQ(fake.flushes, 1u);
}

class TinyQueueServerFixture : public ServerFixture {
protected:
    TinyQueueServerFixture() : ServerFixture(4) {}
};

TEST_F(TinyQueueServerFixture, NeverTakesMoreRequestsThanItCanAnswer)
{
    start_server();
    acknowledge();
    for (uint32_t id = 0; id < 4; ++id)
        push(TESSERA_BLK_READ, id, 1, id);
    settle();
    // Four answers fill the response queue; the client has not taken any.
    for (uint32_t id = 4; id < 8; ++id)
        push(TESSERA_BLK_READ, id, 1, id);
    settle();
    EXPECT_EQ(device.outstanding(), 0);
    BlockClientEnd client(layout());
    EXPECT_EQ(client.requests.size(), 4u) << "requests without room for their answer stay queued";
    auto first = take_responses();
    EXPECT_EQ(first.size(), 4u);
    settle();
    auto second = take_responses();
    EXPECT_EQ(second.size(), 4u);
    for (uint32_t id = 4; id < 8; ++id)
        EXPECT_EQ(second.count(id), 1u);
}

TEST_F(ServerFixture, IoErrorAnswersOnlyTheFailedRequest)
{
    start_server();
    acknowledge();
    fake.fails = [](uint64_t sector, bool) { return sector / 8 == 9; };
    for (uint32_t id = 0; id < 12; ++id)
        push(TESSERA_BLK_READ, id, 1, id);
    settle();
    auto answers = take_responses();
    ASSERT_EQ(answers.size(), 12u);
    for (uint32_t id = 0; id < 12; ++id)
        EXPECT_EQ(answers[id].status, id == 9 ? uint32_t(TESSERA_BLK_ERROR_IO) : uint32_t(TESSERA_BLK_OK)) << id;
}

TEST_F(ServerFixture, RestartWithRequestsOnTheDeviceLosesNothingTheClientResends)
{
    start_server();
    acknowledge();
    for (uint32_t id = 0; id < 10; ++id)
        push(TESSERA_BLK_READ, id, 1, id);
    server.run();
    ASSERT_EQ(device.outstanding(), 10);
    fake.complete(3); // three finish, seven are lost with the old driver
    server.run();
    // The driver dies here. Its successor starts the device afresh (a reset forgets the rest).
    BlockServer successor;
    BlockDevice fresh;
    ASSERT_TRUE(fresh.start(transport, region(), virtio::NoVector, 256));
    successor.start(layout(), fresh, "vda", count_signal, &signals);
    EXPECT_EQ(layout().info->server_generation, 2u);
    successor.run();
    EXPECT_FALSE(successor.is_serving());
    // The client: take what was answered, then resend the rest after the handshake.
    auto answered = take_responses();
    EXPECT_EQ(answered.size(), 3u);
    acknowledge();
    for (uint32_t id = 0; id < 10; ++id)
        if (answered.count(id) == 0)
            push(TESSERA_BLK_READ, id, 1, id);
    for (int i = 0; i < 10; ++i) {
        successor.run();
        fake.complete();
    }
    successor.run();
    auto rest = take_responses();
    EXPECT_EQ(rest.size(), 7u);
    for (auto& [id, answer] : rest)
        EXPECT_EQ(answered.count(id), 0u) << "answered twice: " << id;
}

TEST_F(ServerFixture, CorruptClientIndexStopsServiceWithoutCrashing)
{
    start_server();
    acknowledge();
    static_cast<queue::Control*>(layout().requests)->tail.store(100000);
    server.run();
    EXPECT_TRUE(fake.log.empty());
    server.run(); // still quiet, still alive
}

TEST_F(ServerFixture, FailedDeviceAnswersNoDevice)
{
    server.start_failed(layout(), "vda", count_signal, &signals);
    EXPECT_EQ(layout().info->state, uint32_t(TESSERA_BLK_STATE_FAILED));
    acknowledge();
    push(TESSERA_BLK_READ, 0, 1, 1);
    server.run();
    auto answers = take_responses();
    EXPECT_EQ(answers[1].status, uint32_t(TESSERA_BLK_ERROR_NO_DEVICE));
}

} // namespace
} // namespace tessera::drivers::virtio_blk
