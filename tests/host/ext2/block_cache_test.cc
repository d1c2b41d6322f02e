// The block cache on its own: hits and misses, write-back in block order with adjacent blocks in
// one request, eviction, pins, and reads that bypass the cache but see its dirty blocks.
#include <gtest/gtest.h>

#include <cstring>

#include <tessera/ext2/block_cache.h>

#include "image_tools.h"

namespace tessera::ext2::test {
namespace {

class Ext2BlockCacheFixture : public ::testing::Test {
protected:
    Ext2BlockCacheFixture() : device(std::vector<uint8_t>(1024 * 1024)), arena(memory.data(), memory.size())
    {
        for (size_t i = 0; i < device.bytes().size(); ++i)
            device.bytes()[i] = static_cast<uint8_t>(i / 1024);
    }
    BlockCache* make(uint32_t buffers) { return BlockCache::create(arena, device, 1024, buffers); }

    MemoryDevice device;
    std::vector<uint8_t> memory = std::vector<uint8_t>(1 << 20);
    Arena arena;
};

TEST_F(Ext2BlockCacheFixture, SecondGetIsAHit)
{
    BlockCache* cache = make(16);
    ASSERT_NE(cache, nullptr);
    {
        auto ref = cache->get(BlockNumber{5}, BlockCache::Fill::Read);
        ASSERT_TRUE(ref);
        EXPECT_EQ(ref.value().data()[0], 5);
    }
    auto again = cache->get(BlockNumber{5}, BlockCache::Fill::Read);
    ASSERT_TRUE(again);
    EXPECT_EQ(cache->statistics().hits, 1u);
    EXPECT_EQ(cache->statistics().misses, 1u);
    EXPECT_EQ(device.reads, 1u);
}

TEST_F(Ext2BlockCacheFixture, FlushWritesAdjacentDirtyBlocksInOneRequest)
{
    BlockCache* cache = make(32);
    for (uint32_t block : {12u, 10u, 11u, 20u, 13u}) {
        auto ref = cache->get(BlockNumber{block}, BlockCache::Fill::Zero);
        ASSERT_TRUE(ref);
        std::memset(ref.value().data(), 0xA0 + static_cast<int>(block), 1024);
        ref.value().mark_dirty();
    }
    EXPECT_EQ(device.writes, 0u); // write-back: nothing yet
    EXPECT_EQ(cache->dirty_count(), 5u);
    ASSERT_TRUE(cache->flush());
    EXPECT_EQ(device.writes, 2u); // 10-13 together, 20 alone
    EXPECT_EQ(cache->statistics().blocks_written, 5u);
    EXPECT_EQ(device.bytes()[11 * 1024], 0xA0 + 11);
    EXPECT_EQ(device.bytes()[20 * 1024 + 1023], 0xA0 + 20);
    EXPECT_EQ(cache->dirty_count(), 0u);
    ASSERT_TRUE(cache->flush());
    EXPECT_EQ(device.writes, 2u);
}

TEST_F(Ext2BlockCacheFixture, EvictionTakesCleanBuffersBeforeDirtyOnes)
{
    BlockCache* cache = make(16);
    {
        auto ref = cache->get(BlockNumber{1}, BlockCache::Fill::Read);
        ref.value().data()[0] = 0xEE;
        ref.value().mark_dirty();
    }
    for (uint32_t block = 100; block < 140; ++block)
        ASSERT_TRUE(cache->get(BlockNumber{block}, BlockCache::Fill::Read));
    EXPECT_EQ(device.writes, 0u);
    uint64_t misses = cache->statistics().misses;
    auto back = cache->get(BlockNumber{1}, BlockCache::Fill::Read);
    EXPECT_EQ(back.value().data()[0], 0xEE);
    EXPECT_EQ(cache->statistics().misses, misses);
}

TEST_F(Ext2BlockCacheFixture, AllDirtyIsWrittenBackInOneFlushToMakeRoom)
{
    BlockCache* cache = make(16);
    for (uint32_t block = 0; block < 16; ++block) {
        auto ref = cache->get(BlockNumber{block}, BlockCache::Fill::Zero);
        ref.value().data()[0] = 0xD0;
        ref.value().mark_dirty();
    }
    auto ref = cache->get(BlockNumber{99}, BlockCache::Fill::Read);
    ASSERT_TRUE(ref);
    EXPECT_EQ(ref.value().data()[0], 99);
    EXPECT_EQ(device.writes, 1u);
    for (uint32_t block = 0; block < 16; ++block)
        EXPECT_EQ(device.bytes()[block * 1024], 0xD0);
}

TEST_F(Ext2BlockCacheFixture, HeldBuffersAreNeverEvicted)
{
    BlockCache* cache = make(16);
    std::vector<BlockRef> held;
    for (uint32_t block = 0; block < 16; ++block) {
        auto ref = cache->get(BlockNumber{block}, BlockCache::Fill::Read);
        ASSERT_TRUE(ref);
        held.push_back(std::move(ref.value()));
    }
    EXPECT_EQ(cache->get(BlockNumber{99}, BlockCache::Fill::Read).error(), Errno::NoMem);
    held.pop_back();
    auto ref = cache->get(BlockNumber{99}, BlockCache::Fill::Read);
    ASSERT_TRUE(ref);
    EXPECT_EQ(ref.value().data()[0], 99);
    for (uint32_t block = 0; block < 15; ++block)
        EXPECT_EQ(held[block].data()[0], block);
}

TEST_F(Ext2BlockCacheFixture, ReadThroughUsesOneRequestPerUncachedRunAndSeesDirtyBlocks)
{
    BlockCache* cache = make(16);
    {
        auto ref = cache->get(BlockNumber{53}, BlockCache::Fill::Read);
        ref.value().data()[0] = 0x77;
        ref.value().mark_dirty();
    }
    uint64_t reads = device.reads;
    std::vector<uint8_t> out(8 * 1024);
    ASSERT_TRUE(cache->read_through(BlockNumber{50}, 8, out.data()));
    EXPECT_EQ(device.reads - reads, 2u); // 50-52 and 54-57
    EXPECT_EQ(out[0], 50);
    EXPECT_EQ(out[3 * 1024], 0x77);
    EXPECT_EQ(out[7 * 1024], 57);
}

TEST_F(Ext2BlockCacheFixture, ForgottenBlocksAreNotWrittenBack)
{
    BlockCache* cache = make(16);
    {
        auto ref = cache->get(BlockNumber{7}, BlockCache::Fill::Zero);
        ref.value().mark_dirty();
    }
    cache->forget(BlockNumber{7});
    ASSERT_TRUE(cache->flush());
    EXPECT_EQ(device.writes, 0u);
    EXPECT_EQ(device.bytes()[7 * 1024], 7);
}

TEST_F(Ext2BlockCacheFixture, DeviceErrorsComeBackAsIo)
{
    BlockCache* cache = make(16);
    device.fail_after = 0;
    EXPECT_EQ(cache->get(BlockNumber{3}, BlockCache::Fill::Read).error(), Errno::Io);
    device.fail_after = -1;
    auto ref = cache->get(BlockNumber{3}, BlockCache::Fill::Read);
    ASSERT_TRUE(ref);
    EXPECT_EQ(ref.value().data()[0], 3);
}

TEST_F(Ext2BlockCacheFixture, TooFewBuffersAreRefused)
{
    EXPECT_EQ(make(BlockCache::MinimumBuffers - 1), nullptr);
    EXPECT_NE(make(BlockCache::MinimumBuffers), nullptr);
}

} // namespace
} // namespace tessera::ext2::test
