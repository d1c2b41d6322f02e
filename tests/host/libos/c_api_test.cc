// The C interfaces of the address-space and thread libraries, on the process-wide allocator,
// against the fake kernel.
#include "fake_kernel.h"

#include <tessera/abi/invocation_labels.h>
#include <tessera/alloc.h>
#include <tessera/thread.h>
#include <tessera/thread/thread.h>
#include <tessera/vspace.h>

#include <gtest/gtest.h>

#include <memory>

namespace {

struct CApiFixture : ::testing::Test {
    // The VSpace's range is real host memory: thread creation writes TLS blocks through it.
    fake::HostRange memory{0x10000000, 0x10000000};
    std::unique_ptr<seL4_BootInfo> bi = std::make_unique<seL4_BootInfo>();

    void SetUp() override
    {
        ASSERT_TRUE(memory.ok()) << "host range in use";
        fake::reset();
        fake::kernel.self_is_host_memory = true;
        bi->empty = seL4_SlotRegion{200, 400};
        bi->untyped = seL4_SlotRegion{20, 21};
        bi->untypedList[0] = seL4_UntypedDesc{0x100000, 20, 0};
        fake::add_untyped(20, 0x100000, 20);
        ASSERT_EQ(tessera_alloc_init(bi.get()), seL4_NoError);
        ASSERT_EQ(tessera_vspace_init(0x10000000, 0x20000000), seL4_NoError);
    }
};

void* add_one(void* argument)
{
    return static_cast<char*>(argument) + 1;
}

} // namespace

TEST_F(CApiFixture, VSpaceNewPagesLeavesGuardsUnmappedAndFreesAll)
{
    EXPECT_EQ(tessera_vspace_init(0x10000001, 0x20000000), seL4_InvalidArgument);
    seL4_Word vaddr = 0;
    ASSERT_EQ(tessera_vspace_new_pages(3, 1, seL4_ReadWrite, &vaddr), seL4_NoError);
    EXPECT_EQ(vaddr, 0x10001000u);
    const uint64_t root = fake::root_vspace();
    EXPECT_TRUE(fake::kernel.page_bytes(root, 0x10000000).empty());
    for (int i = 0; i < 3; ++i)
        EXPECT_FALSE(fake::kernel.page_bytes(root, vaddr + i * 4096).empty());
    ASSERT_EQ(tessera_vspace_free_pages(vaddr + 4096), seL4_NoError);
    EXPECT_TRUE(fake::kernel.pages.empty());
    EXPECT_EQ(tessera_vspace_free_pages(vaddr), seL4_InvalidArgument);
    seL4_Word again = 0;
    ASSERT_EQ(tessera_vspace_new_pages(1, 1, seL4_ReadWrite, &again), seL4_NoError);
    EXPECT_EQ(again, 0x10001000u);
}

TEST_F(CApiFixture, ThreadRunsJoinsAndIsDestroyed)
{
    tessera_thread_t thread;
    ASSERT_EQ(tessera_thread_create(&thread, 2, 99, seL4_CapNull), seL4_NoError);
    const seL4_CPtr tcb = tessera_thread_tcb(&thread);
    ASSERT_NE(fake::kernel.slot(tcb), nullptr);
    EXPECT_EQ(fake::kernel.slot(tcb)->type, seL4_TCBObject);
    char text[] = "ab";
    ASSERT_EQ(tessera_thread_start(&thread, add_one, text), seL4_NoError);
    const fake::Tcb& state = fake::kernel.tcbs.at(fake::kernel.slot(tcb)->id);
    EXPECT_TRUE(state.resumed);
    EXPECT_EQ(state.priority, 99u);
    const seL4_Word tp = tessera_thread_tls_base(&thread);
    EXPECT_NE(tp, 0u);
    EXPECT_EQ(state.regs.fs_base, tp);
    EXPECT_EQ(*reinterpret_cast<const seL4_Word*>(tp), tp);
    // Stand in for the new thread.
    reinterpret_cast<tessera::thread::Thread*>(thread.opaque)->run_body();
    void* result = nullptr;
    ASSERT_EQ(tessera_thread_join(&thread, &result), seL4_NoError);
    EXPECT_EQ(result, text + 1);
    ASSERT_EQ(tessera_thread_destroy(&thread), seL4_NoError);
    EXPECT_EQ(fake::kernel.slot(tcb), nullptr);
    EXPECT_TRUE(fake::kernel.pages.empty());
    EXPECT_EQ(tessera_thread_destroy(&thread), seL4_IllegalOperation);
}

TEST_F(CApiFixture, ThreadErrorsAreSeL4Codes)
{
    tessera_thread_t thread;
    EXPECT_EQ(tessera_thread_create(&thread, 0, 99, seL4_CapNull), seL4_RangeError);
    EXPECT_EQ(tessera_thread_start(&thread, nullptr, nullptr), seL4_InvalidArgument);
    ASSERT_EQ(tessera_thread_create(&thread, 2, 99, seL4_CapNull), seL4_NoError);
    EXPECT_EQ(tessera_thread_join(&thread, nullptr), seL4_IllegalOperation);
    fake::kernel.fail_label[TCBWriteRegisters] = seL4_InvalidCapability;
    EXPECT_EQ(tessera_thread_start(&thread, add_one, nullptr), seL4_InvalidCapability);
    EXPECT_EQ(tessera_thread_start(&thread, add_one, nullptr), seL4_NoError);
}
