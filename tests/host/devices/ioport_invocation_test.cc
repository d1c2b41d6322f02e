#include <gtest/gtest.h>

#include "cdt/delete.h"
#include "core_world.h"
#include "device_fakes.h"
#include "ioport/ioport_invocation.h"

namespace tessera::core::test {
namespace {

constexpr Word ControlSlot = 10;

class IoPortFixture : public ::testing::Test {
protected:
    IoPortFixture() { insert_root_cap(world.slot(ControlSlot), IoPortControlCap::make().cap()); }

    Result<void> issue(Word first, Word last, Word dest, size_t length = 4, bool with_root = true)
    {
        Word words[] = {first, last, dest, CoreWorld::RootRadix};
        Slot* extra[] = {world.root_slot()};
        return invoke_ioport_control_issue(world.ctx,
                                           Invocation{words, length, extra, with_root ? 1u : 0u},
                                           world.slot(ControlSlot), issued);
    }
    Result<PortReply> port_call(IoPortMethod method, Word slot, std::vector<Word> words)
    {
        return invoke_ioport(method, Invocation{words.data(), words.size(), nullptr, 0},
                             IoPortCap{world.slot(slot).cap}, ports);
    }
    // What the kernel does when a slot is emptied (KernelHooks::post_cap_deletion).
    void run_cleanups()
    {
        for (Cap c : world.hooks.cleanups)
            if (c.type() == CapType::IoPort)
                release_ioport_range(IoPortCap{c}, issued);
        world.hooks.cleanups.clear();
    }

    CoreWorld world;
    IssuedPorts issued;
    FakePorts ports;
};

TEST_F(IoPortFixture, IssueWritesARangeCapabilityDerivedFromControl)
{
    ASSERT_TRUE(issue(0x2f8, 0x2ff, 20));
    const Cap cap = world.slot(20).cap;
    ASSERT_EQ(cap.type(), CapType::IoPort);
    EXPECT_EQ(IoPortCap{cap}.first().raw(), 0x2f8);
    EXPECT_EQ(IoPortCap{cap}.last().raw(), 0x2ff);
    EXPECT_EQ(world.slot(ControlSlot).mdb.next(), &world.slot(20));
    EXPECT_FALSE(issued.is_free(IoPort{0x2fa}, IoPort{0x2fa}));
}

TEST_F(IoPortFixture, OverlappingRangeIsRevokeFirstAndChangesNothing)
{
    ASSERT_TRUE(issue(0x2f8, 0x2ff, 20));
    const auto snapshot = world.snapshot();
    auto r = issue(0x2fc, 0x300, 21);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), seL4_RevokeFirst);
    EXPECT_TRUE(world.matches(snapshot));
    EXPECT_TRUE(issued.is_free(IoPort{0x300}, IoPort{0x300}));
    EXPECT_TRUE(issue(0x300, 0x307, 21)); // adjacent is fine
}

TEST_F(IoPortFixture, LastBelowFirstIsInvalidArgumentOne)
{
    auto r = issue(0x2ff, 0x2f8, 20);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), SyscallError::invalid_argument(1));
}

TEST_F(IoPortFixture, PortsAreCutToSixteenBits)
{
    ASSERT_TRUE(issue(0x102f8, 0xf02ff, 20));
    EXPECT_EQ(IoPortCap{world.slot(20).cap}.first().raw(), 0x2f8);
    EXPECT_EQ(IoPortCap{world.slot(20).cap}.last().raw(), 0x2ff);
}

TEST_F(IoPortFixture, ShortMessageOrMissingRootIsTruncated)
{
    EXPECT_EQ(issue(0x2f8, 0x2ff, 20, 3).error().code(), seL4_TruncatedMessage);
    EXPECT_EQ(issue(0x2f8, 0x2ff, 20, 4, false).error().code(), seL4_TruncatedMessage);
}

TEST_F(IoPortFixture, OccupiedDestinationIsDeleteFirstAndClaimsNothing)
{
    auto r = issue(0x2f8, 0x2ff, CoreWorld::RootUntypedSlot);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), seL4_DeleteFirst);
    EXPECT_TRUE(issued.is_free(IoPort{0x2f8}, IoPort{0x2ff}));
}

TEST_F(IoPortFixture, DeletingTheLastCapabilityFreesTheRange)
{
    ASSERT_TRUE(issue(0x2f8, 0x2ff, 20));
    ASSERT_TRUE(world.copy(21, 20));
    ASSERT_TRUE(world.remove(20));
    run_cleanups();
    EXPECT_FALSE(issued.is_free(IoPort{0x2f8}, IoPort{0x2ff})) << "a copy still holds the range";
    ASSERT_TRUE(world.remove(21));
    run_cleanups();
    EXPECT_TRUE(issued.is_free(IoPort{0x2f8}, IoPort{0x2ff}));
    EXPECT_TRUE(issue(0x2f8, 0x2ff, 22));
}

TEST_F(IoPortFixture, InsideTheRangeReadsAndWrites)
{
    ASSERT_TRUE(issue(0x2f8, 0x2ff, 20));
    ports.next_read_value = 0x60;
    auto in = port_call(IoPortMethod::In8, 20, {0x2fd});
    ASSERT_TRUE(in);
    EXPECT_EQ(in.value().value, 0x60u);
    EXPECT_EQ(in.value().length, 1u);
    auto in32 = port_call(IoPortMethod::In32, 20, {0x2fc});
    ASSERT_TRUE(in32);
    auto out = port_call(IoPortMethod::Out8, 20, {0x2f8, 0x1234});
    ASSERT_TRUE(out);
    EXPECT_EQ(out.value().length, 0u);
    ASSERT_EQ(ports.writes.size(), 1u);
    EXPECT_EQ(ports.writes[0], (FakePorts::Access{0x2f8, PortWidth::Bits8, 0x34}));
    ASSERT_TRUE(port_call(IoPortMethod::Out16, 20, {0x2fe, 0xabcdef}));
    EXPECT_EQ(ports.writes[1], (FakePorts::Access{0x2fe, PortWidth::Bits16, 0xcdef}));
    ASSERT_TRUE(port_call(IoPortMethod::Out32, 20, {0x2fc, 0x1122334455}));
    EXPECT_EQ(ports.writes[2], (FakePorts::Access{0x2fc, PortWidth::Bits32, 0x22334455}));
}

TEST_F(IoPortFixture, AccessReachingOutsideTheRangeIsIllegalOperation)
{
    ASSERT_TRUE(issue(0x2f8, 0x2ff, 20));
    EXPECT_EQ(port_call(IoPortMethod::In8, 20, {0x2f7}).error().code(), seL4_IllegalOperation);
    EXPECT_EQ(port_call(IoPortMethod::In8, 20, {0x300}).error().code(), seL4_IllegalOperation);
    EXPECT_EQ(port_call(IoPortMethod::In16, 20, {0x2ff}).error().code(), seL4_IllegalOperation);
    EXPECT_EQ(port_call(IoPortMethod::Out32, 20, {0x2fd, 0}).error().code(), seL4_IllegalOperation);
    EXPECT_EQ(port_call(IoPortMethod::Out8, 20, {0x3f8, 'x'}).error().code(),
              seL4_IllegalOperation);
    EXPECT_TRUE(ports.reads.empty());
    EXPECT_TRUE(ports.writes.empty());
}

TEST_F(IoPortFixture, AccessPastTheLastPortOfTheSpaceIsRefused)
{
    ASSERT_TRUE(issue(0xfff0, 0xffff, 20));
    EXPECT_TRUE(port_call(IoPortMethod::In8, 20, {0xffff}));
    EXPECT_EQ(port_call(IoPortMethod::In32, 20, {0xffff}).error().code(), seL4_IllegalOperation);
}

TEST_F(IoPortFixture, MissingPortOrDataIsTruncated)
{
    ASSERT_TRUE(issue(0x2f8, 0x2ff, 20));
    EXPECT_EQ(port_call(IoPortMethod::In8, 20, {}).error().code(), seL4_TruncatedMessage);
    EXPECT_EQ(port_call(IoPortMethod::Out8, 20, {0x2f8}).error().code(), seL4_TruncatedMessage);
}

} // namespace
} // namespace tessera::core::test
