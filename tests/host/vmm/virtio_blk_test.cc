// The virtio-blk device behind the modern PCI transport, driven the way Linux's virtio_pci and
// virtio_blk drive it (capabilities, feature negotiation, one split queue, notifications, the ISR)
// against a block server in the same thread that speaks tessera/queue/block.h on a disk in memory.
// The server answers only when the test runs it, so requests in flight, slots running out, resets
// and server restarts happen at chosen moments. Hostile rings and requests get error statuses or
// NEEDS_RESET, never an access outside guest RAM (the asan variant checks that too).
#include "virtio_blk_device.h"
#include "virtio_pci_transport.h"

#include <gtest/gtest.h>

#include <tessera/blk_client.h>
#include <tessera/queue/block_queues.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace tessera::services::vmm {
namespace {

constexpr uint64_t BlockBytes = TESSERA_BLK_BLOCK_SIZE;
constexpr uint32_t QueueCapacity = 8;
constexpr uint64_t Bar = 0xfe000000;
constexpr uint64_t DiskBlocks = 64;
// Guest-physical layout of the test driver's queue and buffers.
constexpr uint64_t Desc = 0x1000, Avail = 0x2000, Used = 0x3000;
constexpr uint16_t QueueSize = 32; // 4 descriptors per test request slot
constexpr uint64_t Headers = 0x10000, Statuses = 0x18000, Buffers = 0x100000;
constexpr uint64_t BufferStride = 0x20000;
constexpr uint32_t In = 0, Out = 1, Flush = 4, GetId = 8;
constexpr uint16_t Next = 1, Write = 2;

std::vector<uint8_t> pattern(size_t bytes, uint32_t seed)
{
    std::vector<uint8_t> out(bytes);
    for (size_t i = 0; i < bytes; ++i)
        out[i] = static_cast<uint8_t>((i * 131 + seed * 7 + (i >> 9)) & 0xff);
    return out;
}

struct FreeRegion {
    void operator()(uint8_t* memory) const { std::free(memory); }
};
using Region = std::unique_ptr<uint8_t, FreeRegion>;
Region region(size_t bytes)
{
    auto* memory = static_cast<uint8_t*>(std::aligned_alloc(4096, (bytes + 4095) / 4096 * 4096));
    std::memset(memory, 0, bytes);
    return Region(memory);
}

// The block virtualiser's side of the connection, run only when the test says so.
class BlockServer {
public:
    BlockServer(uint8_t* queue_region, uint8_t* data, uint64_t data_size)
        : disk(pattern(DiskBlocks * BlockBytes, 1)), layout_(queue_region, QueueCapacity),
          data_(data), data_size_(data_size)
    {
    }

    void start()
    {
        tessera_blk_info& info = *layout_.info;
        info.magic = TESSERA_BLK_INFO_MAGIC;
        info.state = TESSERA_BLK_STATE_READY;
        info.capacity = disk.size() / BlockBytes;
        info.flags = read_only ? TESSERA_BLK_FLAG_READ_ONLY : 0;
        info.max_count = 64;
        std::strncpy(info.name, "vdisk-serial-0123456789", sizeof info.name);
        __atomic_add_fetch(&info.server_generation, 1, __ATOMIC_RELEASE);
    }

    // Serves every queued request; returns how many.
    unsigned run()
    {
        tessera_blk_info& info = *layout_.info;
        if (info.client_generation != info.server_generation)
            return 0;
        queue::BlockServerEnd end(layout_);
        tessera_blk_request request;
        unsigned served = 0;
        while (end.requests.pop(request) == queue::QueueStatus::Ok) {
            ++served;
            log.push_back(request);
            tessera_blk_response response{serve(request), 0, request.id, 0};
            if (response.status == TESSERA_BLK_OK)
                response.completed = request.count;
            EXPECT_EQ(end.responses.push(response), queue::QueueStatus::Ok);
        }
        // As the block virtualiser does: a notification only for a client that asked for one.
        if (served != 0)
            end.responses.publish([&] { ++notifications; });
        return served;
    }

    // Takes the queued requests without answering (a restart loses them).
    unsigned drop()
    {
        queue::BlockServerEnd end(layout_);
        tessera_blk_request request;
        unsigned dropped = 0;
        while (end.requests.pop(request) == queue::QueueStatus::Ok)
            ++dropped;
        return dropped;
    }

    uint32_t serve(const tessera_blk_request& request)
    {
        if (fail_everything)
            return TESSERA_BLK_ERROR_IO;
        if (request.code == TESSERA_BLK_FLUSH)
            return TESSERA_BLK_OK;
        uint64_t blocks = disk.size() / BlockBytes, bytes = uint64_t{request.count} * BlockBytes;
        if (request.count == 0 || request.block >= blocks || request.count > blocks - request.block)
            return TESSERA_BLK_ERROR_RANGE;
        if (request.offset > data_size_ || bytes > data_size_ - request.offset)
            return TESSERA_BLK_ERROR_BUFFER;
        uint8_t* on_disk = disk.data() + request.block * BlockBytes;
        if (request.code == TESSERA_BLK_READ) {
            std::memcpy(data_ + request.offset, on_disk, bytes);
            return TESSERA_BLK_OK;
        }
        if (read_only)
            return TESSERA_BLK_ERROR_READ_ONLY;
        std::memcpy(on_disk, data_ + request.offset, bytes);
        return TESSERA_BLK_OK;
    }

    bool read_only = false;
    bool fail_everything = false;
    unsigned notifications = 0; // the server's to the client
    std::vector<uint8_t> disk;
    std::vector<tessera_blk_request> log;

private:
    queue::BlockQueueLayout layout_;
    uint8_t* data_;
    uint64_t data_size_;
};

class VirtioBlkFixture : public ::testing::Test {
protected:
    void SetUp() override { connect(); }

    void connect(bool read_only = false, uint64_t data_blocks = 72)
    {
        queue_region_ = region(TESSERA_BLK_QUEUE_REGION_BYTES(QueueCapacity));
        data_size_ = data_blocks * BlockBytes;
        data_ = region(data_size_);
        server_ = std::make_unique<BlockServer>(queue_region_.get(), data_.get(), data_size_);
        server_->read_only = read_only;
        server_->start();
        ASSERT_EQ(tessera_blk_client_init(&client_, queue_region_.get(), QueueCapacity, data_.get(),
                                          data_size_, notify_server, this),
                  TESSERA_BLK_CLIENT_OK);
        ASSERT_EQ(tessera_blk_client_connect(&client_), 1);
        auto geometry = VirtioBlkDevice::plan(client_);
        ASSERT_TRUE(geometry) << geometry.error().what;
        device_ = std::make_unique<VirtioBlkDevice>(client_, guest_, geometry.value());
        transport_ = std::make_unique<VirtioPciTransport>(
            VirtioPciIdentity{virtio::DeviceIdBlock, 0x018000}, *device_, guest_);
        PciFunction& pci = transport_->pci();
        pci.write(0x10, 4, Bar);
        pci.write(0x04, 2, 0x6); // memory decoding and bus mastering, as firmware leaves them
    }
    static void notify_server(void* self) { ++static_cast<VirtioBlkFixture*>(self)->notifications_; }

    // Register access through the BAR, as the guest's MMIO exits reach the transport.
    uint32_t rd(uint64_t offset, unsigned size) { return static_cast<uint32_t>(transport_->read(Bar + offset, size)); }
    void wr(uint64_t offset, unsigned size, uint32_t value) { transport_->write(Bar + offset, size, value); }
    uint8_t status() { return static_cast<uint8_t>(rd(0x14, 1)); }

    uint64_t device_features()
    {
        wr(0x00, 4, 0);
        uint64_t low = rd(0x04, 4);
        wr(0x00, 4, 1);
        return low | uint64_t{rd(0x04, 4)} << 32;
    }
    void driver_features(uint64_t features)
    {
        wr(0x08, 4, 0);
        wr(0x0c, 4, static_cast<uint32_t>(features));
        wr(0x08, 4, 1);
        wr(0x0c, 4, static_cast<uint32_t>(features >> 32));
    }
    // What virtio_pci_modern and virtio_blk do at probe: reset, negotiate, set up queue 0, go.
    void bring_up()
    {
        wr(0x14, 1, 0);
        wr(0x14, 1, virtio::StatusAcknowledge | virtio::StatusDriver);
        driver_features(device_features());
        wr(0x14, 1, status() | virtio::StatusFeaturesOk);
        ASSERT_TRUE(status() & virtio::StatusFeaturesOk);
        wr(0x16, 2, 0);
        wr(0x18, 2, QueueSize);
        wr(0x20, 4, Desc);
        wr(0x24, 4, 0);
        wr(0x28, 4, Avail);
        wr(0x2c, 4, 0);
        wr(0x30, 4, Used);
        wr(0x34, 4, 0);
        wr(0x1c, 2, 1);
        wr(0x14, 1, status() | virtio::StatusDriverOk);
        ASSERT_EQ(status() & virtio::StatusNeedsReset, 0);
    }

    template <class T> void store(uint64_t at, T value) { std::memcpy(&ram_[at], &value, sizeof value); }
    template <class T> T load(uint64_t at)
    {
        T value;
        std::memcpy(&value, &ram_[at], sizeof value);
        return value;
    }
    void descriptor(uint16_t i, uint64_t address, uint32_t length, uint16_t flags, uint16_t next = 0)
    {
        uint64_t at = Desc + 16 * i;
        store(at, address);
        store(at + 8, length);
        store(at + 12, flags);
        store(at + 14, next);
    }
    void offer(uint16_t head)
    {
        store<uint16_t>(Avail + 4 + 2 * (avail_index_ % QueueSize), head);
        ++avail_index_;
        store<uint16_t>(Avail + 2, avail_index_);
    }
    uint64_t buffer(unsigned slot) const { return Buffers + slot * BufferStride; }
    uint64_t status_byte(unsigned slot) const { return Statuses + slot; }

    // A request as virtio_blk builds it: header, data in `pieces` buffers, status; descriptors
    // 3*slot onwards (at most 2 data pieces). Offered, then the queue is notified.
    void request(unsigned slot, uint32_t type, uint64_t sector, uint32_t bytes, unsigned pieces = 1)
    {
        uint16_t d = static_cast<uint16_t>(4 * slot);
        uint64_t header = Headers + 16 * slot;
        store<uint32_t>(header, type);
        store<uint32_t>(header + 4, 0);
        store<uint64_t>(header + 8, sector);
        ram_[status_byte(slot)] = 0xee;
        uint16_t data_flags = type == In || type == GetId ? Write : 0;
        descriptor(d, header, 16, Next, static_cast<uint16_t>(d + 1));
        uint16_t last = d;
        if (bytes != 0) {
            uint32_t first = pieces == 2 ? bytes / 2 : bytes;
            descriptor(static_cast<uint16_t>(d + 1), buffer(slot), first, Next | data_flags,
                       static_cast<uint16_t>(d + 2));
            last = static_cast<uint16_t>(d + 1);
            if (pieces == 2) {
                descriptor(static_cast<uint16_t>(d + 2), buffer(slot) + first, bytes - first,
                           Next | data_flags, static_cast<uint16_t>(d + 3));
                last = static_cast<uint16_t>(d + 2);
            }
        }
        // The status descriptor follows the last one used.
        uint16_t status_index = static_cast<uint16_t>(last + 1);
        uint64_t at = Desc + 16 * last + 14;
        store<uint16_t>(at, status_index);
        descriptor(status_index, status_byte(slot), 1, Write);
        offer(d);
        wr(0x3000, 2, 0); // notify queue 0
    }
    // The server answers, then its notification reaches the device. Every answer comes with a
    // notification: the device asked for one whenever it awaited answers (a device that did not
    // would wait for ever in a real system, where nothing else calls service()).
    void serve()
    {
        const unsigned before = server_->notifications;
        if (server_->run() != 0) {
            EXPECT_EQ(server_->notifications, before + 1) << "the device did not ask to be notified";
        }
        transport_->report(device_->service());
    }
    uint16_t used_index() { return load<uint16_t>(Used + 2); }
    uint8_t isr() { return static_cast<uint8_t>(rd(0x1000, 1)); }

    std::vector<uint8_t> ram_ = std::vector<uint8_t>(4 << 20, 0);
    GuestRam guest_{ram_.data(), ram_.size()};
    Region queue_region_, data_;
    uint64_t data_size_ = 0;
    tessera_blk_client client_{};
    std::unique_ptr<BlockServer> server_;
    std::unique_ptr<VirtioBlkDevice> device_;
    std::unique_ptr<VirtioPciTransport> transport_;
    uint16_t avail_index_ = 0;
    unsigned notifications_ = 0;
};

TEST_F(VirtioBlkFixture, PciFunctionIsAModernVirtioBlockDeviceWithItsFourStructures)
{
    PciFunction& pci = transport_->pci();
    EXPECT_EQ(pci.read(0x00, 2), 0x1af4u);
    EXPECT_EQ(pci.read(0x02, 2), 0x1042u);
    EXPECT_EQ(pci.read(0x08, 1), 1u); // revision 1: modern only
    EXPECT_EQ(pci.read(0x09, 3), 0x018000u);
    EXPECT_EQ(pci.read(0x3d, 1), 1u); // INTA
    ASSERT_TRUE(pci.read(0x06, 2) & 0x10);
    // Walk the capability list as virtio_pci_find_capability does.
    std::vector<unsigned> types;
    uint32_t multiplier = 0;
    for (unsigned at = pci.read(0x34, 1); at != 0; at = pci.read(at + 1, 1)) {
        ASSERT_EQ(pci.read(at, 1), 0x09u);
        unsigned type = pci.read(at + 3, 1);
        types.push_back(type);
        EXPECT_EQ(pci.read(at + 4, 1), 0u); // BAR 0
        uint32_t offset = pci.read(at + 8, 4), length = pci.read(at + 12, 4);
        EXPECT_LE(uint64_t{offset} + length, VirtioPciTransport::BarBytes);
        if (type == 2) {
            EXPECT_EQ(pci.read(at + 2, 1), 20u);
            multiplier = pci.read(at + 16, 4);
        }
    }
    EXPECT_EQ(types, (std::vector<unsigned>{1, 2, 3, 4}));
    EXPECT_EQ(multiplier, 4u);
    // BAR sizing: all ones back, the size's complement read.
    uint32_t saved = pci.read(0x10, 4);
    pci.write(0x10, 4, ~0u);
    EXPECT_EQ(pci.read(0x10, 4), ~uint32_t{VirtioPciTransport::BarBytes - 1});
    pci.write(0x10, 4, saved);
    EXPECT_TRUE(transport_->handles(Bar + 0x3000));
    EXPECT_FALSE(transport_->handles(Bar + VirtioPciTransport::BarBytes));
}

TEST_F(VirtioBlkFixture, OffersVersion1BlockSizeFlushAndTheDisksCapacity)
{
    uint64_t features = device_features();
    EXPECT_TRUE(features & virtio::FeatureVersion1);
    EXPECT_TRUE(features & virtio::blk::FeatureBlockSize);
    EXPECT_TRUE(features & virtio::blk::FeatureFlush);
    EXPECT_FALSE(features & virtio::blk::FeatureReadOnly);
    uint64_t capacity = rd(0x2000, 4) | uint64_t{rd(0x2004, 4)} << 32;
    EXPECT_EQ(capacity, DiskBlocks * 8);
    EXPECT_EQ(rd(0x2014, 4), 4096u);                  // blk_size
    EXPECT_EQ(rd(0x2008, 4), 4096u);                  // size_max
    EXPECT_EQ(uint64_t{rd(0x200c, 4)} * 4096, device_->max_request_bytes()); // seg_max
    EXPECT_EQ(rd(0x12, 2), 1u);                       // num_queues
    EXPECT_EQ(rd(0x18, 2), VirtioPciTransport::MaxQueueSize);
}

TEST_F(VirtioBlkFixture, FeaturesOkSticksOnlyForOfferedFeaturesWithVersion1)
{
    wr(0x14, 1, virtio::StatusAcknowledge | virtio::StatusDriver);
    driver_features(virtio::blk::FeatureFlush); // no VERSION_1: a legacy driver
    wr(0x14, 1, status() | virtio::StatusFeaturesOk);
    EXPECT_FALSE(status() & virtio::StatusFeaturesOk);
    driver_features(virtio::FeatureVersion1 | (1ull << 29)); // EVENT_IDX is not offered
    wr(0x14, 1, status() | virtio::StatusFeaturesOk);
    EXPECT_FALSE(status() & virtio::StatusFeaturesOk);
    wr(0x14, 1, status() | virtio::StatusDriverOk); // not without FEATURES_OK
    EXPECT_FALSE(status() & virtio::StatusDriverOk);
    driver_features(virtio::FeatureVersion1 | virtio::blk::FeatureFlush);
    wr(0x14, 1, status() | virtio::StatusFeaturesOk);
    EXPECT_TRUE(status() & virtio::StatusFeaturesOk);
    EXPECT_EQ(transport_->negotiated_features(), virtio::FeatureVersion1 | virtio::blk::FeatureFlush);
}

TEST_F(VirtioBlkFixture, ReadFillsTheBuffersWithTheDisksBytesAndInterrupts)
{
    bring_up();
    request(0, In, 16, 8192, 2);
    EXPECT_EQ(used_index(), 0); // nothing before the server answers
    EXPECT_FALSE(transport_->interrupt_asserted());
    EXPECT_GT(notifications_, 0u);
    serve();
    ASSERT_EQ(used_index(), 1);
    EXPECT_EQ(load<uint32_t>(Used + 4), 0u);        // head
    EXPECT_EQ(load<uint32_t>(Used + 8), 8193u);     // data and status written
    EXPECT_EQ(ram_[status_byte(0)], virtio::blk::StatusOk);
    EXPECT_EQ(0, std::memcmp(&ram_[buffer(0)], server_->disk.data() + 16 * 512, 8192));
    EXPECT_TRUE(transport_->interrupt_asserted());
    EXPECT_EQ(isr(), 1);                             // queue interrupt, cleared by the read
    EXPECT_FALSE(transport_->interrupt_asserted());
    ASSERT_EQ(server_->log.size(), 1u);
    EXPECT_EQ(server_->log[0].code, uint32_t{TESSERA_BLK_READ});
    EXPECT_EQ(server_->log[0].block, 2u);
    EXPECT_EQ(server_->log[0].count, 2u);
}

TEST_F(VirtioBlkFixture, ReadOfSectorsInsideABlockCopiesOnlyThoseSectors)
{
    bring_up();
    request(0, In, 3, 1024);
    serve();
    ASSERT_EQ(ram_[status_byte(0)], virtio::blk::StatusOk);
    EXPECT_EQ(0, std::memcmp(&ram_[buffer(0)], server_->disk.data() + 3 * 512, 1024));
    EXPECT_EQ(ram_[buffer(0) + 1024], 0); // not a byte more
    EXPECT_EQ(load<uint32_t>(Used + 8), 1025u);
}

TEST_F(VirtioBlkFixture, WriteReachesTheDiskAndAnswersOnlyTheStatus)
{
    bring_up();
    std::vector<uint8_t> bytes = pattern(8192, 9);
    std::memcpy(&ram_[buffer(0)], bytes.data(), bytes.size());
    request(0, Out, 8, 8192, 2);
    serve();
    ASSERT_EQ(ram_[status_byte(0)], virtio::blk::StatusOk);
    EXPECT_EQ(load<uint32_t>(Used + 8), 1u);
    EXPECT_EQ(0, std::memcmp(server_->disk.data() + 4096, bytes.data(), bytes.size()));
    EXPECT_EQ(device_->counters().read_modify_writes, 0u);
}

TEST_F(VirtioBlkFixture, WriteOfPartOfABlockKeepsTheBlocksOtherBytes)
{
    bring_up();
    std::vector<uint8_t> before = server_->disk;
    std::vector<uint8_t> bytes = pattern(1536, 4);
    std::memcpy(&ram_[buffer(0)], bytes.data(), bytes.size());
    request(0, Out, 7, 1536); // sectors 7-9: the end of block 0 and the start of block 1
    serve();                  // the covering blocks are read
    EXPECT_EQ(used_index(), 0);
    serve();                  // then written back
    ASSERT_EQ(used_index(), 1);
    ASSERT_EQ(ram_[status_byte(0)], virtio::blk::StatusOk);
    std::vector<uint8_t> expected = before;
    std::memcpy(expected.data() + 7 * 512, bytes.data(), bytes.size());
    EXPECT_EQ(server_->disk, expected);
    EXPECT_EQ(device_->counters().read_modify_writes, 1u);
}

TEST_F(VirtioBlkFixture, ReadOnlyDiskAdvertisesRoAndFailsWritesWithIoErr)
{
    connect(true);
    EXPECT_TRUE(device_features() & virtio::blk::FeatureReadOnly);
    bring_up();
    std::vector<uint8_t> before = server_->disk;
    request(0, Out, 0, 4096);
    EXPECT_EQ(ram_[status_byte(0)], virtio::blk::StatusIoError); // answered without the server
    EXPECT_EQ(used_index(), 1);
    EXPECT_TRUE(server_->log.empty());
    request(1, In, 0, 4096);
    serve();
    EXPECT_EQ(ram_[status_byte(1)], virtio::blk::StatusOk);
    EXPECT_EQ(server_->disk, before);
}

TEST_F(VirtioBlkFixture, FlushReachesTheServerAndGetIdAnswersTheDiskName)
{
    bring_up();
    request(0, Flush, 0, 0);
    serve();
    EXPECT_EQ(ram_[status_byte(0)], virtio::blk::StatusOk);
    ASSERT_EQ(server_->log.size(), 1u);
    EXPECT_EQ(server_->log[0].code, uint32_t{TESSERA_BLK_FLUSH});
    request(1, GetId, 0, 20);
    EXPECT_EQ(ram_[status_byte(1)], virtio::blk::StatusOk);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(&ram_[buffer(1)]), 20), "vdisk-serial-0123456");
    EXPECT_EQ(used_index(), 2);
}

TEST_F(VirtioBlkFixture, RequestsPastTheEndShortOrUnknownGetErrorsAndTheDeviceGoesOn)
{
    bring_up();
    request(0, In, DiskBlocks * 8 - 4, 4096); // half past the end
    EXPECT_EQ(ram_[status_byte(0)], virtio::blk::StatusIoError);
    request(1, In, 0, 1000); // not whole sectors
    EXPECT_EQ(ram_[status_byte(1)], virtio::blk::StatusIoError);
    request(2, 99, 0, 512);
    EXPECT_EQ(ram_[status_byte(2)], virtio::blk::StatusUnsupported);
    request(3, In, 0, static_cast<uint32_t>(device_->max_request_bytes() + 4096), 2);
    EXPECT_EQ(ram_[status_byte(3)], virtio::blk::StatusIoError); // beyond SEG_MAX x SIZE_MAX
    EXPECT_TRUE(server_->log.empty());
    EXPECT_EQ(device_->counters().errors, 4u);
    request(4, In, 0, 512);
    serve();
    EXPECT_EQ(ram_[status_byte(4)], virtio::blk::StatusOk);
    EXPECT_EQ(status() & virtio::StatusNeedsReset, 0);
}

TEST_F(VirtioBlkFixture, ServerErrorsBecomeIoErr)
{
    bring_up();
    server_->fail_everything = true;
    request(0, In, 0, 4096);
    serve();
    EXPECT_EQ(ram_[status_byte(0)], virtio::blk::StatusIoError);
    EXPECT_EQ(load<uint32_t>(Used + 8), 1u);
}

TEST_F(VirtioBlkFixture, ADescriptorLoopMakesTheDeviceNeedResetAndAResetRecovers)
{
    bring_up();
    descriptor(0, Headers, 16, Next, 1);
    descriptor(1, buffer(0), 512, Next | Write, 0); // back to the head
    offer(0);
    wr(0x3000, 2, 0);
    EXPECT_TRUE(status() & virtio::StatusNeedsReset);
    EXPECT_EQ(isr(), 2); // a configuration interrupt tells the driver
    EXPECT_EQ(used_index(), 0);
    wr(0x3000, 2, 0); // further notifies are ignored
    avail_index_ = 0;
    store<uint16_t>(Avail + 2, 0);
    bring_up();
    request(0, In, 0, 512);
    serve();
    EXPECT_EQ(ram_[status_byte(0)], virtio::blk::StatusOk);
}

TEST_F(VirtioBlkFixture, BuffersOutsideGuestRamOrWithoutAStatusByteNeedReset)
{
    bring_up();
    descriptor(0, Headers, 16, Next, 1);
    descriptor(1, ram_.size() - 100, 4096, Next | Write, 2); // leaves guest RAM
    descriptor(2, status_byte(0), 1, Write);
    offer(0);
    wr(0x3000, 2, 0);
    EXPECT_TRUE(status() & virtio::StatusNeedsReset);

    wr(0x14, 1, 0);
    avail_index_ = 0;
    store<uint16_t>(Avail + 2, 0);
    bring_up();
    descriptor(0, Headers, 16, 0); // a header alone: nowhere to put a status
    offer(0);
    wr(0x3000, 2, 0);
    EXPECT_TRUE(status() & virtio::StatusNeedsReset);
    EXPECT_TRUE(server_->log.empty());
}

TEST_F(VirtioBlkFixture, QueueOutsideGuestRamIsRefusedAtEnable)
{
    wr(0x14, 1, virtio::StatusAcknowledge | virtio::StatusDriver);
    driver_features(device_features());
    wr(0x14, 1, status() | virtio::StatusFeaturesOk);
    wr(0x18, 2, QueueSize);
    wr(0x20, 4, static_cast<uint32_t>(ram_.size() - 16));
    wr(0x28, 4, Avail);
    wr(0x30, 4, Used);
    wr(0x1c, 2, 1);
    EXPECT_EQ(rd(0x1c, 2), 0u);
    EXPECT_TRUE(status() & virtio::StatusNeedsReset);
}

TEST_F(VirtioBlkFixture, RequestsBeyondTheSlotsWaitInTheRingUntilAnswersFreeThem)
{
    bring_up();
    unsigned slots = device_->slots();
    ASSERT_LT(slots, 8u);
    unsigned total = slots + 1; // one more than can be in flight
    ASSERT_LE(total * 4u, QueueSize);
    for (unsigned i = 0; i < total; ++i)
        request(i, In, 8 * i, 4096);
    EXPECT_EQ(device_->in_flight(), slots);
    serve(); // answers free the slots; the last request starts
    EXPECT_EQ(used_index(), slots);
    serve();
    EXPECT_EQ(used_index(), total);
    for (unsigned i = 0; i < total; ++i) {
        EXPECT_EQ(ram_[status_byte(i)], virtio::blk::StatusOk) << i;
        EXPECT_EQ(0, std::memcmp(&ram_[buffer(i)], server_->disk.data() + i * 4096, 4096)) << i;
    }
}

TEST_F(VirtioBlkFixture, AResetWithARequestInFlightNeverWritesTheOldBuffers)
{
    bring_up();
    request(0, In, 0, 4096);
    EXPECT_EQ(device_->in_flight(), 1u);
    wr(0x14, 1, 0); // the driver resets the device
    EXPECT_EQ(status(), 0);
    serve(); // the answer arrives afterwards
    EXPECT_EQ(ram_[status_byte(0)], 0xee);
    EXPECT_EQ(ram_[buffer(0)], 0);
    EXPECT_EQ(used_index(), 0);
    EXPECT_EQ(device_->in_flight(), 0u); // the slot is free again
}

TEST_F(VirtioBlkFixture, ServerRestartSendsTheRequestsInFlightAgain)
{
    bring_up();
    request(0, In, 8, 4096);
    EXPECT_EQ(server_->drop(), 1u); // taken, then the server restarts and forgets it
    server_->start();
    transport_->report(device_->service()); // the restart notification: reconnect and resend
    EXPECT_EQ(device_->counters().reconnections, 1u);
    serve();
    EXPECT_EQ(ram_[status_byte(0)], virtio::blk::StatusOk);
    EXPECT_EQ(0, std::memcmp(&ram_[buffer(0)], server_->disk.data() + 4096, 4096));
}

TEST_F(VirtioBlkFixture, NoInterruptWhenTheDriverSuppressesThem)
{
    bring_up();
    store<uint16_t>(Avail, 1); // VIRTQ_AVAIL_F_NO_INTERRUPT
    request(0, In, 0, 512);
    serve();
    EXPECT_EQ(used_index(), 1);
    EXPECT_FALSE(transport_->interrupt_asserted());
}

TEST_F(VirtioBlkFixture, PlanRefusesADataRegionTooSmallForASlot)
{
    tessera_blk_client small{};
    ASSERT_EQ(tessera_blk_client_init(&small, queue_region_.get(), QueueCapacity, data_.get(),
                                      2 * BlockBytes, notify_server, this),
              TESSERA_BLK_CLIENT_OK);
    EXPECT_FALSE(VirtioBlkDevice::plan(small));
}

} // namespace
} // namespace tessera::services::vmm
