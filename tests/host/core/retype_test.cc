// Untyped_Retype: every x86_64 object type, every argument check with seL4's error and detail,
// watermark and alignment rules, device untypeds, zeroing and the preemptible reset.

#include <gtest/gtest.h>

#include <tessera/abi/object_sizes.h>
#include <tessera/abi/svm.h>

#include "cap/cap_region.h"
#include "core_world.h"
#include "untyped/object_size.h"

namespace tessera::core {
namespace {

using test::CoreWorld;

struct RetypeFixture : ::testing::Test {
    CoreWorld world;
    UntypedCap untyped() { return UntypedCap{world.slot(CoreWorld::RootUntypedSlot).cap}; }
    Result<Progress> retype_raw(std::initializer_list<Word> words, Slot* root)
    {
        std::vector<Word> w(words);
        Slot* extra[] = {root};
        return invoke_untyped_retype(world.ctx,
                                     Invocation{w.data(), w.size(), extra, root ? 1u : 0u},
                                     world.slot(CoreWorld::RootUntypedSlot));
    }
    SyscallError rejected(Result<Progress> r, seL4_Error code)
    {
        EXPECT_FALSE(r);
        if (r)
            return SyscallError::illegal_operation();
        EXPECT_EQ(r.error().code(), code);
        EXPECT_STRNE(r.error().reason(), "")
            << "every rejection names its reason for the debug log";
        return r.error();
    }
};

struct TypeCase {
    Word type;
    Word user_size;
    CapType cap_type;
    unsigned size_bits;
};

TEST_F(RetypeFixture, CreatesEveryObjectTypeAlignedToItsSize)
{
    // The 2 MiB page goes first: anything before it would push it past the 4 MiB untyped.
    const TypeCase cases[] = {
        {seL4_X86_LargePageObject, 0, CapType::Frame, seL4_LargePageBits},
        {seL4_UntypedObject, 10, CapType::Untyped, 10},
        {seL4_TCBObject, 0, CapType::Tcb, seL4_TCBBits},
        {seL4_EndpointObject, 0, CapType::Endpoint, seL4_EndpointBits},
        {seL4_NotificationObject, 0, CapType::Notification, seL4_NotificationBits},
        {seL4_CapTableObject, 3, CapType::CNode, 3 + seL4_SlotBits},
        {seL4_X86_PDPTObject, 0, CapType::Pdpt, seL4_PDPTBits},
        {seL4_X64_PML4Object, 0, CapType::Pml4, seL4_PML4Bits},
        {seL4_X86_4K, 0, CapType::Frame, seL4_PageBits},
        {seL4_X86_PageTableObject, 0, CapType::PageTable, seL4_PageTableBits},
        {seL4_X86_PageDirectoryObject, 0, CapType::PageDirectory, seL4_PageDirBits},
    };
    Word slot = 20;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.type);
        ASSERT_TRUE(world.retype(c.type, c.user_size, slot, 1));
        Cap cap = world.slot(slot).cap;
        EXPECT_EQ(cap.type(), c.cap_type);
        Region r = region_of(cap);
        EXPECT_EQ(r.size_bits, SizeBits{c.size_bits});
        EXPECT_TRUE(r.base.is_aligned(c.size_bits));
        EXPECT_TRUE((Region{world.untyped_base(), SizeBits{world.untyped_bits()}}.contains(r)));
        EXPECT_EQ(object_size_bits(c.type, c.user_size), c.size_bits);
        ++slot;
    }
    auto huge = world.retype(seL4_X64_HugePageObject, 0, slot, 1);
    auto e = rejected(huge, seL4_NotEnoughMemory);
    EXPECT_EQ(e.memory_left(), (Word{1} << world.untyped_bits()) - untyped().free_offset());
}

// Tessera's SVM VCPU (abi/svm.h) exists only where the arch says SVM runs; elsewhere its number
// is as invalid as on seL4's kernel, so a VMM learns the same way on both.
TEST_F(RetypeFixture, SvmVcpuOnlyWhereTheArchRunsSvm)
{
    auto refused = world.retype(TESSERA_X86_SVMVCPUObject, 0, 20, 1);
    EXPECT_EQ(rejected(refused, seL4_InvalidArgument).invalid_argument_number(), 0u);
    EXPECT_TRUE(world.slot(20).cap.is_null());

    world.hooks.svm = true;
    ASSERT_TRUE(world.retype(TESSERA_X86_SVMVCPUObject, 0, 20, 1));
    const Cap cap = world.slot(20).cap;
    EXPECT_EQ(cap.type(), CapType::SvmVcpu);
    EXPECT_EQ(region_of(cap).size_bits, SizeBits{TESSERA_SVMVCPUBits});
    EXPECT_TRUE(region_of(cap).base.is_aligned(TESSERA_SVMVCPUBits));
    EXPECT_EQ(object_size_bits(TESSERA_X86_SVMVCPUObject, 0), Word{TESSERA_SVMVCPUBits});
    ASSERT_FALSE(world.hooks.created_caps.empty());
    EXPECT_EQ(world.hooks.created_caps.back(), cap) << "the arch writes the new VMCB";
    // Type numbers between seL4's last and Tessera's stay invalid.
    EXPECT_FALSE(world.retype(seL4_ObjectTypeCount, 0, 21, 1));
    EXPECT_FALSE(world.retype(TESSERA_X86_SVMVCPUObject + 1, 0, 21, 1));
}

TEST_F(RetypeFixture, NewCapsAreFullRightsRevocableChildren)
{
    ASSERT_TRUE(world.retype(seL4_EndpointObject, 0, 20, 3));
    for (Word i = 20; i < 23; ++i) {
        EndpointCap e{world.slot(i).cap};
        EXPECT_EQ(e.badge(), Badge{0});
        EXPECT_EQ(e.rights(), CapRights::all());
        EXPECT_TRUE(world.slot(i).mdb.is_revocable());
    }
    EXPECT_EQ(EndpointCap{world.slot(21).cap}.object(),
              EndpointCap{world.slot(20).cap}.object() + 16);
    EXPECT_EQ(untyped().free_offset(), 3u * 16);
}

TEST_F(RetypeFixture, WatermarkAlignsAndNeverGoesBackWhileChildrenLive)
{
    ASSERT_TRUE(world.retype(seL4_EndpointObject, 0, 20, 1));
    ASSERT_TRUE(world.retype(seL4_X86_4K, 0, 21, 1));
    EXPECT_EQ(FrameCap{world.slot(21).cap}.object(), world.untyped_base() + 4096);
    EXPECT_EQ(untyped().free_offset(), 8192u);
    ASSERT_TRUE(world.remove(21));
    ASSERT_TRUE(world.retype(seL4_X86_4K, 0, 21, 1));
    EXPECT_EQ(FrameCap{world.slot(21).cap}.object(), world.untyped_base() + 8192);
    // Once every child is gone the untyped starts again from its base.
    ASSERT_TRUE(world.remove(20));
    ASSERT_TRUE(world.remove(21));
    ASSERT_TRUE(world.retype(seL4_X86_4K, 0, 21, 1));
    EXPECT_EQ(FrameCap{world.slot(21).cap}.object(), world.untyped_base());
}

TEST_F(RetypeFixture, ArgumentChecksInSeL4Order)
{
    rejected(retype_raw({seL4_EndpointObject, 0, 0, 0, 20}, world.root_slot()),
             seL4_TruncatedMessage);
    rejected(retype_raw({seL4_EndpointObject, 0, 0, 0, 20, 1}, nullptr), seL4_TruncatedMessage);
    EXPECT_EQ(rejected(world.retype(seL4_ObjectTypeCount, 0, 20, 1), seL4_InvalidArgument)
                  .invalid_argument_number(),
              0u);
    for (Word bad_size : {Word{64}, ~Word{0}, Word{48}}) {
        auto e = rejected(world.retype(seL4_UntypedObject, bad_size, 20, 1), seL4_RangeError);
        EXPECT_EQ(e.range_min(), 0u);
        EXPECT_EQ(e.range_max(), Word{seL4_MaxUntypedBits});
    }
    // A CNode's size is slots * 32 bytes: radix 43 would exceed the largest untyped.
    rejected(world.retype(seL4_CapTableObject, 43, 20, 1), seL4_RangeError);
    EXPECT_EQ(rejected(world.retype(seL4_CapTableObject, 0, 20, 1), seL4_InvalidArgument)
                  .invalid_argument_number(),
              1u);
    EXPECT_EQ(rejected(world.retype(seL4_UntypedObject, seL4_MinUntypedBits - 1, 20, 1),
                       seL4_InvalidArgument)
                  .invalid_argument_number(),
              1u);
}

TEST_F(RetypeFixture, DestinationWindowChecks)
{
    auto off = rejected(world.retype(seL4_EndpointObject, 0, 256, 1), seL4_RangeError);
    EXPECT_EQ(off.range_min(), 0u);
    EXPECT_EQ(off.range_max(), 255u);
    auto none = rejected(world.retype(seL4_EndpointObject, 0, 20, 0), seL4_RangeError);
    EXPECT_EQ(none.range_min(), 1u);
    EXPECT_EQ(none.range_max(), RetypeFanOutLimit);
    rejected(world.retype(seL4_EndpointObject, 0, 0, RetypeFanOutLimit + 1), seL4_RangeError);
    auto overrun = rejected(world.retype(seL4_EndpointObject, 0, 250, 7), seL4_RangeError);
    EXPECT_EQ(overrun.range_min(), 1u);
    EXPECT_EQ(overrun.range_max(), 6u);
    // Slot 3 (the untyped itself) is inside the window.
    rejected(world.retype(seL4_EndpointObject, 0, 1, 4), seL4_DeleteFirst);
    EXPECT_EQ(untyped().free_index(), 0u);
    EXPECT_TRUE(world.slot(1).is_empty());
}

TEST_F(RetypeFixture, DestinationCNodeByLookup)
{
    ASSERT_TRUE(world.retype(seL4_CapTableObject, 4, 20, 1));
    CNodeCap child{world.slot(20).cap};
    ASSERT_TRUE(retype_raw({seL4_EndpointObject, 0, 20, 8, 2, 3}, world.root_slot()));
    for (Word i = 2; i < 5; ++i)
        EXPECT_EQ(world.at<Slot>(child.slot_address(i))->cap.type(), CapType::Endpoint);
    // The node argument must name a CNode: an endpoint is a missing capability at that depth.
    auto e = rejected(retype_raw({seL4_EndpointObject, 0, 3, 8, 0, 1}, world.root_slot()),
                      seL4_FailedLookup);
    EXPECT_EQ(e.failed_lookup_side(), LookupSide::Destination);
    EXPECT_EQ(e.lookup_failure(), LookupFailure::missing_capability(8));
    auto d = rejected(retype_raw({seL4_EndpointObject, 0, 20, 70, 0, 1}, world.root_slot()),
                      seL4_RangeError);
    EXPECT_EQ(d.range_max(), 64u);
    auto root = rejected(retype_raw({seL4_EndpointObject, 0, 0, 0, 0, 1}, &world.slot(3)),
                         seL4_FailedLookup);
    EXPECT_EQ(root.lookup_failure(), LookupFailure::missing_capability(0));
}

TEST_F(RetypeFixture, NotEnoughMemoryReportsBytesLeft)
{
    ASSERT_TRUE(world.retype(seL4_UntypedObject, 21, 20, 1)); // half of the 4 MiB
    auto e = rejected(world.retype(seL4_UntypedObject, 21, 21, 2), seL4_NotEnoughMemory);
    EXPECT_EQ(e.memory_left(), Word{1} << 21);
    ASSERT_TRUE(world.retype(seL4_UntypedObject, 21, 21, 1));
}

TEST(RetypeDevice, OnlyFramesAndUntypedsFromDeviceMemory)
{
    CoreWorld world(16, Device::Yes);
    auto r = world.retype(seL4_EndpointObject, 0, 20, 1);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), seL4_InvalidArgument);
    EXPECT_EQ(r.error().invalid_argument_number(), 1u);
    ASSERT_TRUE(world.retype(seL4_X86_4K, 0, 20, 1));
    EXPECT_EQ(FrameCap{world.slot(20).cap}.device(), Device::Yes);
    ASSERT_TRUE(world.retype(seL4_UntypedObject, 12, 21, 1));
    EXPECT_EQ(UntypedCap{world.slot(21).cap}.device(), Device::Yes);
}

TEST(RetypeDevice, DeviceMemoryIsNeverCleared)
{
    CoreWorld world(16, Device::Yes);
    ASSERT_TRUE(world.retype(seL4_X86_4K, 0, 20, 1));
    PAddr frame = FrameCap{world.slot(20).cap}.object();
    *world.at<Word>(frame) = 0x1234;
    ASSERT_TRUE(world.revoke(CoreWorld::RootUntypedSlot));
    ASSERT_TRUE(world.retype(seL4_X86_4K, 0, 20, 1));
    EXPECT_EQ(*world.at<Word>(frame), 0x1234u);
}

TEST_F(RetypeFixture, ReusedMemoryIsZeroed)
{
    ASSERT_TRUE(world.retype(seL4_X86_4K, 0, 20, 2));
    PAddr frame = FrameCap{world.slot(21).cap}.object();
    for (Word i = 0; i < 512; ++i)
        world.at<Word>(frame)[i] = ~i;
    ASSERT_TRUE(world.revoke(CoreWorld::RootUntypedSlot));
    ASSERT_TRUE(world.retype(seL4_CapTableObject, 7, 20, 1)); // 4 KiB of slots over both frames
    CNodeCap node{world.slot(20).cap};
    for (Word i = 0; i < 128; ++i)
        ASSERT_TRUE(world.at<Slot>(node.slot_address(i))->is_empty());
    for (Word i = 0; i < 512; ++i)
        ASSERT_EQ(world.at<Word>(frame)[i], 0u) << i;
}

TEST_F(RetypeFixture, ResetIsPreemptibleAndResumesFromTheWatermark)
{
    ASSERT_TRUE(world.retype(seL4_X86_LargePageObject, 0, 20, 2)); // the whole 4 MiB
    PAddr top = FrameCap{world.slot(21).cap}.object();
    world.at<Word>(top)[(1 << 18) - 1] = 0xff;    // last word of the untyped
    *world.at<Word>(world.untyped_base()) = 0xee; // first word
    ASSERT_TRUE(world.revoke(CoreWorld::RootUntypedSlot));

    world.preemption.budget = 3;
    auto first = world.retype(seL4_EndpointObject, 0, 20, 1);
    ASSERT_TRUE(first);
    EXPECT_EQ(first.value(), Progress::Preempted);
    EXPECT_TRUE(world.slot(20).is_empty());
    Word after_first = untyped().free_offset();
    EXPECT_LT(after_first, Word{1} << 22);
    EXPECT_EQ(world.at<Word>(top)[(1 << 18) - 1], 0u); // top cleared first
    EXPECT_EQ(*world.at<Word>(world.untyped_base()), 0xeeu);

    world.preemption.budget = 100;
    int rounds = 1;
    for (;;) {
        auto r = world.retype(seL4_EndpointObject, 0, 20, 1);
        ASSERT_TRUE(r);
        ++rounds;
        EXPECT_LE(untyped().free_offset(), after_first);
        if (r.value() == Progress::Done)
            break;
        world.preemption.budget = 100;
        ASSERT_LT(rounds, 1000);
    }
    EXPECT_GT(rounds, 2);
    EXPECT_EQ(*world.at<Word>(world.untyped_base()), 0u);
    EXPECT_EQ(EndpointCap{world.slot(20).cap}.object(), world.untyped_base());
}

} // namespace
} // namespace tessera::core
