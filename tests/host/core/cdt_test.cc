// The derivation tree: badge subtrees, finality, zombies for CNodes and TCBs (including a CNode
// that holds its own last capability), cleanup hooks, and preemptible revoke and delete.

#include <gtest/gtest.h>

#include "cdt/cap_relations.h"
#include "cdt/delete.h"
#include "core_world.h"

namespace tessera::core {
namespace {

using test::CoreWorld;

constexpr Word Ep = 10;

struct CdtFixture : ::testing::Test {
    CoreWorld world;
    void SetUp() override { ASSERT_TRUE(world.retype(seL4_EndpointObject, 0, Ep, 1)); }
    // A CNode op addressing slot `index` of the radix-`radix` CNode held in root slot `node`.
    Word nested(Word node, Word index, unsigned radix) { return (node << radix) | index; }
    bool untyped_has_children()
    {
        Slot& u = world.slot(CoreWorld::RootUntypedSlot);
        return u.mdb.next() != nullptr && is_mdb_parent_of(u, *u.mdb.next());
    }
};

TEST_F(CdtFixture, BadgedRevokeStopsAtNextFirstBadgedCopy)
{
    ASSERT_TRUE(world.mint(20, Ep, CapRights::all(), 5));
    ASSERT_TRUE(world.copy(21, 20));
    ASSERT_TRUE(world.mint(22, Ep, CapRights::all(), 5)); // a second, independent badge-5 subtree
    EXPECT_FALSE(world.slot(21).mdb.is_revocable());
    EXPECT_FALSE(is_mdb_parent_of(world.slot(22), world.slot(20)));
    ASSERT_TRUE(world.revoke(22));
    EXPECT_FALSE(world.slot(20).is_empty());
    EXPECT_FALSE(world.slot(21).is_empty());
    ASSERT_TRUE(world.revoke(20));
    EXPECT_TRUE(world.slot(21).is_empty());
    EXPECT_FALSE(world.slot(22).is_empty());
}

TEST_F(CdtFixture, DeletingFirstBadgedCopyPassesTheMarkOn)
{
    ASSERT_TRUE(world.mint(20, Ep, CapRights::all(), 5));
    ASSERT_TRUE(world.copy(21, 20));
    ASSERT_TRUE(world.remove(20));
    EXPECT_TRUE(world.slot(21).mdb.is_first_badged());
    ASSERT_TRUE(world.mint(22, Ep, CapRights::all(), 5));
    ASSERT_TRUE(world.revoke(22));
    EXPECT_FALSE(world.slot(21).is_empty());
}

TEST_F(CdtFixture, FinalityCountsOtherCopiesOfTheSameObject)
{
    ASSERT_TRUE(world.copy(20, Ep));
    EXPECT_FALSE(is_final_capability(world.slot(Ep)));
    EXPECT_FALSE(is_final_capability(world.slot(20)));
    ASSERT_TRUE(world.remove(20));
    EXPECT_TRUE(is_final_capability(world.slot(Ep)));
    EXPECT_TRUE(world.hooks.finalised.empty());
    ASSERT_TRUE(world.remove(Ep));
    ASSERT_EQ(world.hooks.finalised.size(), 1u);
    EXPECT_EQ(world.hooks.finalised[0].second, Finality::Final);
}

TEST_F(CdtFixture, MappedFrameIsUnmappedEvenWhenNotFinal)
{
    ASSERT_TRUE(world.retype(seL4_X86_4K, 0, 20, 1));
    ASSERT_TRUE(world.copy(21, 20));
    world.slot(21).cap = FrameCap{world.slot(21).cap}.with_mapping(Asid{1}, VAddr{0x1000}).cap();
    ASSERT_TRUE(world.remove(21));
    EXPECT_EQ(world.hooks.count(CapType::Frame, Finality::NotFinal), 1u);
    ASSERT_TRUE(world.remove(20)); // unmapped and final: nothing to do for a frame
    EXPECT_EQ(world.hooks.finalised.size(), 1u);
}

TEST_F(CdtFixture, ChildUntypedMarksSameBlockParentFull)
{
    ASSERT_TRUE(world.retype(seL4_UntypedObject, 12, 20, 1));
    ASSERT_TRUE(world.copy(21, 20));
    EXPECT_EQ(UntypedCap{world.slot(20).cap}.free_index(),
              UntypedCap::max_free_index(SizeBits{12}));
    auto r = world.retype(seL4_EndpointObject, 0, 30, 1, 20);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), seL4_NotEnoughMemory);
    EXPECT_EQ(r.error().memory_left(), 0u);
    ASSERT_TRUE(world.retype(seL4_EndpointObject, 0, 30, 1, 21));
}

TEST_F(CdtFixture, DeletingLastCNodeCapDeletesItsContents)
{
    ASSERT_TRUE(world.retype(seL4_CapTableObject, 2, 20, 1));
    for (Word i = 0; i < 4; ++i)
        ASSERT_TRUE(
            world.cnode(CNodeMethod::Copy, {nested(20, i, 2), 10, Ep, 8, 15}, {world.root_slot()}));
    ASSERT_TRUE(world.remove(Ep));
    EXPECT_TRUE(world.hooks.finalised.empty());
    CNodeCap child{world.slot(20).cap};
    ASSERT_TRUE(world.remove(20));
    EXPECT_TRUE(world.slot(20).is_empty());
    for (Word i = 0; i < 4; ++i)
        EXPECT_TRUE(world.at<Slot>(child.slot_address(i))->is_empty());
    EXPECT_EQ(world.hooks.count(CapType::Endpoint, Finality::Final), 1u);
}

TEST_F(CdtFixture, CNodeHoldingItsOwnLastCapIsCleanedUpByRevoke)
{
    ASSERT_TRUE(world.retype(seL4_CapTableObject, 2, 20, 1));
    CNodeCap child{world.slot(20).cap};
    ASSERT_TRUE(
        world.cnode(CNodeMethod::Copy, {nested(20, 1, 2), 10, Ep, 8, 15}, {world.root_slot()}));
    // Move the CNode's only capability into the CNode itself: now nothing outside reaches it.
    ASSERT_TRUE(world.cnode(CNodeMethod::Move, {nested(20, 3, 2), 10, 20, 8}, {world.root_slot()}));
    EXPECT_TRUE(world.slot(20).is_empty());
    ASSERT_TRUE(world.remove(Ep));
    ASSERT_TRUE(world.revoke(CoreWorld::RootUntypedSlot));
    EXPECT_FALSE(untyped_has_children());
    for (Word i = 0; i < 4; ++i)
        EXPECT_TRUE(world.at<Slot>(child.slot_address(i))->is_empty()) << "slot " << i;
    EXPECT_EQ(world.hooks.count(CapType::Endpoint, Finality::Final), 1u);
}

TEST_F(CdtFixture, DeletingLastTcbCapFinalisesThenClearsItsSlots)
{
    ASSERT_TRUE(world.retype(seL4_TCBObject, 0, 20, 1));
    TcbCap tcb{world.slot(20).cap};
    Slot* tcb_slots = world.at<Slot>(tcb.object());
    insert_derived(world.slot(Ep).cap, world.slot(Ep), tcb_slots[0]);
    insert_derived(world.slot(Ep).cap, world.slot(Ep), tcb_slots[TcbSlotCount - 1]);
    ASSERT_TRUE(world.remove(Ep));
    ASSERT_TRUE(world.remove(20));
    EXPECT_EQ(world.hooks.count(CapType::Tcb, Finality::Final), 1u);
    EXPECT_EQ(world.hooks.count(CapType::Endpoint, Finality::Final), 1u);
    EXPECT_TRUE(tcb_slots[0].is_empty());
    EXPECT_TRUE(tcb_slots[TcbSlotCount - 1].is_empty());
    EXPECT_TRUE(world.slot(20).is_empty());
}

TEST_F(CdtFixture, IrqHandlerDeletionLeavesCleanupWork)
{
    insert_root_cap(world.slot(40), IrqControlCap::make().cap());
    insert_derived(IrqHandlerCap::make(IrqNumber{4}).cap(), world.slot(40), world.slot(41));
    EXPECT_TRUE(world.slot(41).mdb.is_revocable());
    ASSERT_TRUE(world.copy(42, 41));
    ASSERT_TRUE(world.remove(42));
    EXPECT_TRUE(world.hooks.cleanups.empty());
    // Revoking IRQ control removes handlers made from it; the last one leaves cleanup work.
    ASSERT_TRUE(world.revoke(40));
    EXPECT_TRUE(world.slot(41).is_empty());
    ASSERT_EQ(world.hooks.cleanups.size(), 1u);
    EXPECT_EQ(IrqHandlerCap{world.hooks.cleanups[0]}.irq(), IrqNumber{4});
}

TEST_F(CdtFixture, IoPortsComeFromControlAndAreReleased)
{
    insert_root_cap(world.slot(40), IoPortControlCap::make().cap());
    insert_derived(IoPortCap::make(IoPort{0x60}, IoPort{0x64}).cap(), world.slot(40),
                   world.slot(41));
    EXPECT_TRUE(is_mdb_parent_of(world.slot(40), world.slot(41)));
    auto copy = world.copy(42, 40);
    ASSERT_FALSE(copy); // I/O port control cannot be copied
    ASSERT_TRUE(world.remove(41));
    ASSERT_EQ(world.hooks.cleanups.size(), 1u);
    EXPECT_EQ(world.hooks.cleanups[0].type(), CapType::IoPort);
}

TEST_F(CdtFixture, RevokeIsPreemptibleAndRestartable)
{
    for (Word i = 0; i < 20; ++i)
        ASSERT_TRUE(world.copy(100 + i, Ep));
    world.preemption.budget = 0;
    int rounds = 0;
    for (;;) {
        auto r = world.revoke(Ep);
        ASSERT_TRUE(r);
        ++rounds;
        if (r.value() == Progress::Done)
            break;
        world.preemption.budget = 2; // three deletions per round from now on
        ASSERT_LT(rounds, 100);
    }
    EXPECT_GT(rounds, 5);
    for (Word i = 0; i < 20; ++i)
        EXPECT_TRUE(world.slot(100 + i).is_empty());
    EXPECT_FALSE(world.slot(Ep).is_empty());
}

TEST_F(CdtFixture, DeletingBigCNodeIsPreemptibleAndRestartable)
{
    ASSERT_TRUE(world.retype(seL4_CapTableObject, 6, 20, 1));
    CNodeCap child{world.slot(20).cap};
    for (Word i = 0; i < 64; i += 3)
        ASSERT_TRUE(
            world.cnode(CNodeMethod::Copy, {nested(20, i, 6), 14, Ep, 8, 15}, {world.root_slot()}));
    world.preemption.budget = 4;
    auto first = world.remove(20);
    ASSERT_TRUE(first);
    EXPECT_EQ(first.value(), Progress::Preempted);
    // The slot now holds a zombie recording how far deletion got.
    EXPECT_EQ(world.slot(20).cap.type(), CapType::Zombie);
    world.preemption.budget = -1;
    auto second = world.remove(20);
    ASSERT_TRUE(second);
    EXPECT_EQ(second.value(), Progress::Done);
    EXPECT_TRUE(world.slot(20).is_empty());
    for (Word i = 0; i < 64; ++i)
        EXPECT_TRUE(world.at<Slot>(child.slot_address(i))->is_empty());
}

TEST_F(CdtFixture, DeleteOneRemovesImmediateCaps)
{
    ASSERT_TRUE(world.copy(20, Ep));
    delete_one(world.ctx, world.slot(20));
    EXPECT_TRUE(world.slot(20).is_empty());
    EXPECT_EQ(world.slot(Ep).mdb.next(), nullptr);
    delete_one(world.ctx, world.slot(Ep));
    EXPECT_EQ(world.hooks.count(CapType::Endpoint, Finality::Final), 1u);
}

} // namespace
} // namespace tessera::core

namespace tessera::core {
namespace {

TEST(CoreContext, TwoKernelsInOneProcessDoNotShareState)
{
    test::CoreWorld a, b;
    ASSERT_TRUE(a.retype(seL4_EndpointObject, 0, 10, 1));
    ASSERT_TRUE(b.retype(seL4_NotificationObject, 0, 10, 2));
    EXPECT_EQ(a.slot(10).cap.type(), CapType::Endpoint);
    EXPECT_EQ(b.slot(10).cap.type(), CapType::Notification);
    EXPECT_TRUE(a.slot(11).is_empty());
    ASSERT_TRUE(a.revoke(test::CoreWorld::RootUntypedSlot));
    EXPECT_TRUE(a.slot(10).is_empty());
    EXPECT_FALSE(b.slot(10).is_empty());
    EXPECT_EQ(a.hooks.finalised.size(), 1u);
    EXPECT_TRUE(b.hooks.finalised.empty());
}

} // namespace
} // namespace tessera::core
