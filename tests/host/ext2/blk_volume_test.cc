// The volume on a block-virtualiser client (user/services/ext2/device/blk_volume.h) against a
// server in the same thread: the test's wait() runs the server, which speaks the block protocol
// of tessera/queue/block.h on a disk in memory and can fail, refuse writes or restart.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>

#include <tessera/blk_client.h>
#include <tessera/queue/block_queues.h>

#include "blk_volume.h"
#include "image_tools.h"

namespace tessera::ext2::test {
namespace {

using services::ext2::BlkVolume;
constexpr uint32_t Capacity = 8;
constexpr uint64_t BlockBytes = TESSERA_BLK_BLOCK_SIZE;

struct AlignedFree {
    void operator()(void* memory) const { std::free(memory); }
};
using Region = std::unique_ptr<uint8_t, AlignedFree>;
Region aligned_region(size_t bytes)
{
    auto* memory = static_cast<uint8_t*>(std::aligned_alloc(4096, (bytes + 4095) / 4096 * 4096));
    std::memset(memory, 0, bytes);
    return Region(memory);
}

// The server's side: the info page, the handshake, and requests served on `disk`.
class FakeServer {
public:
    FakeServer(uint8_t* queue_region, uint8_t* data, uint64_t data_size, std::vector<uint8_t> disk)
        : layout_(queue_region, Capacity), data_(data), data_size_(data_size),
          disk_(std::move(disk))
    {
        start();
    }

    // A (re)start: the info page and a new generation; requests held are forgotten.
    void start()
    {
        tessera_blk_info& info = *layout_.info;
        info.magic = TESSERA_BLK_INFO_MAGIC;
        info.state = failed ? TESSERA_BLK_STATE_FAILED : TESSERA_BLK_STATE_READY;
        info.capacity = disk_.size() / BlockBytes;
        info.flags = read_only ? TESSERA_BLK_FLAG_READ_ONLY : 0;
        info.max_count = max_count;
        std::strncpy(info.name, "fake0", sizeof info.name);
        __atomic_add_fetch(&info.server_generation, 1, __ATOMIC_RELEASE);
        ++starts;
    }

    // What the server does on a notification: serves every request, unless the client has not
    // acknowledged the current generation.
    void run()
    {
        tessera_blk_info& info = *layout_.info;
        if (__atomic_load_n(&info.client_generation, __ATOMIC_ACQUIRE) !=
            __atomic_load_n(&info.server_generation, __ATOMIC_ACQUIRE))
            return;
        queue::BlockServerEnd end(layout_);
        tessera_blk_request request;
        while (end.requests.pop(request) == queue::QueueStatus::Ok) {
            ++served;
            if (restart_at_request != 0 && served == restart_at_request) {
                start(); // the request is lost with the old generation
                return;
            }
            tessera_blk_response response{serve(request), 0, request.id, 0};
            if (response.status == TESSERA_BLK_OK)
                response.completed = request.count;
            ASSERT_EQ(end.responses.push(response), queue::QueueStatus::Ok);
        }
    }

    uint32_t serve(const tessera_blk_request& request)
    {
        if (fail_everything)
            return TESSERA_BLK_ERROR_IO;
        if (request.code == TESSERA_BLK_FLUSH) {
            ++flushes;
            return TESSERA_BLK_OK;
        }
        if (request.count == 0 || request.count > max_count)
            return TESSERA_BLK_ERROR_INVALID;
        const uint64_t blocks = disk_.size() / BlockBytes;
        if (request.block >= blocks || request.count > blocks - request.block)
            return TESSERA_BLK_ERROR_RANGE;
        const uint64_t bytes = uint64_t{request.count} * BlockBytes;
        if (request.offset > data_size_ || bytes > data_size_ - request.offset)
            return TESSERA_BLK_ERROR_BUFFER;
        uint8_t* on_disk = disk_.data() + request.block * BlockBytes;
        if (request.code == TESSERA_BLK_READ) {
            std::memcpy(data_ + request.offset, on_disk, bytes);
            return TESSERA_BLK_OK;
        }
        if (request.code == TESSERA_BLK_WRITE) {
            if (read_only)
                return TESSERA_BLK_ERROR_READ_ONLY;
            ++writes;
            std::memcpy(on_disk, data_ + request.offset, bytes);
            return TESSERA_BLK_OK;
        }
        return TESSERA_BLK_ERROR_INVALID;
    }

    std::vector<uint8_t>& disk() { return disk_; }

    bool read_only = false;
    bool failed = false;
    bool fail_everything = false;
    uint32_t max_count = 64;
    uint64_t restart_at_request = 0; // 1-based; 0: never
    uint64_t served = 0, writes = 0, flushes = 0, starts = 0;

private:
    queue::BlockQueueLayout layout_;
    uint8_t* data_;
    uint64_t data_size_;
    std::vector<uint8_t> disk_;
};

// A client, its regions, the server, and the volume on top.
class BlkVolumeTest : public ::testing::Test {
protected:
    void connect_to(std::vector<uint8_t> disk, uint64_t data_blocks = 4,
                    void (*configure)(FakeServer&) = nullptr)
    {
        queue_ = aligned_region(TESSERA_BLK_QUEUE_REGION_BYTES(Capacity));
        data_size_ = data_blocks * BlockBytes;
        data_ = aligned_region(data_size_);
        server_ = std::make_unique<FakeServer>(queue_.get(), data_.get(), data_size_, std::move(disk));
        if (configure != nullptr) {
            configure(*server_);
            server_->start();
        }
        ASSERT_EQ(tessera_blk_client_init(&client_, queue_.get(), Capacity, data_.get(), data_size_,
                                          notify, this),
                  TESSERA_BLK_CLIENT_OK);
        volume_ = std::make_unique<BlkVolume>(client_, wait, this);
    }

    static void notify(void* self) { static_cast<BlkVolumeTest*>(self)->server_->run(); }
    static void wait(void* self)
    {
        auto* test = static_cast<BlkVolumeTest*>(self);
        if (++test->waits > 100000)
            std::abort(); // a client that waits for ever
        test->server_->run();
    }

    Region queue_, data_;
    uint64_t data_size_ = 0;
    tessera_blk_client client_{};
    std::unique_ptr<FakeServer> server_;
    std::unique_ptr<BlkVolume> volume_;
    uint64_t waits = 0;
};

TEST_F(BlkVolumeTest, ConnectsAndReportsTheDisksSize)
{
    connect_to(std::vector<uint8_t>(64 * BlockBytes));
    ASSERT_TRUE(volume_->connect());
    EXPECT_EQ(volume_->size_bytes(), 64 * BlockBytes);
    EXPECT_FALSE(volume_->is_read_only());
    EXPECT_STREQ(volume_->name(), "fake0");
}

TEST_F(BlkVolumeTest, GranulesAtAnyBlockOffsetReadAndWriteLikeAPlainArray)
{
    std::vector<uint8_t> shadow = pattern(48 * BlockBytes, 5);
    connect_to(shadow, 3); // three blocks of staging: long transfers go in pieces
    ASSERT_TRUE(volume_->connect());
    std::mt19937 random(21);
    for (int round = 0; round < 300; ++round) {
        const uint64_t granules = shadow.size() / BlockDevice::Granule;
        const uint64_t first = random() % granules;
        const uint64_t count = 1 + random() % std::min<uint64_t>(granules - first, 20);
        const uint64_t offset = first * BlockDevice::Granule, length = count * BlockDevice::Granule;
        if (random() % 2 == 0) {
            std::vector<uint8_t> bytes = pattern(length, static_cast<uint32_t>(round));
            ASSERT_TRUE(volume_->write(offset, bytes.data(), bytes.size()));
            std::copy(bytes.begin(), bytes.end(), shadow.begin() + static_cast<long>(offset));
        } else {
            std::vector<uint8_t> bytes(length);
            ASSERT_TRUE(volume_->read(offset, bytes.data(), bytes.size()));
            ASSERT_TRUE(std::equal(bytes.begin(), bytes.end(), shadow.begin() + static_cast<long>(offset)))
                << "round " << round << " offset " << offset << " length " << length;
        }
    }
    EXPECT_EQ(server_->disk(), shadow);
}

TEST_F(BlkVolumeTest, AGatherWriteOfWholeBlocksNeedsNoReads)
{
    connect_to(std::vector<uint8_t>(32 * BlockBytes), 8);
    ASSERT_TRUE(volume_->connect());
    std::vector<std::vector<uint8_t>> pieces;
    std::vector<const uint8_t*> buffers;
    for (uint32_t i = 0; i < 8; ++i)
        pieces.push_back(pattern(2048, i));
    for (auto& piece : pieces)
        buffers.push_back(piece.data());
    const uint64_t served_before = server_->served;
    ASSERT_TRUE(volume_->write_gather(4 * BlockBytes, buffers.data(), buffers.size(), 2048));
    EXPECT_EQ(server_->served - served_before, 1u); // one WRITE of four blocks
    for (uint32_t i = 0; i < 8; ++i)
        EXPECT_EQ(0, std::memcmp(server_->disk().data() + 4 * BlockBytes + i * 2048,
                                 pieces[i].data(), 2048));
}

TEST_F(BlkVolumeTest, ARequestLostToAServerRestartIsSentAgain)
{
    std::vector<uint8_t> shadow = pattern(16 * BlockBytes, 9);
    connect_to(shadow);
    ASSERT_TRUE(volume_->connect());
    server_->restart_at_request = server_->served + 2;
    std::vector<uint8_t> bytes = pattern(3 * BlockDevice::Granule, 77);
    ASSERT_TRUE(volume_->write(5 * BlockDevice::Granule, bytes.data(), bytes.size()));
    std::vector<uint8_t> back(bytes.size());
    ASSERT_TRUE(volume_->read(5 * BlockDevice::Granule, back.data(), back.size()));
    EXPECT_EQ(back, bytes);
    EXPECT_EQ(server_->starts, 2u);
    EXPECT_EQ(volume_->reconnections(), 1u);
}

TEST_F(BlkVolumeTest, AReadOnlyDiskRefusesWritesWithErofs)
{
    connect_to(std::vector<uint8_t>(8 * BlockBytes), 4, [](FakeServer& s) { s.read_only = true; });
    ASSERT_TRUE(volume_->connect());
    EXPECT_TRUE(volume_->is_read_only());
    uint8_t bytes[1024] = {};
    EXPECT_EQ(volume_->write(0, bytes, sizeof bytes).error(), Errno::RoFs);
    EXPECT_TRUE(volume_->read(0, bytes, sizeof bytes));
    EXPECT_EQ(server_->writes, 0u);
}

TEST_F(BlkVolumeTest, AFailedDiskDoesNotConnect)
{
    connect_to(std::vector<uint8_t>(8 * BlockBytes), 4, [](FakeServer& s) { s.failed = true; });
    EXPECT_EQ(volume_->connect().error(), Errno::Io);
}

TEST_F(BlkVolumeTest, DeviceErrorsAndTransfersPastTheEndAreEio)
{
    connect_to(std::vector<uint8_t>(8 * BlockBytes));
    ASSERT_TRUE(volume_->connect());
    uint8_t bytes[2048] = {};
    EXPECT_EQ(volume_->read(8 * BlockBytes - 1024, bytes, sizeof bytes).error(), Errno::Io);
    server_->fail_everything = true;
    EXPECT_EQ(volume_->read(0, bytes, sizeof bytes).error(), Errno::Io);
    EXPECT_EQ(volume_->write(0, bytes, sizeof bytes).error(), Errno::Io);
    EXPECT_EQ(volume_->flush().error(), Errno::Io);
}

// The whole stack: an mke2fs -d volume with 1 KiB blocks (every ext2 block a quarter of a
// protocol block) mounted through the client, written, synced, and judged by e2fsck.
TEST_F(BlkVolumeTest, AnMke2fsVolumeMountsWritesAndStaysClean)
{
    ScratchDir scratch;
    std::filesystem::create_directories(scratch / "tree" / "docs");
    write_file(scratch / "tree" / "docs" / "a", pattern(5000, 1));
    write_file(scratch / "tree" / "b", pattern(70000, 2));
    make_image(scratch / "image", 4096, "-b 1024", scratch / "tree");
    connect_to(read_file(scratch / "image"), 16);
    ASSERT_TRUE(volume_->connect());
    {
        Mounted m(*volume_);
        ASSERT_TRUE(m.ok()) << m.report.reason;
        EXPECT_EQ(m.read_all("/docs/a"), pattern(5000, 1));
        EXPECT_EQ(m.read_all("/b"), pattern(70000, 2));
        ASSERT_TRUE(m.mkdir("/new"));
        for (int i = 0; i < 40; ++i) {
            const std::string path = "/new/f" + std::to_string(i);
            ASSERT_TRUE(m.create(path));
            ASSERT_TRUE(m.write_all(path, pattern(1000 + 333 * i, i)));
        }
        ASSERT_TRUE(m.unlink("/b"));
        ASSERT_TRUE(m.fs->sync());
    }
    EXPECT_GT(server_->flushes, 0u);
    write_file(scratch / "image", server_->disk());
    CommandResult checked = check_image(scratch / "image");
    EXPECT_EQ(checked.status, 0) << checked.output;
    CommandResult dumped = debugfs(scratch / "image", "dump /new/f39 " + (scratch / "f39").string());
    EXPECT_EQ(read_file(scratch / "f39"), pattern(1000 + 333 * 39, 39)) << dumped.output;
}

} // namespace
} // namespace tessera::ext2::test
