// The C interface of the allocators over a BootInfo, against the fake kernel.
#include "fake_kernel.h"

#include <tessera/alloc.h>
#include <tessera/alloc/object_allocator.h>

#include <gtest/gtest.h>

#include <memory>

namespace {

std::unique_ptr<seL4_BootInfo> boot_info()
{
    fake::reset();
    auto bi = std::make_unique<seL4_BootInfo>();
    bi->empty = seL4_SlotRegion{200, 210};
    bi->untyped = seL4_SlotRegion{20, 22};
    bi->untypedList[0] = seL4_UntypedDesc{0x100000, 16, 0};
    bi->untypedList[1] = seL4_UntypedDesc{0xfebf0000, 14, 1};
    fake::add_untyped(20, 0x100000, 16);
    fake::add_untyped(21, 0xfebf0000, 14, true);
    return bi;
}

} // namespace

TEST(AllocCApi, AllocatesAndFreesObjectsFromTheBootInfo)
{
    auto bi = boot_info();
    ASSERT_EQ(tessera_alloc_init(bi.get()), seL4_NoError);
    ASSERT_NE(tessera::alloc::process_allocator(), nullptr);
    tessera_object_t endpoint{}, cnode{};
    ASSERT_EQ(tessera_alloc_object(seL4_EndpointObject, 0, &endpoint), seL4_NoError);
    EXPECT_EQ(endpoint.cptr, 200u);
    EXPECT_EQ(endpoint.paddr, 0x100000u);
    ASSERT_EQ(tessera_alloc_object(seL4_CapTableObject, 4, &cnode), seL4_NoError);
    EXPECT_EQ(cnode.paddr, 0x100200u); // 16 slots of 32 bytes, aligned to 512 bytes
    ASSERT_NE(fake::kernel.slot(201), nullptr);
    EXPECT_EQ(fake::kernel.slot(201)->size_bits, 4u);
    ASSERT_EQ(tessera_alloc_free(&endpoint), seL4_NoError);
    EXPECT_EQ(fake::kernel.slot(200), nullptr);
    seL4_CPtr slot = 0;
    ASSERT_EQ(tessera_alloc_slot(&slot), seL4_NoError);
    EXPECT_EQ(slot, 200u);
    EXPECT_EQ(tessera_alloc_free_slot(slot), seL4_NoError);
    EXPECT_EQ(tessera_alloc_free_slot(slot), seL4_InvalidArgument);
}

TEST(AllocCApi, ReachesDeviceMemoryOnlyByAddress)
{
    auto bi = boot_info();
    ASSERT_EQ(tessera_alloc_init(bi.get()), seL4_NoError);
    tessera_object_t frame{};
    ASSERT_EQ(tessera_alloc_object_at(seL4_X86_4K, 0, 0xfebf2000, &frame), seL4_NoError);
    EXPECT_EQ(frame.paddr, 0xfebf2000u);
    EXPECT_TRUE(fake::kernel.slot(frame.cptr)->device);
    // Sixteen 4 KiB frames fill the RAM untyped; the device untyped is never used for them.
    int frames = 0;
    tessera_object_t any{};
    while (tessera_alloc_object(seL4_X86_4K, 0, &any) == seL4_NoError) {
        EXPECT_FALSE(fake::kernel.slot(any.cptr)->device);
        ++frames;
    }
    EXPECT_LE(frames, 16);
}

TEST(AllocCApi, ReportsErrorsAsSeL4Codes)
{
    auto bi = boot_info();
    EXPECT_EQ(tessera_alloc_init(nullptr), seL4_InvalidArgument);
    ASSERT_EQ(tessera_alloc_init(bi.get()), seL4_NoError);
    tessera_object_t object{};
    EXPECT_EQ(tessera_alloc_object(seL4_UntypedObject, 20, &object), seL4_NotEnoughMemory);
    EXPECT_EQ(tessera_alloc_object(99, 0, &object), seL4_InvalidArgument);
    EXPECT_EQ(tessera_alloc_object(seL4_X86_4K, 0, nullptr), seL4_IllegalOperation);
    bi->empty = seL4_SlotRegion{5, 5};
    EXPECT_EQ(tessera_alloc_init(bi.get()), seL4_InvalidArgument);
}

TEST(AllocCApi, RefusesAStaleHandleWithoutTouchingTheSlotsNewObject)
{
    auto bi = boot_info();
    ASSERT_EQ(tessera_alloc_init(bi.get()), seL4_NoError);
    tessera_object_t old{}, reused{};
    ASSERT_EQ(tessera_alloc_object(seL4_EndpointObject, 0, &old), seL4_NoError);
    ASSERT_EQ(tessera_alloc_free(&old), seL4_NoError);
    ASSERT_EQ(tessera_alloc_object(seL4_X86_4K, 0, &reused), seL4_NoError);
    ASSERT_EQ(reused.cptr, old.cptr);
    EXPECT_EQ(tessera_alloc_free(&old), seL4_InvalidArgument);
    ASSERT_NE(fake::kernel.slot(reused.cptr), nullptr);
    EXPECT_EQ(fake::kernel.slot(reused.cptr)->type, seL4_X86_4K);
    EXPECT_EQ(tessera_alloc_free(&reused), seL4_NoError);
}
