// virtio-blk requests from descriptor chains: reads and writes as Linux frames them, a header
// split across buffers, the status byte sharing the last buffer, and every request the disk must
// refuse (past the end, partial sectors, writes to a read-only disk, unknown types, no header).
#include "virtio_blk_request.h"

#include <gtest/gtest.h>

#include <string.h>

#include <vector>

namespace tessera::services::vmm {
namespace {

constexpr BlockDisk Disk{2048, false}; // 1 MiB

struct RequestFixture : ::testing::Test {
    std::vector<uint8_t> ram = std::vector<uint8_t>(1 << 20, 0);
    GuestRam guest{ram.data(), ram.size()};
    DescriptorChain chain{};

    void header_at(uint64_t at, uint32_t type, uint64_t sector)
    {
        memcpy(&ram[at], &type, 4);
        memcpy(&ram[at + 8], &sector, 8);
    }
    void segment(uint64_t address, uint32_t length, bool writes)
    {
        chain.segments[chain.count++] = BufferSegment{address, length, writes};
        (writes ? chain.writable_bytes : chain.readable_bytes) += length;
    }
    BlockRequest parse(const BlockDisk& disk = Disk)
    {
        BlockRequest request{};
        EXPECT_TRUE(parse_block_request(chain, guest, disk, request));
        return request;
    }
};

TEST_F(RequestFixture, ParsesAReadAsLinuxFramesIt)
{
    header_at(0x1000, 0, 8);
    segment(0x1000, 16, false);
    segment(0x2000, 4096, true);
    segment(0x3000, 1, true);
    BlockRequest r = parse();
    EXPECT_EQ(r.status, virtio::blk::StatusOk);
    EXPECT_EQ(r.type, BlockRequestType::Read);
    EXPECT_EQ(r.sector, 8u);
    EXPECT_EQ(r.data_bytes, 4096u);
    EXPECT_EQ(r.status_address, 0x3000u);
}

TEST_F(RequestFixture, ParsesAWriteWithASplitHeaderAndTheStatusInTheLastBuffer)
{
    header_at(0x1000, 1, 2040);
    memmove(&ram[0x5000], &ram[0x1008], 8); // header bytes 8..15 live elsewhere
    segment(0x1000, 8, false);
    segment(0x5000, 8, false);
    segment(0x6000, 4096, false);
    segment(0x7000, 1, true);
    BlockRequest r = parse();
    EXPECT_EQ(r.status, virtio::blk::StatusOk);
    EXPECT_EQ(r.type, BlockRequestType::Write);
    EXPECT_EQ(r.sector, 2040u);
    EXPECT_EQ(r.data_bytes, 4096u);

    chain = {};
    header_at(0x1000, 0, 0);
    segment(0x1000, 16, false);
    segment(0x2000, 513, true); // 512 data bytes then the status
    BlockRequest shared = parse();
    EXPECT_EQ(shared.data_bytes, 512u);
    EXPECT_EQ(shared.status_address, 0x2000u + 512);
}

TEST_F(RequestFixture, RefusesTransfersPastTheEndOrOfPartialSectors)
{
    header_at(0x1000, 0, 2041); // 8 sectors from 2041 runs past 2048
    segment(0x1000, 16, false);
    segment(0x2000, 4096, true);
    segment(0x3000, 1, true);
    EXPECT_EQ(parse().status, virtio::blk::StatusIoError);
    header_at(0x1000, 0, ~0ull - 2); // sector + count would wrap
    EXPECT_EQ(parse().status, virtio::blk::StatusIoError);
    header_at(0x1000, 0, 0);
    chain.segments[1].length = 100;
    chain.writable_bytes = 101;
    EXPECT_EQ(parse().status, virtio::blk::StatusIoError);
}

TEST_F(RequestFixture, RefusesWritesToAReadOnlyDiskAndUnknownTypes)
{
    header_at(0x1000, 1, 0);
    segment(0x1000, 16, false);
    segment(0x2000, 512, false);
    segment(0x3000, 1, true);
    EXPECT_EQ(parse(BlockDisk{2048, true}).status, virtio::blk::StatusIoError);
    EXPECT_EQ(parse().status, virtio::blk::StatusOk);
    header_at(0x1000, 11, 0); // DISCARD: not offered
    EXPECT_EQ(parse().status, virtio::blk::StatusUnsupported);
    header_at(0x1000, 4, 0); // FLUSH
    BlockRequest flush = parse();
    EXPECT_EQ(flush.type, BlockRequestType::Flush);
    EXPECT_EQ(flush.status, virtio::blk::StatusOk);
}

TEST_F(RequestFixture, AnswersGetIdWithAtMostTwentyBytes)
{
    header_at(0x1000, 8, 0);
    segment(0x1000, 16, false);
    segment(0x2000, 64, true);
    segment(0x3000, 1, true);
    BlockRequest id = parse();
    EXPECT_EQ(id.type, BlockRequestType::GetId);
    EXPECT_EQ(id.data_bytes, 20u);
}

TEST_F(RequestFixture, AnswersIoErrorWithoutAHeaderAndGivesUpWithoutAStatusByte)
{
    segment(0x1000, 8, false);
    segment(0x3000, 1, true);
    EXPECT_EQ(parse().status, virtio::blk::StatusIoError);
    chain = {};
    segment(0x1000, 16, false);
    BlockRequest request{};
    EXPECT_FALSE(parse_block_request(chain, guest, Disk, request));
}

} // namespace
} // namespace tessera::services::vmm
