// The derivation-tree invariants: a healthy tree passes; broken links, an empty slot left
// linked, a loop, a child outside its untyped and bad free indices are each reported.

#include <gtest/gtest.h>

#include "core_world.h"
#include "invariant_test_support.h"

namespace tessera::core::test {
namespace {

struct CdtInvariantsFixture : ::testing::Test {
    CoreWorld w;
    CpuState cpu;
    Checker checker;

    std::string run() { return checker.run(w.ctx, w.root(), cpu).line(); }
    std::string at(Word index) { return hex(w.ctx.window.physical(&w.slot(index)).raw()); }
    UntypedCap untyped() { return UntypedCap{w.slot(CoreWorld::RootUntypedSlot).cap}; }
};

constexpr const char* Healthy = "all invariants hold";

TEST_F(CdtInvariantsFixture, FreshWorldHolds)
{
    EXPECT_EQ(run(), Healthy);
}

TEST_F(CdtInvariantsFixture, RichTreeHolds)
{
    ASSERT_TRUE(w.retype(seL4_EndpointObject, 0, 10, 2));
    ASSERT_TRUE(w.retype(seL4_NotificationObject, 0, 12, 1));
    ASSERT_TRUE(w.retype(seL4_CapTableObject, 4, 13, 1));
    ASSERT_TRUE(w.retype(seL4_TCBObject, 0, 14, 1));
    ASSERT_TRUE(w.retype(seL4_UntypedObject, 12, 15, 1));
    ASSERT_TRUE(w.copy(23, 15)); // the copy covers the whole block: retype goes through it
    ASSERT_TRUE(w.retype(seL4_EndpointObject, 0, 16, 2, 23));
    ASSERT_TRUE(w.retype(seL4_X86_4K, 0, 18, 1));
    ASSERT_TRUE(w.copy(20, 10));
    ASSERT_TRUE(w.mint(21, 10, CapRights::all(), 7));
    ASSERT_TRUE(w.copy(22, 21));
    ASSERT_TRUE(w.move(24, 11));
    EXPECT_EQ(run(), Healthy);
    ASSERT_TRUE(w.revoke(15));
    ASSERT_TRUE(w.remove(21));
    EXPECT_EQ(run(), Healthy);
}

TEST_F(CdtInvariantsFixture, ReportsNextSlotNotLinkingBack)
{
    ASSERT_TRUE(w.retype(seL4_EndpointObject, 0, 10, 1));
    w.slot(10).mdb.set_prev(&w.slot(20));
    EXPECT_EQ(run(), "cdt: slot " + at(3) + " (Untyped): next slot " + at(10) + " links back to " +
                         at(20));
}

TEST_F(CdtInvariantsFixture, ReportsPreviousSlotNotLinkingForward)
{
    ASSERT_TRUE(w.retype(seL4_EndpointObject, 0, 10, 1));
    ASSERT_TRUE(w.copy(11, 10));
    // Untyped -> 10 -> 11; 11 now claims 3 as its predecessor, which still points at 10.
    w.slot(11).mdb.set_prev(&w.slot(3));
    EXPECT_EQ(run(), "cdt: slot " + at(10) + " (Endpoint): next slot " + at(11) +
                         " links back to " + at(3));
}

TEST_F(CdtInvariantsFixture, ReportsEmptySlotStillLinked)
{
    ASSERT_TRUE(w.retype(seL4_EndpointObject, 0, 10, 1));
    w.slot(30).mdb.set_next(&w.slot(10));
    EXPECT_EQ(run(),
              "cdt: slot " + at(30) + " is empty but still linked (prev 0, next " + at(10) + ")");
}

TEST_F(CdtInvariantsFixture, ReportsLoopWithoutFirstSlot)
{
    ASSERT_TRUE(w.retype(seL4_EndpointObject, 0, 10, 1));
    // Untyped <-> 10 closed into a ring: every link agrees, yet no list has a first slot.
    w.slot(10).mdb.set_next(&w.slot(3));
    w.slot(3).mdb.set_prev(&w.slot(10));
    EXPECT_EQ(run(), "cdt: slot " + at(3) +
                         " (Untyped) is on a derivation list that loops (no first slot)");
}

TEST_F(CdtInvariantsFixture, ReportsObjectInAnUntypedNotDerivedFromIt)
{
    ASSERT_TRUE(w.retype(seL4_EndpointObject, 0, 10, 1));
    // A second capability to an object in the untyped's used range, with no place in its tree.
    PAddr inside = w.untyped_base() + 0x40;
    insert_root_cap(w.slot(20), NotificationCap::make(inside, Badge{0}, CapRights::all()).cap());
    EXPECT_EQ(run(), "cdt: slot " + at(20) + " (Notification at " + hex(inside.raw()) +
                         ") lies in untyped slot " + at(3) + " (2^22 bytes at " +
                         hex(w.untyped_base().raw()) + ") but is not derived from it");
}

TEST_F(CdtInvariantsFixture, ChildrenOfADeletedUntypedStayValid)
{
    ASSERT_TRUE(w.retype(seL4_UntypedObject, 12, 10, 2));
    ASSERT_TRUE(w.retype(seL4_EndpointObject, 0, 20, 1, 11));
    ASSERT_TRUE(w.move(30, 3));
    ASSERT_TRUE(w.remove(30)); // the root untyped goes; its children stay, side by side
    EXPECT_EQ(run(), Healthy);
}

TEST_F(CdtInvariantsFixture, ReportsFreeIndexBelowAChild)
{
    ASSERT_TRUE(w.retype(seL4_EndpointObject, 0, 10, 1));
    w.slot(3).cap = untyped().with_free_index(0).cap();
    EXPECT_EQ(run(), "cdt: untyped slot " + at(3) +
                         ": free index 0 (offset 0) is below the end of its child in slot " +
                         at(10) + " (Endpoint, ends at offset 0x10)");
}

TEST_F(CdtInvariantsFixture, ReportsFreeIndexBeyondTheBlock)
{
    Word limit = UntypedCap::max_free_index(untyped().size_bits());
    w.slot(3).cap = untyped().with_free_index(limit + 1).cap();
    EXPECT_EQ(run(), "cdt: untyped slot " + at(3) + " (2^22 bytes at " +
                         hex(w.untyped_base().raw()) + "): free index " +
                         std::to_string(limit + 1) + " beyond its block (at most " +
                         std::to_string(limit) + ")");
}

TEST_F(CdtInvariantsFixture, ReportsOnlyTheFirstBrokenInvariant)
{
    ASSERT_TRUE(w.retype(seL4_EndpointObject, 0, 10, 1));
    w.slot(10).mdb.set_prev(&w.slot(20));
    w.slot(30).mdb.set_next(&w.slot(10));
    InvariantReport report = checker.run(w.ctx, w.root(), cpu);
    EXPECT_TRUE(report.is_broken());
    EXPECT_NE(std::string(report.line()).find("links back"), std::string::npos);
}

} // namespace
} // namespace tessera::core::test
