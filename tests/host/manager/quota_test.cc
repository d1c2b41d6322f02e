// The manager's accounting of what each child costs: placement as seL4's watermark places
// objects, quotas that refuse without side effects, and stops that give everything back.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "quota/child_ledger.h"

namespace tessera::manager {
namespace {

using libos::SizeBits;

constexpr SizeBits ChunkBits{16}; // 64 KiB
constexpr uint64_t Chunk = 1u << 16;

TEST(ChildLedger, PlacesObjectsAlignedInOrderLikeTheUntypedWatermark)
{
    auto pool = std::make_unique<ChunkPool>(8, ChunkBits);
    ChildLedger child(*pool, 4 * Chunk, 100);
    auto tcb = child.place(SizeBits{11});
    ASSERT_TRUE(tcb);
    EXPECT_EQ(tcb.value().offset, 0u);
    auto endpoint = child.place(SizeBits{4});
    ASSERT_TRUE(endpoint);
    EXPECT_EQ(endpoint.value().offset, 2048u);
    auto page = child.place(SizeBits{12});
    ASSERT_TRUE(page);
    EXPECT_EQ(page.value().offset, 4096u); // aligned up past the endpoint
    EXPECT_EQ(raw(page.value().chunk), raw(tcb.value().chunk));
    EXPECT_EQ(child.ram_used(), Chunk);
}

TEST(ChildLedger, TakesAndChargesANewChunkWhenTheLastIsFull)
{
    auto pool = std::make_unique<ChunkPool>(8, ChunkBits);
    ChildLedger child(*pool, 2 * Chunk, 100);
    for (int i = 0; i < 16; ++i)
        ASSERT_TRUE(child.place(SizeBits{12}));
    EXPECT_EQ(child.chunk_count(), 1u);
    auto next = child.place(SizeBits{12});
    ASSERT_TRUE(next);
    EXPECT_EQ(next.value().offset, 0u);
    EXPECT_EQ(child.chunk_count(), 2u);
    EXPECT_EQ(child.ram_used(), 2 * Chunk);
    EXPECT_EQ(pool->free_count(), 6u);
}

TEST(ChildLedger, RefusesBeyondItsRamQuotaAndChangesNothing)
{
    auto pool = std::make_unique<ChunkPool>(8, ChunkBits);
    ChildLedger child(*pool, Chunk, 100);
    ASSERT_TRUE(child.place(SizeBits{16}));
    auto refused = child.place(SizeBits{12});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.code(), seL4_NotEnoughMemory);
    EXPECT_EQ(child.ram_used(), Chunk);
    EXPECT_EQ(pool->free_count(), 7u);
}

TEST(ChildLedger, RefusesObjectsLargerThanAChunk)
{
    auto pool = std::make_unique<ChunkPool>(8, ChunkBits);
    ChildLedger child(*pool, 8 * Chunk, 100);
    auto refused = child.place(SizeBits{17});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.code(), seL4_RangeError);
    EXPECT_EQ(pool->free_count(), 8u);
}

TEST(ChildLedger, RefusesSlotsBeyondItsCapsQuota)
{
    auto pool = std::make_unique<ChunkPool>(8, ChunkBits);
    ChildLedger child(*pool, Chunk, 20);
    ASSERT_TRUE(child.charge_slots(15));
    auto refused = child.charge_slots(6);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().detail, 5u);
    EXPECT_EQ(child.slots_used(), 15u);
    child.release_slots(15);
    EXPECT_TRUE(child.charge_slots(20));
}

TEST(ChildLedger, AChildOverItsQuotaLeavesTheOthersUntouched)
{
    auto pool = std::make_unique<ChunkPool>(4, ChunkBits);
    ChildLedger greedy(*pool, 3 * Chunk, 100);
    ChildLedger modest(*pool, Chunk, 100);
    ASSERT_TRUE(modest.place(SizeBits{12}));
    while (greedy.place(SizeBits{16})) {
    }
    EXPECT_EQ(greedy.ram_used(), 3 * Chunk);
    EXPECT_EQ(pool->free_count(), 0u);
    auto still = modest.place(SizeBits{12}); // inside its own chunk
    ASSERT_TRUE(still);
    EXPECT_EQ(still.value().offset, 4096u);
}

TEST(ChildLedger, AThousandStartStopCyclesReturnThePoolExactly)
{
    auto pool = std::make_unique<ChunkPool>(64, ChunkBits);
    auto other = std::make_unique<ChildLedger>(*pool, 4 * Chunk, 50);
    ASSERT_TRUE(other->place(SizeBits{14}));
    const size_t free_before = pool->free_count();
    std::vector<bool> taken_before;
    for (uint32_t i = 0; i < pool->count(); ++i)
        taken_before.push_back(pool->is_taken(ChunkIndex{i}));
    for (int cycle = 0; cycle < 1000; ++cycle) {
        ChildLedger child(*pool, 16 * Chunk, 64);
        // What starting a child spends: TCB, SC, CNode, VSpace root, tables, stack and image pages.
        for (unsigned bits : {11u, 8u, 14u, 12u, 12u, 12u, 12u})
            ASSERT_TRUE(child.place(SizeBits{bits}));
        for (int page = 0; page < cycle % 40; ++page)
            ASSERT_TRUE(child.place(SizeBits{12}));
        ASSERT_TRUE(child.charge_slots(16 + cycle % 30));
        child.release_all();
        ASSERT_EQ(child.ram_used(), 0u);
        ASSERT_EQ(child.slots_used(), 0u);
        ASSERT_EQ(pool->free_count(), free_before) << "cycle " << cycle;
    }
    for (uint32_t i = 0; i < pool->count(); ++i)
        EXPECT_EQ(pool->is_taken(ChunkIndex{i}), taken_before[i]) << "chunk " << i;
    EXPECT_EQ(other->ram_used(), Chunk);
}

TEST(ChunkPool, ReportsExhaustion)
{
    auto pool = std::make_unique<ChunkPool>(2, ChunkBits);
    ASSERT_TRUE(pool->take());
    ASSERT_TRUE(pool->take());
    auto none = pool->take();
    ASSERT_FALSE(none);
    EXPECT_EQ(none.code(), seL4_NotEnoughMemory);
}

} // namespace
} // namespace tessera::manager
