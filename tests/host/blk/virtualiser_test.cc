// The block virtualiser with the real driver core on a fake virtio-blk device: clients confined
// to their partitions, every bad request answered with an error to its sender only, fair turns
// under a storm, a driver restarted with requests in flight, a read-only disk and failing
// sectors.
#include "block_server.h"
#include "disk_image.h"
#include "fake_virtio_blk.h"
#include "virtualiser.h"

#include <tessera/blk_client.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>

namespace tessera::services::blk_virt {
namespace {

using drivers::virtio_blk::BlockDevice;
using drivers::virtio_blk::BlockServer;
using drivers::virtio_blk::DmaRegion;

constexpr uint64_t MiB = 1 << 20;
constexpr uint64_t Features = virtio::FeatureVersion1 | virtio::FeatureEventIndex |
                              drivers::virtio_blk::FeatureFlush | drivers::virtio_blk::FeatureSegMax;

struct Memory {
    explicit Memory(size_t bytes_) : bytes(bytes_), data(static_cast<uint8_t*>(std::aligned_alloc(4096, bytes_)))
    {
        std::memset(data.get(), 0, bytes);
    }
    uint64_t bus() const { return reinterpret_cast<uint64_t>(data.get()); }
    struct Free {
        void operator()(uint8_t* p) const { std::free(p); }
    };
    size_t bytes;
    std::unique_ptr<uint8_t, Free> data;
};

// One client: its queue and data regions and the C client library on them.
struct TestClient {
    explicit TestClient(const char* partition_, uint32_t capacity = 16)
        : queue(4 * 4096), data(64 * 4096), partition(partition_)
    {
        EXPECT_EQ(tessera_blk_client_init(&client, queue.data.get(), capacity, data.data.get(), data.bytes,
                                          nullptr, nullptr),
                  TESSERA_BLK_CLIENT_OK);
        config = ClientConfig{queue.data.get(), capacity, data.bytes, data.bus(), partition, false};
    }
    int submit(uint32_t code, uint64_t block, uint32_t count, uint64_t offset, uint32_t id)
    {
        const tessera_blk_request request{code, count, block, offset, id, 0};
        return tessera_blk_client_submit(&client, &request);
    }
    void take_all()
    {
        tessera_blk_response response;
        while (tessera_blk_client_take(&client, &response) == 1) {
            EXPECT_EQ(answers.count(response.id), 0u) << partition << " answered twice: " << response.id;
            answers[response.id] = response;
        }
    }
    Memory queue, data;
    const char* partition;
    tessera_blk_client client{};
    ClientConfig config{};
    std::map<uint32_t, tessera_blk_response> answers;
};

class VirtualiserFixture : public ::testing::Test {
protected:
    void boot(std::vector<uint8_t> image, std::vector<TestClient*> clients_, uint64_t features = Features)
    {
        clients = clients_;
        fake = std::make_unique<virtio::test::FakeVirtioBlk>(image.size() / 512, features);
        fake->disk = std::move(image);
        transport = std::make_unique<virtio::PciTransport>(fake->common(), fake->notify(), fake->isr(),
                                                           fake->device(), virtio::test::FakeVirtioBlk::NotifyMultiplier);
        std::vector<ClientConfig> configs;
        for (TestClient* c : clients)
            configs.push_back(c->config);
        const char* why = nullptr;
        ASSERT_TRUE(virt.init(configs.data(), unsigned(configs.size()), driver_queue.data.get(), 32,
                              DmaBuffer{scratch.data.get(), scratch.bus(), scratch.bytes}, ignore, nullptr, &why))
            << why;
        start_driver();
        pump();
        for (TestClient* c : clients)
            EXPECT_EQ(tessera_blk_client_connect(&c->client), 1);
        pump();
    }
    void start_driver()
    {
        device = std::make_unique<BlockDevice>();
        server = std::make_unique<BlockServer>();
        auto facts = device->start(*transport, DmaRegion{dma.data.get(), dma.bus(), dma.bytes}, virtio::NoVector, 64);
        ASSERT_TRUE(facts);
        server->start(queue::BlockQueueLayout(driver_queue.data.get(), 32), *device, "vda", ignore_driver, nullptr);
    }
    static void ignore(void*, unsigned) {}
    static void ignore_driver(void*) {}
    // Everybody runs until nothing changes; the device completes `per_round` chains a round.
    void pump(unsigned per_round = 0, unsigned rounds = 200)
    {
        for (unsigned i = 0; i < rounds; ++i) {
            virt.run();
            server->run();
            const unsigned served = fake->complete(per_round);
            server->run();
            virt.run();
            for (TestClient* c : clients)
                c->take_all();
            if (served == 0 && fake->waiting() == 0 && device->outstanding() == 0 && i > 2)
                break;
        }
    }
    uint8_t* disk_at(uint64_t block) { return fake->disk.data() + block * 4096; }

    Memory driver_queue{4 * 4096}, scratch{96 * 1024}, dma{16384};
    std::unique_ptr<virtio::test::FakeVirtioBlk> fake;
    std::unique_ptr<virtio::PciTransport> transport;
    std::unique_ptr<BlockDevice> device;
    std::unique_ptr<BlockServer> server;
    Virtualiser virt;
    std::vector<TestClient*> clients;
};

std::vector<uint8_t> two_partitions()
{
    // alpha: 1 MiB at 1 MiB (blocks 256..511); beta: 2 MiB at 2 MiB (blocks 512..1023).
    return test::gpt_image(8 * MiB, {{2048, 4095, "alpha"}, {4096, 8191, "beta"}});
}

TEST_F(VirtualiserFixture, EachClientSeesOnlyItsPartition)
{
    TestClient a("gpt:alpha"), b("gpt:beta");
    boot(two_partitions(), {&a, &b});
    ASSERT_TRUE(virt.is_serving());
    ASSERT_TRUE(tessera_blk_client_ready(&a.client));
    EXPECT_EQ(tessera_blk_client_capacity(&a.client), 256u);
    EXPECT_EQ(tessera_blk_client_capacity(&b.client), 512u);
    EXPECT_STREQ(tessera_blk_client_name(&b.client), "beta");
    // Each writes its own pattern to its block 0 and last block.
    std::memset(a.data.data.get(), 0xaa, 4096);
    std::memset(b.data.data.get(), 0xbb, 4096);
    ASSERT_EQ(a.submit(TESSERA_BLK_WRITE, 0, 1, 0, 1), 0);
    ASSERT_EQ(a.submit(TESSERA_BLK_WRITE, 255, 1, 0, 2), 0);
    ASSERT_EQ(b.submit(TESSERA_BLK_WRITE, 0, 1, 0, 1), 0);
    ASSERT_EQ(b.submit(TESSERA_BLK_WRITE, 511, 1, 0, 2), 0);
    pump();
    for (TestClient* c : {&a, &b})
        for (uint32_t id : {1u, 2u})
            EXPECT_EQ(c->answers[id].status, uint32_t(TESSERA_BLK_OK)) << c->partition << " " << id;
    EXPECT_EQ(disk_at(256)[0], 0xaa);
    EXPECT_EQ(disk_at(511)[4095], 0xaa);
    EXPECT_EQ(disk_at(512)[0], 0xbb);
    EXPECT_EQ(disk_at(1023)[4095], 0xbb);
    EXPECT_EQ(disk_at(255)[0], 0); // the GPT area and gaps untouched
    // Reading back through the other client's eyes sees its own data only.
    ASSERT_EQ(b.submit(TESSERA_BLK_READ, 0, 1, 8192, 3), 0);
    pump();
    EXPECT_EQ(b.data.data.get()[8192], 0xbb);
}

TEST_F(VirtualiserFixture, BadRequestsAreAnsweredWithErrorsAndNeverReachTheDriver)
{
    TestClient a("gpt:alpha"), b("gpt:beta");
    boot(two_partitions(), {&a, &b});
    const size_t driver_requests = fake->log.size();
    a.submit(TESSERA_BLK_READ, 256, 1, 0, 1);              // one past alpha's end
    a.submit(TESSERA_BLK_WRITE, 250, 7, 0, 2);             // runs into beta
    a.submit(TESSERA_BLK_READ, ~0ull - 2, 4, 0, 3);        // wraps around
    a.submit(TESSERA_BLK_READ, 0, 1, 64 * 4096, 4);        // buffer beyond the data region
    a.submit(TESSERA_BLK_READ, 0, 2, 63 * 4096, 5);        // buffer runs off its end
    a.submit(TESSERA_BLK_READ, 0, 1, ~0ull - 4095, 6);     // offset wraps
    a.submit(TESSERA_BLK_READ, 0, 1, 100, 7);              // not sector aligned
    a.submit(TESSERA_BLK_READ, 0, 0, 0, 8);                // nothing
    a.submit(77, 0, 1, 0, 9);                              // no such code
    a.submit(TESSERA_BLK_READ, 0, 1000, 0, 10);            // above max_count
    b.submit(TESSERA_BLK_READ, 0, 1, 0, 1);                // a good neighbour
    pump();
    const std::map<uint32_t, uint32_t> expected{
        {1, TESSERA_BLK_ERROR_RANGE},  {2, TESSERA_BLK_ERROR_RANGE},   {3, TESSERA_BLK_ERROR_RANGE},
        {4, TESSERA_BLK_ERROR_BUFFER}, {5, TESSERA_BLK_ERROR_BUFFER},  {6, TESSERA_BLK_ERROR_BUFFER},
        {7, TESSERA_BLK_ERROR_BUFFER}, {8, TESSERA_BLK_ERROR_INVALID}, {9, TESSERA_BLK_ERROR_INVALID},
        {10, TESSERA_BLK_ERROR_INVALID}};
    for (auto [id, status] : expected) {
        EXPECT_EQ(a.answers[id].status, status) << id;
        EXPECT_EQ(a.answers[id].completed, 0u) << id;
    }
    EXPECT_EQ(b.answers[1].status, uint32_t(TESSERA_BLK_OK));
    EXPECT_EQ(fake->log.size(), driver_requests + 1) << "only the good request reached the device";
    EXPECT_EQ(virt.stats(0).refused, 10u);
}

TEST_F(VirtualiserFixture, AStormFromOneClientDoesNotStarveTheOther)
{
    TestClient a("gpt:alpha", 64), b("gpt:beta", 64);
    boot(two_partitions(), {&a, &b});
    // A keeps its queue full; B asks for 20 reads one at a time. The device completes two
    // chains per round, so the driver's 32 slots stay busy throughout.
    uint32_t a_sent = 0, b_sent = 0;
    unsigned rounds_for_b = 0;
    while (b.answers.size() < 20 && rounds_for_b < 2000) {
        while (a.submit(TESSERA_BLK_READ, a_sent % 256, 1, (a_sent % 64) * 4096, a_sent) == 0)
            ++a_sent;
        if (b_sent == b.answers.size() && b.submit(TESSERA_BLK_READ, b_sent, 1, 0, b_sent) == 0)
            ++b_sent;
        pump(2, 1);
        ++rounds_for_b;
    }
    EXPECT_EQ(b.answers.size(), 20u);
    // B's requests each waited a bounded number of rounds: at most its fair share ahead of it.
    EXPECT_LT(rounds_for_b, 20u * 16u);
    EXPECT_GT(a.answers.size(), 20u);
    for (auto& [id, answer] : b.answers)
        EXPECT_EQ(answer.status, uint32_t(TESSERA_BLK_OK));
}

TEST_F(VirtualiserFixture, RestartedDriverGetsEveryOutstandingRequestAndEachIsAnsweredOnce)
{
    TestClient a("gpt:alpha", 64), b("gpt:beta", 64);
    boot(two_partitions(), {&a, &b});
    for (uint32_t block = 0; block < 256; ++block)
        std::memset(disk_at(256 + block), int(block), 4096);
    for (uint32_t id = 0; id < 24; ++id) {
        ASSERT_EQ(a.submit(TESSERA_BLK_READ, id, 1, id * 4096, id), 0);
        ASSERT_EQ(b.submit(TESSERA_BLK_WRITE, id, 1, id * 4096, id), 0);
    }
    virt.run();
    server->run();
    fake->complete(5); // a few finish; the rest are on the device when the driver dies
    server->run();
    EXPECT_GT(device->outstanding(), 0);
    // The parent restarts the driver: a new program instance resets the device.
    start_driver();
    pump();
    EXPECT_EQ(virt.driver_restarts(), 1u);
    EXPECT_GT(virt.resent(), 0u);
    ASSERT_EQ(a.answers.size(), 24u);
    ASSERT_EQ(b.answers.size(), 24u);
    for (uint32_t id = 0; id < 24; ++id) {
        EXPECT_EQ(a.answers[id].status, uint32_t(TESSERA_BLK_OK)) << id;
        EXPECT_EQ(a.data.data.get()[id * 4096 + 100], uint8_t(id)) << id;
        EXPECT_EQ(b.answers[id].status, uint32_t(TESSERA_BLK_OK)) << id;
    }
}

TEST_F(VirtualiserFixture, ReadOnlyDiskRefusesWritesToEveryClient)
{
    TestClient a("gpt:alpha"), b("disk");
    boot(two_partitions(), {&a, &b}, Features | drivers::virtio_blk::FeatureReadOnly);
    EXPECT_TRUE(tessera_blk_client_read_only(&a.client));
    a.submit(TESSERA_BLK_WRITE, 0, 1, 0, 1);
    a.submit(TESSERA_BLK_READ, 0, 1, 0, 2);
    b.submit(TESSERA_BLK_WRITE, 9, 1, 0, 1);
    pump();
    EXPECT_EQ(a.answers[1].status, uint32_t(TESSERA_BLK_ERROR_READ_ONLY));
    EXPECT_EQ(a.answers[2].status, uint32_t(TESSERA_BLK_OK));
    EXPECT_EQ(b.answers[1].status, uint32_t(TESSERA_BLK_ERROR_READ_ONLY));
}

TEST_F(VirtualiserFixture, FailingSectorsFailOnlyTheirRequests)
{
    TestClient a("gpt:alpha"), b("gpt:beta");
    boot(two_partitions(), {&a, &b});
    fake->fails = [](uint64_t sector, bool write) { return write && sector / 8 >= 512; }; // beta
    a.submit(TESSERA_BLK_WRITE, 3, 1, 0, 1);
    b.submit(TESSERA_BLK_WRITE, 3, 1, 0, 1);
    b.submit(TESSERA_BLK_READ, 3, 1, 0, 2);
    pump();
    EXPECT_EQ(a.answers[1].status, uint32_t(TESSERA_BLK_OK));
    EXPECT_EQ(b.answers[1].status, uint32_t(TESSERA_BLK_ERROR_IO));
    EXPECT_EQ(b.answers[2].status, uint32_t(TESSERA_BLK_OK));
}

TEST_F(VirtualiserFixture, ClientCorruptingItsQueueLosesServiceAlone)
{
    TestClient a("gpt:alpha"), b("gpt:beta");
    boot(two_partitions(), {&a, &b});
    static_cast<queue::Control*>(queue::BlockQueueLayout(a.queue.data.get(), 16).requests)->tail.store(12345);
    b.submit(TESSERA_BLK_READ, 1, 1, 0, 1);
    pump();
    EXPECT_EQ(b.answers[1].status, uint32_t(TESSERA_BLK_OK));
    EXPECT_TRUE(a.answers.empty());
}

TEST_F(VirtualiserFixture, UnknownPartitionFailsThatClientWithAReason)
{
    TestClient a("gpt:alpha"), b("gpt:gamma");
    boot(two_partitions(), {&a, &b});
    EXPECT_TRUE(tessera_blk_client_ready(&a.client));
    EXPECT_TRUE(tessera_blk_client_failed(&b.client));
    EXPECT_STREQ(tessera_blk_client_name(&b.client), "no such partition");
    b.submit(TESSERA_BLK_READ, 0, 1, 0, 1);
    pump();
    EXPECT_EQ(b.answers[1].status, uint32_t(TESSERA_BLK_ERROR_NO_DEVICE));
}

TEST_F(VirtualiserFixture, CorruptTableLeavesOnlyWholeDiskClients)
{
    auto image = two_partitions();
    image[512 + 24] ^= 1;
    image[image.size() - 512 + 24] ^= 1;
    TestClient a("gpt:alpha"), b("disk");
    boot(image, {&a, &b});
    EXPECT_TRUE(tessera_blk_client_failed(&a.client));
    ASSERT_TRUE(tessera_blk_client_ready(&b.client));
    EXPECT_EQ(tessera_blk_client_capacity(&b.client), 2048u);
}

TEST_F(VirtualiserFixture, SfdiskMbrDiskServesItsTwoPartitions)
{
    TestClient a("mbr:1"), b("mbr:2");
    boot(test::sfdisk_image(8 * MiB, "label: dos\nsize=2MiB\nsize=3MiB\n"), {&a, &b});
    EXPECT_EQ(tessera_blk_client_capacity(&a.client), 512u);
    EXPECT_EQ(tessera_blk_client_capacity(&b.client), 768u);
    std::memset(b.data.data.get(), 0x5b, 4096);
    b.submit(TESSERA_BLK_WRITE, 0, 1, 0, 1);
    pump();
    EXPECT_EQ(b.answers[1].status, uint32_t(TESSERA_BLK_OK));
    EXPECT_EQ(disk_at((2048 + 4096) / 8)[0], 0x5b);
}

TEST_F(VirtualiserFixture, BarrierFromAClientOrdersItsWrites)
{
    TestClient a("gpt:alpha"), b("gpt:beta");
    boot(two_partitions(), {&a, &b});
    const size_t before = fake->log.size();
    a.submit(TESSERA_BLK_WRITE, 0, 1, 0, 1);
    a.submit(TESSERA_BLK_BARRIER, 0, 0, 0, 2);
    a.submit(TESSERA_BLK_WRITE, 1, 1, 0, 3);
    pump(1);
    std::vector<uint32_t> order(fake->log.begin() + long(before), fake->log.end());
    EXPECT_EQ(order, (std::vector<uint32_t>{1, 4, 1}));
    EXPECT_EQ(a.answers.size(), 3u);
}

} // namespace
} // namespace tessera::services::blk_virt
