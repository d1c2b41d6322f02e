// CSpace addressing: guarded radix walks and every lookup failure seL4 reports.

#include <gtest/gtest.h>

#include "cnode/lookup.h"
#include "core_world.h"

namespace tessera::core {
namespace {

using test::CoreWorld;

// A second-level CNode (radix 4) retyped from the root untyped into root slot 10.
struct LookupFixture : ::testing::Test {
    CoreWorld world;
    CNodeCap child() { return CNodeCap{world.slot(10).cap}; }
    void SetUp() override { ASSERT_TRUE(world.retype(seL4_CapTableObject, 4, 10, 1)); }
};

TEST_F(LookupFixture, ResolvesOneLevel)
{
    auto r = resolve_address_bits(world.ctx, world.root().cap(), CPtr{7}, Depth{8});
    ASSERT_TRUE(r);
    EXPECT_EQ(r.value().slot, &world.slot(7));
    EXPECT_EQ(r.value().bits_remaining, 0u);
}

TEST_F(LookupFixture, WalksIntoNestedCNode)
{
    auto r = resolve_address_bits(world.ctx, world.root().cap(), CPtr{(10 << 4) | 3}, Depth{12});
    ASSERT_TRUE(r);
    EXPECT_EQ(r.value().slot, world.at<Slot>(child().slot_address(3)));
}

TEST_F(LookupFixture, StopsAtNonCNodeWithBitsRemaining)
{
    auto r = resolve_address_bits(world.ctx, world.root().cap(), CPtr{(3 << 4) | 3}, Depth{12});
    ASSERT_TRUE(r);
    EXPECT_EQ(r.value().slot, &world.slot(3));
    EXPECT_EQ(r.value().bits_remaining, 4u);
}

TEST_F(LookupFixture, InvalidRootWhenRootIsNotACNode)
{
    auto r = resolve_address_bits(world.ctx, world.slot(3).cap, CPtr{0}, Depth{8});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), LookupFailure::invalid_root());
}

TEST_F(LookupFixture, DepthMismatchWhenLevelNeedsMoreBits)
{
    auto r = resolve_address_bits(world.ctx, world.root().cap(), CPtr{7}, Depth{5});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), LookupFailure::depth_mismatch(5, 8));
    // Second level: 10 bits left after the root's 8 leave 2, the child needs 4.
    auto deep = resolve_address_bits(world.ctx, world.root().cap(), CPtr{(10 << 2) | 1}, Depth{10});
    ASSERT_FALSE(deep);
    EXPECT_EQ(deep.error(), LookupFailure::depth_mismatch(2, 4));
}

TEST_F(LookupFixture, GuardMismatchReportsGuardAndBits)
{
    CNodeCap guarded = world.root().with_guard(0x5, 3);
    ASSERT_TRUE(resolve_address_bits(world.ctx, guarded.cap(), CPtr{(0x5 << 8) | 7}, Depth{11}));
    auto wrong = resolve_address_bits(world.ctx, guarded.cap(), CPtr{(0x4 << 8) | 7}, Depth{11});
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error(), LookupFailure::guard_mismatch(11, 0x5, 3));
    // A guard longer than the remaining bits is a guard mismatch too, not a depth mismatch.
    auto short_depth = resolve_address_bits(world.ctx, guarded.cap(), CPtr{0}, Depth{2});
    ASSERT_FALSE(short_depth);
    EXPECT_EQ(short_depth.error(), LookupFailure::guard_mismatch(2, 0x5, 3));
}

TEST_F(LookupFixture, GuardOnSecondLevel)
{
    ASSERT_TRUE(world.mutate(11, 10, (Word{1} << 6) | 2)); // child guard: 2 bits, value 1
    Word good = (Word{11} << 6) | (Word{1} << 4) | 3;
    auto r = resolve_address_bits(world.ctx, world.root().cap(), CPtr{good}, Depth{14});
    ASSERT_TRUE(r);
    EXPECT_EQ(r.value().slot, world.at<Slot>(CNodeCap{world.slot(11).cap}.slot_address(3)));
    Word bad = (Word{11} << 6) | (Word{2} << 4) | 3;
    auto wrong = resolve_address_bits(world.ctx, world.root().cap(), CPtr{bad}, Depth{14});
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error(), LookupFailure::guard_mismatch(6, 1, 2));
}

TEST_F(LookupFixture, FullWordLookupWithGuardedRoot)
{
    // seL4 root tasks use guard = 64 - radix so that a plain slot number is a valid CPtr.
    CNodeCap root = world.root().with_guard(0, 64 - CoreWorld::RootRadix);
    auto slot = lookup_slot(world.ctx, root.cap(), CPtr{3});
    ASSERT_TRUE(slot);
    EXPECT_EQ(slot.value(), &world.slot(3));
    auto cap = lookup_cap(world.ctx, root.cap(), CPtr{3});
    ASSERT_TRUE(cap);
    EXPECT_EQ(cap.value().type(), CapType::Untyped);
    auto bad = lookup_slot(world.ctx, root.cap(), CPtr{1ull << 63});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().type(), seL4_GuardMismatch);
}

TEST_F(LookupFixture, CNodeOpRejectsDepthOutOfRange)
{
    for (Word depth : {Word{0}, Word{65}, ~Word{0}}) {
        auto r = lookup_target_slot(world.ctx, world.root().cap(), CPtr{1}, Depth{depth});
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code(), seL4_RangeError);
        EXPECT_EQ(r.error().range_min(), 1u);
        EXPECT_EQ(r.error().range_max(), 64u);
    }
}

TEST_F(LookupFixture, CNodeOpNeedsExactDepth)
{
    auto r = lookup_source_slot(world.ctx, world.root().cap(), CPtr{(3 << 4) | 1}, Depth{12});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), seL4_FailedLookup);
    EXPECT_EQ(r.error().failed_lookup_side(), LookupSide::Source);
    EXPECT_EQ(r.error().lookup_failure(), LookupFailure::depth_mismatch(4, 0));
}

TEST_F(LookupFixture, CNodeOpInvalidRootIsTaggedWithSide)
{
    auto r = lookup_target_slot(world.ctx, world.slot(3).cap, CPtr{1}, Depth{8});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().failed_lookup_side(), LookupSide::Destination);
    EXPECT_EQ(r.error().lookup_failure(), LookupFailure::invalid_root());
    auto p = lookup_pivot_slot(world.ctx, world.slot(3).cap, CPtr{1}, Depth{8});
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().failed_lookup_side(), LookupSide::Source);
}

TEST_F(LookupFixture, FullSixtyFourBitDepthWithTwoLevels)
{
    // Root guard 52 bits + radix 8, then the child (radix 4): 64 bits in total.
    CNodeCap root = world.root().with_guard(0, 52);
    auto r = lookup_target_slot(world.ctx, root.cap(), CPtr{(Word{10} << 4) | 9}, Depth{64});
    ASSERT_TRUE(r);
    EXPECT_EQ(r.value(), world.at<Slot>(child().slot_address(9)));
    auto ok = resolve_address_bits(world.ctx, world.root().with_guard(0, 48).cap(),
                                   CPtr{(Word{10} << 4) | 9}, Depth{60});
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok.value().slot, world.at<Slot>(child().slot_address(9)));
}

} // namespace
} // namespace tessera::core

namespace tessera::core {
namespace {

// The fastpath's lookup finds exactly the slots the full walk finds with no bits left, and
// nothing where the full walk fails or stops early (those go to the slow path).
TEST(LookupSlotFast, AgreesWithTheFullWalk)
{
    test::CoreWorld world;
    ASSERT_TRUE(world.retype(seL4_CapTableObject, 4, 10, 1)); // a radix-4 CNode in slot 10
    // Guarded so that one level resolves all 64 bits, or 60 and the nested CNode the last 4.
    const Cap one_level = CNodeCap::make(world.root().object(), 8, 56, 0).cap();
    const Cap two_levels = CNodeCap::make(world.root().object(), 8, 52, 0).cap();
    uint64_t state = 0x9e3779b97f4a7c15ull;
    auto next = [&] { return state = state * 6364136223846793005ull + 1442695040888963407ull; };
    unsigned found = 0;
    for (int i = 0; i < 20000; ++i) {
        const Cap root = i % 2 ? one_level : two_levels;
        Word cptr = next() >> (i % 2 ? 56 : 52); // mostly well-formed: the guard is zero
        if (i % 8 == 0)
            cptr = next();              // mostly a guard mismatch
        else if (i % 8 == 2)
            cptr = (next() >> 56) << 4; // through slot 10 when the byte is 10
        const auto full = resolve_address_bits(world.ctx, root, CPtr{cptr}, Depth{WordBits});
        Slot* expected = full && full.value().bits_remaining == 0 ? full.value().slot : nullptr;
        ASSERT_EQ(lookup_slot_fast(world.ctx, root, CPtr{cptr}), expected) << std::hex << cptr;
        found += expected != nullptr;
    }
    EXPECT_GT(found, 5000u);
}

} // namespace
} // namespace tessera::core
