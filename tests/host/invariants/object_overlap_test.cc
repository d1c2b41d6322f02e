// Object overlap: copies of one object and objects inside an untyped are fine; two different
// objects sharing memory, or an object reaching across an untyped's edge, are reported.

#include <gtest/gtest.h>

#include "core_world.h"
#include "invariant_test_support.h"

namespace tessera::core::test {
namespace {

struct ObjectOverlapFixture : ::testing::Test {
    CoreWorld w;
    CpuState cpu;
    Checker checker;
    // Unused memory between the root CNode and the untyped.
    PAddr free_memory{CoreWorld::PhysBase + 0x10000};

    std::string run() { return checker.run(w.ctx, w.root(), cpu).line(); }
    std::string at(Word index) { return hex(w.ctx.window.physical(&w.slot(index)).raw()); }
};

TEST_F(ObjectOverlapFixture, CopiesAndRetypedObjectsDoNotOverlap)
{
    ASSERT_TRUE(w.retype(seL4_EndpointObject, 0, 10, 4));
    ASSERT_TRUE(w.retype(seL4_UntypedObject, 16, 14, 1));
    ASSERT_TRUE(w.retype(seL4_CapTableObject, 2, 15, 1, 14));
    ASSERT_TRUE(w.copy(20, 10));
    insert_root_cap(w.slot(21), EndpointCap::make(free_memory, Badge{3}, CapRights::all()).cap());
    insert_root_cap(w.slot(22), EndpointCap::make(free_memory, Badge{4}, CapRights::all()).cap());
    EXPECT_EQ(run(), "all invariants hold");
}

TEST_F(ObjectOverlapFixture, ReportsTwoObjectsInTheSameMemory)
{
    insert_root_cap(w.slot(20), EndpointCap::make(free_memory, Badge{0}, CapRights::all()).cap());
    insert_root_cap(w.slot(21),
                    NotificationCap::make(free_memory, Badge{0}, CapRights::all()).cap());
    Word base = free_memory.raw();
    EXPECT_EQ(run(), "objects overlap: slot " + at(20) + " (Endpoint " + hex(base) + "-" +
                         hex(base + 0xf) + ") and slot " + at(21) + " (Notification " + hex(base) +
                         "-" + hex(base + 0x1f) + ")");
}

TEST_F(ObjectOverlapFixture, ReportsObjectAcrossAnUntypedsEdge)
{
    PAddr straddling = w.untyped_base() + (Word{0} - 0x100);
    insert_root_cap(w.slot(20), CNodeCap::make(straddling, 4, 0, 0).cap());
    Word untyped_base = w.untyped_base().raw();
    EXPECT_EQ(run(), "objects overlap: slot " + at(3) + " (Untyped " + hex(untyped_base) + "-" +
                         hex(untyped_base + (Word{1} << 22) - 1) + ") and slot " + at(20) +
                         " (CNode " + hex(straddling.raw()) + "-" + hex(straddling.raw() + 0x1ff) +
                         ")");
}

} // namespace
} // namespace tessera::core::test
