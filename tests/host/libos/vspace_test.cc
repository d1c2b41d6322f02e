// Address-space management against the fake kernel: reservations, paging structures created on
// demand, unmapping and freeing.
#include "fake_kernel.h"

#include <tessera/abi/invocation_labels.h>
#include <tessera/vspace/vspace.h>

#include <gtest/gtest.h>

#include <memory>
#include <vector>

using namespace tessera;
using alloc::SizeBits;
using libos::CPtr;
using libos::VAddr;
using vspace::Ownership;
using vspace::VSpace;

namespace {

constexpr seL4_Word Bottom = 0x10000000;
constexpr seL4_Word Top = 0x20000000;

struct VSpaceFixture : ::testing::Test {
    std::unique_ptr<alloc::SlotAllocator> slots = std::make_unique<alloc::SlotAllocator>();
    alloc::UntypedAllocator untypeds{*slots};
    alloc::ObjectAllocator objects{*slots, untypeds};
    std::vector<vspace::Mapping> storage = std::vector<vspace::Mapping>(64);
    std::unique_ptr<VSpace> space;

    void SetUp() override
    {
        fake::reset();
        ASSERT_TRUE(slots->init(CPtr{seL4_CapInitThreadCNode}, seL4_SlotRegion{100, 4000}));
        fake::add_untyped(10, 0x1000000, 20);
        ASSERT_TRUE(
            untypeds.add(CPtr{10}, libos::PAddr{0x1000000}, SizeBits{20}, alloc::Memory::Ram));
        space = std::make_unique<VSpace>(objects, CPtr{seL4_CapInitThreadVSpace}, VAddr{Bottom},
                                         VAddr{Top}, storage.data(), 64);
    }
};

} // namespace

TEST_F(VSpaceFixture, ReservesLowestFreeRangesWithoutOverlap)
{
    auto a = space->reserve(4);
    auto b = space->reserve(2);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a.value().base, VAddr{Bottom});
    EXPECT_EQ(b.value().base, VAddr{Bottom + 4 * 4096});
    EXPECT_EQ(space->reserve_at(VAddr{Bottom + 5 * 4096}, 1).code(), seL4_DeleteFirst);
    EXPECT_EQ(space->reserve_at(VAddr{Bottom + 1}, 1).code(), seL4_AlignmentError);
    EXPECT_EQ(space->reserve_at(VAddr{Top - 4096}, 2).code(), seL4_RangeError);
    ASSERT_TRUE(space->release(a.value()));
    auto c = space->reserve(3);
    ASSERT_TRUE(c);
    EXPECT_EQ(c.value().base, VAddr{Bottom});
    EXPECT_EQ(space->reserve((Top - Bottom) / 4096).code(), seL4_NotEnoughMemory);
}

TEST_F(VSpaceFixture, CreatesMissingPagingStructuresTopDown)
{
    auto range = space->reserve(1);
    ASSERT_TRUE(range);
    ASSERT_TRUE(space->map_new_pages(range.value().base, 1, seL4_ReadWrite));
    EXPECT_EQ(fake::kernel.count(X86PDPTMap), 1u);
    EXPECT_EQ(fake::kernel.count(X86PageDirectoryMap), 1u);
    EXPECT_EQ(fake::kernel.count(X86PageTableMap), 1u);
    // Four attempts at the page: three failed lookups, then success.
    EXPECT_EQ(fake::kernel.count(X86PageMap), 4u);
    EXPECT_EQ(space->tables(), 3u);
    EXPECT_FALSE(fake::kernel.page_bytes(fake::root_vspace(), Bottom).empty());
}

TEST_F(VSpaceFixture, ReusesPagingStructuresForNeighbouringPages)
{
    auto range = space->reserve(8);
    ASSERT_TRUE(range);
    ASSERT_TRUE(space->map_new_pages(range.value().base, 8, seL4_ReadWrite));
    EXPECT_EQ(space->tables(), 3u);
    EXPECT_EQ(space->mapped_pages(), 8u);
    EXPECT_EQ(fake::kernel.count(X86PageMap), 8u + 3u);
    // A page 2 MiB further needs only a new page table.
    auto far = space->reserve_at(VAddr{Bottom + (2u << 20)}, 1);
    ASSERT_TRUE(far);
    ASSERT_TRUE(space->map_new_pages(far.value().base, 1, seL4_ReadWrite));
    EXPECT_EQ(space->tables(), 4u);
    EXPECT_EQ(fake::kernel.count(X86PageTableMap), 2u);
}

TEST_F(VSpaceFixture, RefusesUnreservedMisalignedAndDoubleMappings)
{
    auto frame = objects.frame().value();
    EXPECT_EQ(space->map(frame, VAddr{Bottom}, seL4_ReadWrite, Ownership::Borrowed).code(),
              seL4_InvalidArgument);
    auto range = space->reserve(1);
    ASSERT_TRUE(range);
    EXPECT_EQ(space->map(frame, VAddr{Bottom + 8}, seL4_ReadWrite, Ownership::Borrowed).code(),
              seL4_AlignmentError);
    ASSERT_TRUE(space->map(frame, VAddr{Bottom}, seL4_ReadWrite, Ownership::Borrowed));
    auto other = objects.frame().value();
    EXPECT_EQ(space->map(other, VAddr{Bottom}, seL4_ReadWrite, Ownership::Borrowed).code(),
              seL4_DeleteFirst);
    ASSERT_NE(space->lookup(VAddr{Bottom + 100}), nullptr);
    EXPECT_EQ(space->lookup(VAddr{Bottom + 100})->frame.cap, frame.cap);
}

TEST_F(VSpaceFixture, UnmapFreesOwnedFramesOnly)
{
    auto range = space->reserve(3);
    ASSERT_TRUE(range);
    auto borrowed = objects.frame().value();
    ASSERT_TRUE(space->map(borrowed, VAddr{Bottom}, seL4_ReadWrite, Ownership::Borrowed));
    ASSERT_TRUE(space->map_new_pages(VAddr{Bottom + 4096}, 2, seL4_ReadWrite));
    const seL4_CPtr owned = libos::raw(space->lookup(VAddr{Bottom + 4096})->frame.cap);
    ASSERT_TRUE(space->release(range.value()));
    EXPECT_EQ(space->mapped_pages(), 0u);
    EXPECT_EQ(fake::kernel.count(X86PageUnmap), 3u);
    ASSERT_NE(fake::kernel.slot(libos::raw(borrowed.cap)), nullptr);
    EXPECT_FALSE(fake::kernel.slot(libos::raw(borrowed.cap))->mapped);
    EXPECT_EQ(fake::kernel.slot(owned), nullptr);
    EXPECT_TRUE(fake::kernel.page_bytes(fake::root_vspace(), Bottom).empty());
}

TEST_F(VSpaceFixture, MapNewPagesIsAllOrNothing)
{
    auto range = space->reserve(4);
    ASSERT_TRUE(range);
    // Room for the three paging structures and two frames only.
    std::vector<alloc::Object> hog;
    while (untypeds.free_bytes() > 5 * 4096)
        hog.push_back(objects.frame().value());
    auto mapped = space->map_new_pages(range.value().base, 4, seL4_ReadWrite);
    ASSERT_FALSE(mapped);
    EXPECT_EQ(mapped.error().code, seL4_NotEnoughMemory);
    EXPECT_EQ(space->mapped_pages(), 0u);
    EXPECT_EQ(fake::kernel.pages.size(), 0u);
}

TEST_F(VSpaceFixture, FreeTablesDeletesEveryPagingStructure)
{
    auto range = space->reserve(1);
    ASSERT_TRUE(range);
    ASSERT_TRUE(space->map_new_pages(range.value().base, 1, seL4_ReadWrite));
    ASSERT_TRUE(space->unmap(range.value().base, 1));
    const seL4_Word before = slots->available();
    ASSERT_TRUE(space->free_tables());
    EXPECT_EQ(space->tables(), 0u);
    EXPECT_TRUE(fake::kernel.paging.empty());
    EXPECT_EQ(slots->available(), before + 3);
    EXPECT_EQ(untypeds.record(0).watermark, 0u);
}

TEST_F(VSpaceFixture, ReportsAKernelErrorThatIsNotALookupFailure)
{
    auto range = space->reserve(1);
    ASSERT_TRUE(range);
    fake::kernel.fail_label[X86PageMap] = seL4_InvalidCapability;
    auto mapped = space->map_new_pages(range.value().base, 1, seL4_ReadWrite);
    ASSERT_FALSE(mapped);
    EXPECT_EQ(mapped.error().code, seL4_InvalidCapability);
    EXPECT_EQ(space->tables(), 0u);
}
