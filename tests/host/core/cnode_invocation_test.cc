// CNode invocations through the decode layer: every method's effect and every error case, with
// seL4's check order (the first failing check decides the error).

#include <gtest/gtest.h>

#include <tessera/abi/cnode_cap_data.h>

#include "cdt/cap_relations.h"
#include "core_world.h"

namespace tessera::core {
namespace {

using test::CoreWorld;

constexpr Word Ep = 10; // an endpoint retyped in SetUp

struct CNodeFixture : ::testing::Test {
    CoreWorld world;
    void SetUp() override { ASSERT_TRUE(world.retype(seL4_EndpointObject, 0, Ep, 1)); }
    EndpointCap ep(Word slot) { return EndpointCap{world.slot(slot).cap}; }
    // Runs `call`, expects `code`, and checks that nothing in memory changed.
    template <class F> SyscallError rejected(F call, seL4_Error code)
    {
        auto before = world.snapshot();
        Result<Progress> r = call();
        EXPECT_FALSE(r);
        EXPECT_EQ(world.snapshot(), before) << "a rejected call changed memory";
        if (r)
            return SyscallError::illegal_operation();
        EXPECT_EQ(r.error().code(), code);
        EXPECT_STRNE(r.error().reason(), "")
            << "every rejection names its reason for the debug log";
        return r.error();
    }
};

TEST_F(CNodeFixture, CopyMasksRightsAndLinksAfterSource)
{
    ASSERT_TRUE(world.copy(20, Ep, CapRights::from_word(0b10)));
    EXPECT_EQ(ep(20).object(), ep(Ep).object());
    EXPECT_FALSE(ep(20).can_send());
    EXPECT_TRUE(ep(20).can_receive());
    EXPECT_EQ(world.slot(Ep).mdb.next(), &world.slot(20));
    EXPECT_EQ(world.slot(20).mdb.prev(), &world.slot(Ep));
    EXPECT_FALSE(world.slot(20).mdb.is_revocable()); // an unbadged copy is not a parent
}

TEST(CNodeCopy, RejectsOccupiedDestinationWithDeleteFirst)
{
    CoreWorld world;
    ASSERT_TRUE(world.retype(seL4_EndpointObject, 0, 10, 2));
    auto before = world.snapshot();
    auto r = world.copy(11, 10);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), seL4_DeleteFirst);
    EXPECT_EQ(world.snapshot(), before);
}

TEST_F(CNodeFixture, CopyFromEmptySlotIsMissingCapabilityOnSource)
{
    auto e = rejected([&] { return world.copy(20, 30); }, seL4_FailedLookup);
    EXPECT_EQ(e.failed_lookup_side(), LookupSide::Source);
    EXPECT_EQ(e.lookup_failure(), LookupFailure::missing_capability(CoreWorld::RootRadix));
}

TEST_F(CNodeFixture, CopyNeedsRightsWordAndSourceRoot)
{
    rejected(
        [&] {
            return world.cnode(CNodeMethod::Copy, {20, 8, Ep, 8}, {world.root_slot()});
        },
        seL4_TruncatedMessage);
    rejected(
        [&] {
            return world.cnode(CNodeMethod::Copy, {20, 8, Ep, 8, 15}, {});
        },
        seL4_TruncatedMessage);
    rejected(
        [&] {
            return world.cnode(CNodeMethod::Copy, {20, 8, Ep}, {world.root_slot()});
        },
        seL4_TruncatedMessage);
    rejected([&] { return world.cnode(CNodeMethod::Copy, {20}, {world.root_slot()}); },
             seL4_TruncatedMessage);
}

TEST_F(CNodeFixture, DestinationLookupComesBeforeOtherChecks)
{
    // Depth 0 is a range error even though the message is also too short for Copy.
    auto e = rejected([&] { return world.cnode(CNodeMethod::Copy, {20, 0}, {}); }, seL4_RangeError);
    EXPECT_EQ(e.range_min(), 1u);
    EXPECT_EQ(e.range_max(), 64u);
    auto d = rejected(
        [&] {
            return world.cnode(CNodeMethod::Copy, {20, 6}, {});
        },
        seL4_FailedLookup);
    EXPECT_EQ(d.failed_lookup_side(), LookupSide::Destination);
    EXPECT_EQ(d.lookup_failure(), LookupFailure::depth_mismatch(6, 8));
}

TEST_F(CNodeFixture, SourceRootMustBeACNode)
{
    auto e = rejected(
        [&] {
            return world.cnode(CNodeMethod::Copy, {20, 8, Ep, 8, 15}, {&world.slot(Ep)});
        },
        seL4_FailedLookup);
    EXPECT_EQ(e.failed_lookup_side(), LookupSide::Source);
    EXPECT_EQ(e.lookup_failure(), LookupFailure::invalid_root());
}

TEST_F(CNodeFixture, CopyOfUntypedWithChildrenNeedsRevokeFirst)
{
    rejected([&] { return world.copy(20, CoreWorld::RootUntypedSlot); }, seL4_RevokeFirst);
}

TEST_F(CNodeFixture, CopyOfUncopyableCapIsIllegalOperation)
{
    insert_root_cap(world.slot(40), IrqControlCap::make().cap());
    rejected([&] { return world.copy(20, 40); }, seL4_IllegalOperation);
    insert_root_cap(world.slot(41), ReplyCap::make(PAddr{0x800}, ReplyMaster::No, true).cap());
    rejected([&] { return world.copy(20, 41); }, seL4_IllegalOperation);
}

TEST_F(CNodeFixture, CopyOfUnmappedPageTableIsIllegalAndFrameCopyIsUnmapped)
{
    ASSERT_TRUE(world.retype(seL4_X86_PageTableObject, 0, 30, 1));
    rejected([&] { return world.copy(20, 30); }, seL4_IllegalOperation);
    ASSERT_TRUE(world.retype(seL4_X86_4K, 0, 31, 1));
    world.slot(31).cap = FrameCap{world.slot(31).cap}.with_mapping(Asid{2}, VAddr{0x10000}).cap();
    ASSERT_TRUE(world.copy(20, 31, CapRights::from_word(0b10)));
    FrameCap copy{world.slot(20).cap};
    EXPECT_FALSE(copy.is_mapped());
    EXPECT_EQ(copy.rights(), VmRights::ReadOnly);
}

TEST_F(CNodeFixture, MintBadgesNotificationAndMasksRights)
{
    ASSERT_TRUE(world.retype(seL4_NotificationObject, 0, 30, 1));
    ASSERT_TRUE(world.mint(20, 30, CapRights::from_word(0b01), 0x40));
    NotificationCap n{world.slot(20).cap};
    EXPECT_EQ(n.badge(), Badge{0x40});
    EXPECT_TRUE(n.can_send());
    EXPECT_FALSE(n.can_receive());
    EXPECT_TRUE(world.slot(20).mdb.is_revocable());
}

TEST_F(CNodeFixture, MovingAnUntypedKeepsItsChildren)
{
    ASSERT_TRUE(world.move(20, CoreWorld::RootUntypedSlot));
    ASSERT_TRUE(world.revoke(20));
    EXPECT_TRUE(world.slot(Ep).is_empty());
    EXPECT_FALSE(world.slot(20).is_empty());
}

TEST_F(CNodeFixture, MintBadgesAndStartsRevocableSubtree)
{
    ASSERT_TRUE(world.mint(20, Ep, CapRights::all(), 0x77));
    EXPECT_EQ(ep(20).badge(), Badge{0x77});
    EXPECT_TRUE(world.slot(20).mdb.is_revocable());
    EXPECT_TRUE(world.slot(20).mdb.is_first_badged());
    EXPECT_TRUE(is_mdb_parent_of(world.slot(Ep), world.slot(20)));
    // Re-badging a badged cap is refused.
    rejected([&] { return world.mint(21, 20, CapRights::all(), 0x78); }, seL4_IllegalOperation);
    rejected(
        [&] {
            return world.cnode(CNodeMethod::Mint, {21, 8, Ep, 8, 15}, {world.root_slot()});
        },
        seL4_TruncatedMessage);
}

TEST_F(CNodeFixture, MintSetsCNodeGuard)
{
    ASSERT_TRUE(world.mint(20, CoreWorld::RootCNodeSlot, CapRights::all(), (Word{3} << 6) | 2));
    CNodeCap c{world.slot(20).cap};
    EXPECT_EQ(c.guard(), 3u);
    EXPECT_EQ(c.guard_size(), 2u);
    rejected([&] { return world.mint(21, CoreWorld::RootCNodeSlot, CapRights::all(), 57); },
             seL4_IllegalOperation);
}

TEST_F(CNodeFixture, MoveKeepsPositionInTree)
{
    ASSERT_TRUE(world.mint(20, Ep, CapRights::all(), 5));
    ASSERT_TRUE(world.copy(21, 20));
    ASSERT_TRUE(world.move(30, 20));
    EXPECT_TRUE(world.slot(20).is_empty());
    EXPECT_TRUE(world.slot(20).mdb.is_empty());
    EXPECT_EQ(ep(30).badge(), Badge{5});
    EXPECT_EQ(world.slot(30).mdb.next(), &world.slot(21));
    EXPECT_EQ(world.slot(21).mdb.prev(), &world.slot(30));
    EXPECT_TRUE(world.slot(30).mdb.is_revocable());
    // Revoking the moved cap still removes the copy made from it.
    ASSERT_TRUE(world.revoke(30));
    EXPECT_TRUE(world.slot(21).is_empty());
}

TEST_F(CNodeFixture, MoveOntoItselfIsDeleteFirst)
{
    rejected([&] { return world.move(Ep, Ep); }, seL4_DeleteFirst);
}

TEST_F(CNodeFixture, MutateSetsGuardButNeverBadge)
{
    ASSERT_TRUE(world.copy(20, CoreWorld::RootCNodeSlot));
    ASSERT_TRUE(world.mutate(21, 20, (Word{1} << 6) | 1));
    EXPECT_TRUE(world.slot(20).is_empty());
    EXPECT_EQ(CNodeCap{world.slot(21).cap}.guard_size(), 1u);
    rejected([&] { return world.mutate(22, Ep, 5); }, seL4_IllegalOperation);
    rejected(
        [&] {
            return world.cnode(CNodeMethod::Mutate, {22, 8, Ep, 8}, {world.root_slot()});
        },
        seL4_TruncatedMessage);
}

// Rotate keeps capability data (Preserve), so endpoints and notifications cannot take part in
// seL4 (their update yields a null cap); frames can.
struct RotateFixture : CNodeFixture {
    void SetUp() override
    {
        CNodeFixture::SetUp();
        ASSERT_TRUE(world.retype(seL4_X86_4K, 0, 20, 2));
    }
};

TEST_F(RotateFixture, MovesPivotToDestAndSourceToPivot)
{
    Cap src = world.slot(20).cap;
    Cap pivot = world.slot(21).cap;
    ASSERT_TRUE(world.rotate(22, 21, 20));
    EXPECT_EQ(world.slot(22).cap, pivot);
    EXPECT_EQ(world.slot(21).cap, src);
    EXPECT_TRUE(world.slot(20).is_empty());
}

TEST_F(RotateFixture, WithSourceAsDestinationSwaps)
{
    Cap src = world.slot(20).cap;
    Cap pivot = world.slot(21).cap;
    ASSERT_TRUE(world.rotate(20, 21, 20));
    EXPECT_EQ(world.slot(20).cap, pivot);
    EXPECT_EQ(world.slot(21).cap, src);
    // Tree links follow the caps: the untyped still parents both.
    ASSERT_TRUE(world.revoke(CoreWorld::RootUntypedSlot));
    EXPECT_TRUE(world.slot(20).is_empty());
    EXPECT_TRUE(world.slot(21).is_empty());
}

// Word 2 (dest_badge) is the data of the cap that moves from the pivot to the destination and
// word 5 (pivot_badge) the data of the cap that moves from the source to the pivot, as the
// generated layout of seL4_CNode_Rotate names them.
TEST_F(RotateFixture, DestBadgeGoesWithThePivotCapAndPivotBadgeWithTheSourceCap)
{
    constexpr Word Radix = 4;
    ASSERT_TRUE(world.retype(seL4_CapTableObject, Radix, 30, 2));
    auto cnode_data = [](Word guard, Word guard_size) {
        return guard << TESSERA_CNODE_GUARD_SHIFT | guard_size << TESSERA_CNODE_GUARD_SIZE_SHIFT;
    };
    ASSERT_TRUE(world.rotate(32, 31, 30, cnode_data(5, 3), cnode_data(2, 4)));
    const CNodeCap at_dest{world.slot(32).cap};
    const CNodeCap at_pivot{world.slot(31).cap};
    EXPECT_EQ(at_dest.guard_size(), 3u);
    EXPECT_EQ(at_dest.guard(), 5u);
    EXPECT_EQ(at_pivot.guard_size(), 4u);
    EXPECT_EQ(at_pivot.guard(), 2u);
    EXPECT_TRUE(world.slot(30).is_empty());
}

TEST_F(RotateFixture, Errors)
{
    rejected([&] { return world.rotate(22, 20, 20); }, seL4_IllegalOperation); // pivot == src
    rejected([&] { return world.rotate(21, 21, 20); }, seL4_IllegalOperation); // pivot == dest
    rejected([&] { return world.rotate(21, 3, 20); }, seL4_DeleteFirst);       // dest occupied
    auto s = rejected([&] { return world.rotate(22, 21, 40); }, seL4_FailedLookup);
    EXPECT_EQ(s.failed_lookup_side(), LookupSide::Source);
    auto p = rejected([&] { return world.rotate(22, 41, 20); }, seL4_FailedLookup);
    EXPECT_EQ(p.failed_lookup_side(), LookupSide::Destination);
    EXPECT_EQ(p.lookup_failure(), LookupFailure::missing_capability(8));
    rejected([&] { return world.rotate(22, 21, Ep); }, seL4_IllegalOperation); // endpoint source
    rejected([&] { return world.rotate(22, Ep, 20); }, seL4_IllegalOperation); // endpoint pivot
    rejected(
        [&] {
            return world.cnode(CNodeMethod::Rotate, {22, 8, 0, 21, 8, 0, 20, 8},
                               {world.root_slot()});
        },
        seL4_TruncatedMessage);
}

TEST_F(CNodeFixture, DeleteEmptiesAndFinalisesLastCap)
{
    ASSERT_TRUE(world.copy(20, Ep));
    ASSERT_TRUE(world.remove(Ep));
    EXPECT_TRUE(world.slot(Ep).is_empty());
    EXPECT_EQ(world.hooks.count(CapType::Endpoint, Finality::Final), 0u);
    ASSERT_TRUE(world.remove(20));
    EXPECT_EQ(world.hooks.count(CapType::Endpoint, Finality::Final), 1u);
    // Deleting an empty slot succeeds and does nothing.
    auto r = world.remove(20);
    ASSERT_TRUE(r);
    EXPECT_EQ(r.value(), Progress::Done);
}

TEST_F(CNodeFixture, RevokeRemovesDescendantsOnly)
{
    ASSERT_TRUE(world.copy(20, Ep));
    ASSERT_TRUE(world.copy(21, 20));
    // A plain copy is not revocable: revoking it leaves its siblings alone.
    ASSERT_TRUE(world.revoke(20));
    EXPECT_FALSE(world.slot(21).is_empty());
    ASSERT_TRUE(world.mint(22, Ep, CapRights::all(), 1));
    // The original (revocable) cap parents every copy, badged or not.
    ASSERT_TRUE(world.revoke(Ep));
    EXPECT_FALSE(world.slot(Ep).is_empty());
    EXPECT_TRUE(world.slot(20).is_empty());
    EXPECT_TRUE(world.slot(21).is_empty());
    EXPECT_TRUE(world.slot(22).is_empty());
    EXPECT_EQ(world.hooks.count(CapType::Endpoint, Finality::Final), 0u);
}

TEST_F(CNodeFixture, CancelBadgedSendsNeedsFullRights)
{
    ASSERT_TRUE(world.cnode(CNodeMethod::CancelBadgedSends, {Ep, 8}));
    ASSERT_TRUE(world.copy(20, Ep, CapRights::from_word(0b0111)));
    rejected(
        [&] {
            return world.cnode(CNodeMethod::CancelBadgedSends, {20, 8});
        },
        seL4_IllegalOperation);
    rejected(
        [&] {
            return world.cnode(CNodeMethod::CancelBadgedSends, {3, 8});
        },
        seL4_IllegalOperation);
}

TEST_F(CNodeFixture, SaveCallerMovesReplyCapAndNeedsEmptySlot)
{
    insert_root_cap(world.slot(50), ReplyCap::make(PAddr{0x800}, ReplyMaster::No, true).cap());
    ASSERT_TRUE(world.cnode(CNodeMethod::SaveCaller, {20, 8}, {}, &world.slot(50)));
    EXPECT_EQ(world.slot(20).cap.type(), CapType::Reply);
    EXPECT_TRUE(world.slot(50).is_empty());
    rejected(
        [&] {
            return world.cnode(CNodeMethod::SaveCaller, {20, 8}, {}, &world.slot(50));
        },
        seL4_DeleteFirst);
    // No caller cap (or no TCBs yet): succeeds and saves nothing.
    ASSERT_TRUE(world.cnode(CNodeMethod::SaveCaller, {21, 8}, {}, nullptr));
    EXPECT_TRUE(world.slot(21).is_empty());
}

} // namespace
} // namespace tessera::core
