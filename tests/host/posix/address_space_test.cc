// The POSIX server's process memory (user/services/posix/core/vm): mmap placement, munmap and
// mprotect splitting regions, brk, demand paging, the server's checked access to user memory
// (EFAULT, never a crash), fork's copy-on-write and quotas, against a recording backend that
// stands for the page tables and a pool that stands for the server's untyped memory.
#include <gtest/gtest.h>

#include "core/vm/address_space.h"
#include "linux/constants.h"
#include "test_memory.h"

namespace tessera::posix {
namespace {

namespace mman = linux::mman;
constexpr uint32_t ReadWrite = mman::ProtRead | mman::ProtWrite;

using test::RecordingBackend;
using test::TestPool;

struct AddressSpaceTest : ::testing::Test {
    TestPool pool{64};
    RecordingBackend backend;
    std::unique_ptr<AddressSpace> space = make_space();

    std::unique_ptr<AddressSpace> make_space()
    {
        auto hardware = backend.create_space();
        return std::make_unique<AddressSpace>(pool, backend, hardware.value());
    }
    RecordingBackend::Table& ptes(AddressSpace& s) { return RecordingBackend::table(s.hardware()); }
    uint64_t map_anonymous(uint64_t length, uint32_t protection = ReadWrite)
    {
        auto r = space->map(0, length, protection, false, nullptr, 0, AddressSpace::Placement::Hint);
        EXPECT_TRUE(r.is_ok());
        return r ? r.value() : 0;
    }
};

TEST_F(AddressSpaceTest, MmapPlacesAnonymousMemoryTopDownWithoutTouchingFrames)
{
    const uint64_t a = map_anonymous(3 * PageSize);
    const uint64_t b = map_anonymous(PageSize);
    EXPECT_TRUE(is_page_aligned(a));
    EXPECT_EQ(b + PageSize, a); // the next one goes just below
    EXPECT_EQ(pool.available(), 64u);
    EXPECT_TRUE(ptes(*space).empty());
}

TEST_F(AddressSpaceTest, AnonymousPagesReadAsZeroAndAreMadeOnFirstTouch)
{
    const uint64_t a = map_anonymous(2 * PageSize);
    uint64_t word = 1;
    ASSERT_TRUE(space->read(a + PageSize + 8, &word, sizeof word).is_ok());
    EXPECT_EQ(word, 0u);
    EXPECT_EQ(space->resident_pages(), 1u);
    ASSERT_EQ(ptes(*space).count(a + PageSize), 1u);
    EXPECT_TRUE(ptes(*space)[a + PageSize].writable);
}

TEST_F(AddressSpaceTest, WritesAcrossAPageBoundaryReadBack)
{
    const uint64_t a = map_anonymous(2 * PageSize);
    const char text[] = "spans two pages";
    ASSERT_TRUE(space->write(a + PageSize - 5, text, sizeof text).is_ok());
    char back[sizeof text] = {};
    ASSERT_TRUE(space->read(a + PageSize - 5, back, sizeof back).is_ok());
    EXPECT_STREQ(back, text);
    char name[64];
    auto length = space->read_string(a + PageSize - 5, name, sizeof name);
    ASSERT_TRUE(length.is_ok());
    EXPECT_EQ(length.value(), strlen(text));
}

TEST_F(AddressSpaceTest, BadPointersAreEfaultNotCrashes)
{
    const uint64_t a = map_anonymous(PageSize, mman::ProtRead);
    char byte = 0;
    EXPECT_EQ(space->read(0, &byte, 1).error(), Errno::Fault);
    EXPECT_EQ(space->read(a + PageSize, &byte, 1).error(), Errno::Fault);
    EXPECT_EQ(space->read(~uint64_t{0} - 2, &byte, 8).error(), Errno::Fault); // wraps
    EXPECT_EQ(space->read(uint64_t{1} << 63, &byte, 1).error(), Errno::Fault);
    EXPECT_EQ(space->write(a, &byte, 1).error(), Errno::Fault); // read-only
    // A read that runs off the end of a mapping fails as a whole.
    char two[2];
    EXPECT_EQ(space->read(a + PageSize - 1, two, 2).error(), Errno::Fault);
}

TEST_F(AddressSpaceTest, StringWithoutTerminatorWithinCapacityIsNameTooLong)
{
    const uint64_t a = map_anonymous(PageSize);
    ASSERT_TRUE(space->fill(a, 'x', PageSize).is_ok());
    char name[16];
    EXPECT_EQ(space->read_string(a, name, sizeof name).error(), Errno::NameTooLong);
    // Running into unmapped memory before a NUL is EFAULT.
    char big[2 * PageSize];
    EXPECT_EQ(space->read_string(a, big, sizeof big).error(), Errno::Fault);
}

TEST_F(AddressSpaceTest, MunmapInTheMiddleSplitsTheRegionAndFreesItsFrames)
{
    const uint64_t a = map_anonymous(3 * PageSize);
    ASSERT_TRUE(space->fill(a, 1, 3 * PageSize).is_ok());
    EXPECT_EQ(pool.available(), 61u);
    ASSERT_TRUE(space->unmap(a + PageSize, PageSize).is_ok());
    ASSERT_EQ(space->regions().size(), 2u);
    EXPECT_EQ(space->regions()[0].end, a + PageSize);
    EXPECT_EQ(space->regions()[1].start, a + 2 * PageSize);
    EXPECT_EQ(pool.available(), 62u);
    EXPECT_EQ(ptes(*space).count(a + PageSize), 0u);
    char byte;
    EXPECT_EQ(space->read(a + PageSize, &byte, 1).error(), Errno::Fault);
    EXPECT_TRUE(space->read(a + 2 * PageSize, &byte, 1).is_ok());
}

TEST_F(AddressSpaceTest, MunmapRejectsMisalignedStartAndZeroLength)
{
    EXPECT_EQ(space->unmap(0x10001, PageSize).error(), Errno::Inval);
    EXPECT_EQ(space->unmap(0x10000, 0).error(), Errno::Inval);
    EXPECT_TRUE(space->unmap(0x10000, PageSize).is_ok()); // nothing there is fine
}

TEST_F(AddressSpaceTest, MprotectReadOnlyDowngradesMappedPagesAndRefusesHoles)
{
    const uint64_t a = map_anonymous(2 * PageSize);
    ASSERT_TRUE(space->fill(a, 7, 2 * PageSize).is_ok());
    ASSERT_TRUE(space->protect(a, PageSize, mman::ProtRead).is_ok());
    EXPECT_FALSE(ptes(*space)[a].writable);
    EXPECT_TRUE(ptes(*space)[a + PageSize].writable);
    EXPECT_EQ(space->regions().size(), 2u);
    uint8_t byte = 0;
    EXPECT_EQ(space->write(a, &byte, 1).error(), Errno::Fault);
    EXPECT_EQ(space->protect(a, 3 * PageSize, mman::ProtRead).error(), Errno::NoMem);
    // Write access back: the regions merge again and the page takes writes (its data kept).
    ASSERT_TRUE(space->protect(a, PageSize, ReadWrite).is_ok());
    EXPECT_EQ(space->regions().size(), 1u);
    ASSERT_TRUE(space->read(a, &byte, 1).is_ok());
    EXPECT_EQ(byte, 7);
    EXPECT_TRUE(space->write(a, &byte, 1).is_ok());
}

TEST_F(AddressSpaceTest, FixedMappingReplacesWhatWasThereAndNoReplaceRefuses)
{
    const uint64_t a = map_anonymous(2 * PageSize);
    ASSERT_TRUE(space->fill(a, 9, 2 * PageSize).is_ok());
    auto fixed = space->map(a, PageSize, ReadWrite, false, nullptr, 0, AddressSpace::Placement::Fixed);
    ASSERT_TRUE(fixed.is_ok());
    EXPECT_EQ(fixed.value(), a);
    uint8_t byte = 1;
    ASSERT_TRUE(space->read(a, &byte, 1).is_ok());
    EXPECT_EQ(byte, 0); // fresh memory
    ASSERT_TRUE(space->read(a + PageSize, &byte, 1).is_ok());
    EXPECT_EQ(byte, 9);
    auto refused = space->map(a, PageSize, ReadWrite, false, nullptr, 0,
                              AddressSpace::Placement::FixedNoReplace);
    EXPECT_EQ(refused.error(), Errno::Exist);
    auto low = space->map(0, PageSize, ReadWrite, false, nullptr, 0, AddressSpace::Placement::Fixed);
    EXPECT_EQ(low.error(), Errno::Perm); // below mmap_min_addr
    auto odd = space->map(a + 1, PageSize, ReadWrite, false, nullptr, 0, AddressSpace::Placement::Fixed);
    EXPECT_EQ(odd.error(), Errno::Inval);
}

TEST_F(AddressSpaceTest, BrkGrowsAndShrinksAndRefusesToGoBelowItsStart)
{
    space->set_break_start(0x600123);
    EXPECT_EQ(space->set_break(0), 0x600123u);
    EXPECT_EQ(space->set_break(0x602000), 0x602000u);
    const char text[] = "heap";
    EXPECT_TRUE(space->write(0x601000, text, sizeof text).is_ok());
    EXPECT_EQ(space->set_break(0x500000), 0x602000u); // below the start: unchanged
    EXPECT_EQ(space->set_break(0x601000), 0x601000u);
    char byte;
    EXPECT_EQ(space->read(0x601000, &byte, 1).error(), Errno::Fault);
}

TEST_F(AddressSpaceTest, BrkStopsAtAMappingAbove)
{
    space->set_break_start(0x600000);
    auto blocker = space->map(0x604000, PageSize, ReadWrite, false, nullptr, 0,
                              AddressSpace::Placement::Fixed);
    ASSERT_TRUE(blocker.is_ok());
    EXPECT_EQ(space->set_break(0x603000), 0x603000u);
    EXPECT_EQ(space->set_break(0x606000), 0x603000u);
}

TEST_F(AddressSpaceTest, ForkSharesPagesUntilOneSideWrites)
{
    const uint64_t a = map_anonymous(PageSize);
    const uint32_t parent_value = 0x11111111;
    ASSERT_TRUE(space->write(a, &parent_value, 4).is_ok());
    auto child = make_space();
    ASSERT_TRUE(space->duplicate_into(*child).is_ok());
    EXPECT_EQ(ptes(*space)[a].frame, ptes(*child)[a].frame);
    EXPECT_FALSE(ptes(*space)[a].writable);
    EXPECT_FALSE(ptes(*child)[a].writable);
    const size_t before = pool.available();

    const uint32_t child_value = 0x22222222;
    ASSERT_TRUE(child->write(a, &child_value, 4).is_ok());
    EXPECT_EQ(pool.available(), before - 1); // the child got its own copy
    EXPECT_NE(ptes(*space)[a].frame, ptes(*child)[a].frame);
    uint32_t seen = 0;
    ASSERT_TRUE(space->read(a, &seen, 4).is_ok());
    EXPECT_EQ(seen, parent_value);
    ASSERT_TRUE(child->read(a, &seen, 4).is_ok());
    EXPECT_EQ(seen, child_value);

    // The parent is the frame's only holder now: its write needs no copy.
    ASSERT_TRUE(space->write(a, &child_value, 4).is_ok());
    EXPECT_EQ(pool.available(), before - 1);
    EXPECT_TRUE(ptes(*space)[a].writable);
}

TEST_F(AddressSpaceTest, ExitOfBothSidesGivesEveryFrameBack)
{
    const uint64_t a = map_anonymous(4 * PageSize);
    ASSERT_TRUE(space->fill(a, 3, 4 * PageSize).is_ok());
    {
        auto child = make_space();
        ASSERT_TRUE(space->duplicate_into(*child).is_ok());
        ASSERT_TRUE(child->fill(a, 4, 2 * PageSize).is_ok());
        child->clear();
        EXPECT_TRUE(ptes(*child).empty());
    }
    space->clear();
    EXPECT_EQ(pool.available(), pool.total());
}

TEST_F(AddressSpaceTest, RunningOutOfFramesIsAFaultResultNotACrash)
{
    TestPool small{2};
    RecordingBackend b;
    auto hardware = b.create_space();
    AddressSpace s(small, b, hardware.value());
    auto a = s.map(0, 4 * PageSize, ReadWrite, false, nullptr, 0, AddressSpace::Placement::Hint);
    ASSERT_TRUE(a.is_ok());
    EXPECT_EQ(s.fault(a.value(), Access::Write), FaultResult::Resolved);
    EXPECT_EQ(s.fault(a.value() + PageSize, Access::Write), FaultResult::Resolved);
    EXPECT_EQ(s.fault(a.value() + 2 * PageSize, Access::Write), FaultResult::OutOfMemory);
    EXPECT_EQ(s.fill(a.value(), 0, 4 * PageSize).error(), Errno::Fault);
    s.clear();
    EXPECT_EQ(small.available(), 2u);
}

TEST_F(AddressSpaceTest, FaultsOutsideRegionsAndAgainstProtectionAreReported)
{
    const uint64_t a = map_anonymous(PageSize, mman::ProtRead);
    EXPECT_EQ(space->fault(a - PageSize, Access::Read), FaultResult::NotMapped);
    EXPECT_EQ(space->fault(a, Access::Write), FaultResult::AccessDenied);
    EXPECT_EQ(space->fault(a, Access::Read), FaultResult::Resolved);
    const uint64_t none = map_anonymous(PageSize, mman::ProtNone);
    EXPECT_EQ(space->fault(none, Access::Read), FaultResult::AccessDenied);
}

TEST_F(AddressSpaceTest, MremapGrowsInPlaceOrMovesWithItsData)
{
    const uint64_t a = map_anonymous(PageSize);
    const char text[] = "moving";
    ASSERT_TRUE(space->write(a, text, sizeof text).is_ok());
    // Just below `a` was where the next mapping went: block growth there by mapping above.
    auto moved = space->remap(a, PageSize, 3 * PageSize, mman::RemapMayMove, 0);
    ASSERT_TRUE(moved.is_ok());
    char back[sizeof text] = {};
    ASSERT_TRUE(space->read(moved.value(), back, sizeof back).is_ok());
    EXPECT_STREQ(back, text);
    EXPECT_EQ(space->mapped_bytes(), 3 * PageSize);
    EXPECT_EQ(space->remap(a + 1, PageSize, PageSize, 0, 0).error(), Errno::Inval);
}

} // namespace
} // namespace tessera::posix
