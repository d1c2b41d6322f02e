// The slot, untyped and object allocators against the fake kernel.
#include "fake_kernel.h"

#include <tessera/abi/invocation_labels.h>
#include <tessera/alloc/object_allocator.h>

#include <gtest/gtest.h>

#include <memory>

using namespace tessera::alloc;
using tessera::libos::PAddr;

namespace {

struct AllocFixture : ::testing::Test {
    std::unique_ptr<SlotAllocator> slots = std::make_unique<SlotAllocator>();
    UntypedAllocator untypeds{*slots};
    ObjectAllocator objects{*slots, untypeds};

    void SetUp() override
    {
        fake::reset();
        ASSERT_TRUE(slots->init(CPtr{seL4_CapInitThreadCNode}, seL4_SlotRegion{100, 4000}));
    }
    void add(seL4_Word slot, seL4_Word paddr, seL4_Word bits, Memory memory = Memory::Ram)
    {
        fake::add_untyped(slot, paddr, bits, memory == Memory::Device);
        ASSERT_TRUE(untypeds.add(CPtr{slot}, PAddr{paddr}, SizeBits{bits}, memory));
    }
};

} // namespace

TEST(SlotAllocator, HandsOutLowestFreeSlotAndReusesFreedOnes)
{
    auto slots = std::make_unique<SlotAllocator>();
    ASSERT_TRUE(slots->init(CPtr{2}, seL4_SlotRegion{20, 150}));
    for (seL4_Word i = 20; i < 150; ++i)
        EXPECT_EQ(tessera::libos::raw(slots->allocate().value()), i);
    auto exhausted = slots->allocate();
    ASSERT_FALSE(exhausted);
    EXPECT_EQ(exhausted.error().code, seL4_NotEnoughMemory);
    ASSERT_TRUE(slots->free(CPtr{87}));
    ASSERT_TRUE(slots->free(CPtr{33}));
    EXPECT_EQ(slots->available(), 2u);
    EXPECT_EQ(tessera::libos::raw(slots->allocate().value()), 33u);
    EXPECT_EQ(tessera::libos::raw(slots->allocate().value()), 87u);
}

TEST(SlotAllocator, RejectsBadRegionsAndStrayFrees)
{
    auto slots = std::make_unique<SlotAllocator>();
    EXPECT_EQ(slots->init(CPtr{2}, seL4_SlotRegion{50, 50}).code(), seL4_InvalidArgument);
    ASSERT_TRUE(slots->init(CPtr{2}, seL4_SlotRegion{50, 60}));
    EXPECT_EQ(slots->free(CPtr{49}).code(), seL4_RangeError);
    EXPECT_EQ(slots->free(CPtr{55}).code(), seL4_InvalidArgument);
    auto slot = slots->allocate();
    ASSERT_TRUE(slot);
    ASSERT_TRUE(slots->free(slot.value()));
    EXPECT_EQ(slots->free(slot.value()).code(), seL4_InvalidArgument);
}

TEST(SlotAllocator, GrowingKeepsHandedOutSlotsAndAddsFreeOnes)
{
    auto slots = std::make_unique<SlotAllocator>();
    ASSERT_TRUE(slots->init(CPtr{2}, seL4_SlotRegion{100, 102}));
    EXPECT_EQ(tessera::libos::raw(slots->allocate().value()), 100u);
    EXPECT_EQ(tessera::libos::raw(slots->allocate().value()), 101u);
    EXPECT_FALSE(slots->allocate());
    EXPECT_EQ(slots->grow(101).code(), seL4_InvalidArgument);
    ASSERT_TRUE(slots->grow(200));
    EXPECT_EQ(slots->available(), 98u);
    EXPECT_TRUE(slots->is_allocated(CPtr{100}));
    EXPECT_EQ(tessera::libos::raw(slots->allocate().value()), 102u);
    ASSERT_TRUE(slots->free(CPtr{100}));
    EXPECT_EQ(tessera::libos::raw(slots->allocate().value()), 100u);
    // Clipped to what the allocator can track.
    ASSERT_TRUE(slots->grow(SlotAllocator::MaxSlots * 4));
    EXPECT_EQ(slots->end(), 100 + SlotAllocator::MaxSlots);
}

TEST(SlotAllocator, ABudgetStopsAllocationWhereItIsSpentAndFreesRefillIt)
{
    auto slots = std::make_unique<SlotAllocator>();
    ASSERT_TRUE(slots->init(CPtr{2}, seL4_SlotRegion{10, 20}));
    ASSERT_TRUE(slots->allocate()); // 9 left
    slots->keep_free(6);            // a budget of 3
    auto first = slots->allocate();
    ASSERT_TRUE(first);
    ASSERT_TRUE(slots->allocate());
    ASSERT_TRUE(slots->allocate());
    auto spent = slots->allocate();
    ASSERT_FALSE(spent);
    EXPECT_EQ(spent.error().code, seL4_NotEnoughMemory);
    EXPECT_STREQ(spent.error().what, SlotBudgetSpent);
    EXPECT_EQ(slots->available(), 6u);
    ASSERT_TRUE(slots->free(first.value()));
    EXPECT_EQ(tessera::libos::raw(slots->allocate().value()), tessera::libos::raw(first.value()));
    EXPECT_FALSE(slots->allocate());
    slots->keep_free(0);
    for (int i = 0; i < 6; ++i)
        ASSERT_TRUE(slots->allocate());
    auto exhausted = slots->allocate();
    ASSERT_FALSE(exhausted);
    EXPECT_STRNE(exhausted.error().what, SlotBudgetSpent);
}

TEST_F(AllocFixture, ReadsTheBootInfoUntypedList)
{
    auto boot_info = std::make_unique<seL4_BootInfo>();
    boot_info->untyped = seL4_SlotRegion{40, 43};
    boot_info->untypedList[0] = seL4_UntypedDesc{0x100000, 20, 0};
    boot_info->untypedList[1] = seL4_UntypedDesc{0xfee00000, 12, 1};
    boot_info->untypedList[2] = seL4_UntypedDesc{0x400000, 22, 0};
    ASSERT_TRUE(untypeds.add_boot_info(*boot_info));
    ASSERT_EQ(untypeds.count(), 3u);
    EXPECT_EQ(tessera::libos::raw(untypeds.record(1).cap), 41u);
    EXPECT_EQ(untypeds.record(1).memory, Memory::Device);
    EXPECT_EQ(untypeds.record(2).size_bits, 22u);
    EXPECT_EQ(untypeds.free_bytes(), (1u << 20) + (1u << 22));
}

TEST_F(AllocFixture, RetypesIntoAFreshSlotAndPredictsThePhysicalAddress)
{
    add(10, 0x200000, 16);
    auto endpoint = objects.endpoint();
    ASSERT_TRUE(endpoint);
    auto frame = objects.frame();
    ASSERT_TRUE(frame);
    // The endpoint takes 16 bytes at the start; the frame is aligned up to the next 4 KiB.
    EXPECT_EQ(endpoint.value().paddr, PAddr{0x200000});
    EXPECT_EQ(frame.value().paddr, PAddr{0x201000});
    const fake::Cap* cap = fake::kernel.slot(tessera::libos::raw(frame.value().cap));
    ASSERT_NE(cap, nullptr);
    EXPECT_EQ(cap->type, seL4_X86_4K);
    EXPECT_EQ(cap->paddr, 0x201000u);
    EXPECT_EQ(fake::kernel.count(UntypedRetype), 2u);
}

TEST_F(AllocFixture, PrefersTheSmallestUntypedThatFitsAndSkipsDeviceMemory)
{
    add(10, 0x1000000, 18);
    add(11, 0xfe000000, 12, Memory::Device);
    add(12, 0x2000000, 13);
    auto tcb = objects.tcb();
    ASSERT_TRUE(tcb);
    EXPECT_EQ(tcb.value().paddr, PAddr{0x2000000});
    auto frames = std::vector<Object>{};
    for (int i = 0; i < 2; ++i)
        frames.push_back(objects.frame().value());
    // 8 KiB untyped: the TCB (2 KiB) leaves room for one frame at 0x2001000; the second frame
    // comes from the 256 KiB untyped.
    EXPECT_EQ(frames[0].paddr, PAddr{0x2001000});
    EXPECT_EQ(frames[1].paddr, PAddr{0x1000000});
}

TEST_F(AllocFixture, ReportsNotEnoughMemoryAndKeepsTheSlot)
{
    add(10, 0x200000, 12);
    ASSERT_TRUE(objects.frame());
    const seL4_Word available = slots->available();
    auto second = objects.frame();
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, seL4_NotEnoughMemory);
    EXPECT_EQ(slots->available(), available);
}

TEST_F(AllocFixture, RejectsUnknownTypesAndSizes)
{
    add(10, 0x200000, 16);
    EXPECT_EQ(objects.allocate(77).code(), seL4_InvalidArgument);
    EXPECT_EQ(objects.allocate(seL4_UntypedObject, SizeBits{2}).code(), seL4_InvalidArgument);
    EXPECT_EQ(fake::kernel.count(UntypedRetype), 0u);
}

TEST_F(AllocFixture, PassesKernelErrorsThrough)
{
    add(10, 0x200000, 16);
    fake::kernel.fail_label[UntypedRetype] = seL4_RangeError;
    auto object = objects.notification();
    ASSERT_FALSE(object);
    EXPECT_EQ(object.error().code, seL4_RangeError);
    EXPECT_EQ(untypeds.record(0).watermark, 0u);
    EXPECT_TRUE(objects.notification());
}

TEST_F(AllocFixture, SplitsLargeUntypedsIntoChunks)
{
    add(10, 0x40000000, 28);
    auto endpoint = objects.endpoint();
    ASSERT_TRUE(endpoint);
    ASSERT_EQ(untypeds.count(), 2u);
    EXPECT_EQ(untypeds.record(1).size_bits, UntypedAllocator::ChunkBits);
    EXPECT_EQ(untypeds.record(1).parent, 0);
    EXPECT_EQ(endpoint.value().untyped, 1u);
    // Further small objects come from the same chunk; the big untyped gave only 1 MiB.
    ASSERT_TRUE(objects.tcb());
    EXPECT_EQ(untypeds.count(), 2u);
    EXPECT_EQ(untypeds.record(0).watermark, seL4_Word{1} << UntypedAllocator::ChunkBits);
    const fake::Cap* chunk = fake::kernel.slot(tessera::libos::raw(untypeds.record(1).cap));
    ASSERT_NE(chunk, nullptr);
    EXPECT_EQ(chunk->type, seL4_UntypedObject);
    EXPECT_EQ(chunk->children, 2u);
    // A large object is not chunked.
    auto big = objects.allocate(seL4_UntypedObject, SizeBits{24});
    ASSERT_TRUE(big);
    EXPECT_EQ(big.value().untyped, 0u);
    EXPECT_EQ(big.value().paddr, PAddr{0x41000000});
}

TEST_F(AllocFixture, FreeingEveryObjectResetsTheWatermark)
{
    add(10, 0x200000, 16);
    auto a = objects.frame().value();
    auto b = objects.frame().value();
    const seL4_Word available = slots->available();
    ASSERT_TRUE(objects.free(a));
    EXPECT_EQ(untypeds.record(0).watermark, 0x2000u);
    EXPECT_EQ(fake::kernel.slot(tessera::libos::raw(a.cap)), nullptr);
    ASSERT_TRUE(objects.free(b));
    EXPECT_EQ(untypeds.record(0).watermark, 0u);
    EXPECT_EQ(slots->available(), available + 2);
    // The kernel agrees: the next frame lands at the start again.
    EXPECT_EQ(objects.frame().value().paddr, PAddr{0x200000});
}

TEST_F(AllocFixture, AllocatesAtAPhysicalAddressByFillingTheGap)
{
    add(10, 0xfe000000, 20, Memory::Device);
    auto registers = objects.allocate_at(seL4_X86_4K, SizeBits{0}, PAddr{0xfe0b3000});
    ASSERT_TRUE(registers);
    EXPECT_EQ(registers.value().paddr, PAddr{0xfe0b3000});
    const fake::Cap* cap = fake::kernel.slot(tessera::libos::raw(registers.value().cap));
    ASSERT_NE(cap, nullptr);
    EXPECT_EQ(cap->paddr, 0xfe0b3000u);
    EXPECT_TRUE(cap->device);
    // The fillers cover exactly the gap and are usable untypeds themselves.
    seL4_Word filled = 0;
    for (unsigned i = 1; i < untypeds.count(); ++i)
        filled += seL4_Word{1} << untypeds.record(i).size_bits;
    EXPECT_EQ(filled, 0xb3000u);
    auto again = objects.allocate_at(seL4_X86_4K, SizeBits{0}, PAddr{0xfe001000});
    ASSERT_TRUE(again);
    EXPECT_EQ(again.value().paddr, PAddr{0xfe001000});
    EXPECT_EQ(objects.allocate_at(seL4_X86_4K, SizeBits{0}, PAddr{0xfe0b3000}).code(),
              seL4_DeleteFirst);
    EXPECT_EQ(objects.allocate_at(seL4_X86_4K, SizeBits{0}, PAddr{0x1000}).code(),
              seL4_FailedLookup);
    EXPECT_EQ(objects.allocate_at(seL4_X86_4K, SizeBits{0}, PAddr{0xfe0b3800}).code(),
              seL4_AlignmentError);
}

// A handle kept after its object was freed must not delete the object that reuses its slot:
// UntypedAllocator::free used to delete whatever capability the slot held by then.
TEST_F(AllocFixture, RefusesAStaleHandleWhoseSlotWasReused)
{
    add(10, 0x200000, 16);
    auto first = objects.endpoint().value();
    ASSERT_TRUE(objects.free(first));
    auto second = objects.notification().value();
    ASSERT_EQ(second.cap, first.cap); // the lowest free slot again
    const seL4_Word available = slots->available();

    auto stale = objects.free(first);
    EXPECT_EQ(stale.code(), seL4_InvalidArgument);
    const fake::Cap* cap = fake::kernel.slot(tessera::libos::raw(second.cap));
    ASSERT_NE(cap, nullptr);
    EXPECT_EQ(cap->type, seL4_NotificationObject);
    EXPECT_EQ(slots->available(), available);
    EXPECT_EQ(untypeds.record(0).live, 1u);
    EXPECT_TRUE(objects.free(second));
}

TEST_F(AllocFixture, RefusesASecondFreeOfTheSameObject)
{
    add(10, 0x200000, 16);
    auto kept = objects.frame().value();
    auto twice = objects.frame().value();
    ASSERT_TRUE(untypeds.free(twice)); // the caller keeps the slot allocated
    EXPECT_EQ(untypeds.free(twice).code(), seL4_InvalidArgument);
    EXPECT_EQ(objects.free(twice).code(), seL4_InvalidArgument);
    // The untyped still counts the live frame, so its watermark was not reset under it.
    EXPECT_EQ(untypeds.record(0).live, 1u);
    EXPECT_EQ(untypeds.record(0).watermark, 0x2000u);
    EXPECT_TRUE(objects.free(kept));
}

TEST_F(AllocFixture, RefusesAHandleToASlotItNeverHandedOut)
{
    add(10, 0x200000, 16);
    auto frame = objects.frame().value();
    Object foreign = frame;
    foreign.cap = CPtr{50}; // below the region
    EXPECT_EQ(objects.free(foreign).code(), seL4_InvalidArgument);
    EXPECT_NE(fake::kernel.slot(tessera::libos::raw(frame.cap)), nullptr);
}
