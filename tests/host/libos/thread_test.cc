// Threads against the fake kernel: guarded stacks, TLS blocks, TCB set-up, start registers, the
// body's signal, join and destruction. The body runs on the test's own thread to stand in for the
// new thread. The managed range is real host memory, since create() writes the TLS block.
#include "fake_kernel.h"

#include <tessera/abi/invocation_labels.h>
#include <tessera/thread/thread.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

using namespace tessera;
using libos::CPtr;
using libos::VAddr;
using thread::State;
using thread::Thread;

namespace {

constexpr seL4_Word Bottom = 0x10000000;

// A TLS template of 40 bytes: 3 initialised, the rest .tbss. Its area fits one page.
const char tls_data[] = "abc";
const runtime::TlsImage small_tls{tls_data, 3, 40, 8};

struct ThreadFixture : ::testing::Test {
    fake::HostRange memory{Bottom, 64u << 20};
    std::unique_ptr<alloc::SlotAllocator> slots = std::make_unique<alloc::SlotAllocator>();
    alloc::UntypedAllocator untypeds{*slots};
    alloc::ObjectAllocator objects{*slots, untypeds};
    std::vector<vspace::Mapping> storage = std::vector<vspace::Mapping>(64);
    std::unique_ptr<vspace::VSpace> space;
    thread::ThreadConfig config;

    void SetUp() override
    {
        ASSERT_TRUE(memory.ok()) << "host range in use";
        fake::reset();
        fake::kernel.self_is_host_memory = true;
        ASSERT_TRUE(slots->init(CPtr{seL4_CapInitThreadCNode}, seL4_SlotRegion{100, 4000}));
        fake::add_untyped(10, 0x1000000, 20);
        ASSERT_TRUE(untypeds.add(CPtr{10}, libos::PAddr{0x1000000}, alloc::SizeBits{20},
                                 alloc::Memory::Ram));
        space =
            std::make_unique<vspace::VSpace>(objects, CPtr{seL4_CapInitThreadVSpace}, VAddr{Bottom},
                                             VAddr{Bottom + (64u << 20)}, storage.data(), 64);
        config.tls = small_tls;
        config.stack_pages = 3;
        config.guard_pages = 2;
        config.priority = 77;
    }

    const fake::Tcb& fake_tcb(const Thread& t)
    {
        return fake::kernel.tcbs.at(fake::kernel.slot(libos::raw(t.tcb()))->id);
    }
};

void* double_it(void* argument)
{
    return reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(argument) * 2);
}

} // namespace

TEST_F(ThreadFixture, CreatesAStackAboveUnmappedGuardPages)
{
    Thread t;
    ASSERT_TRUE(t.create(objects, *space, config));
    EXPECT_EQ(t.state(), State::Created);
    const VAddr base = t.reservation().base;
    // Two guard pages, three stack pages, one TLS page, the IPC buffer.
    EXPECT_EQ(t.reservation().pages, 2u + 3u + 1u + 1u);
    EXPECT_EQ(space->lookup(base), nullptr);
    EXPECT_EQ(space->lookup(base + 4096), nullptr);
    EXPECT_TRUE(fake::kernel.page_bytes(fake::root_vspace(), base.raw() + 4096).empty());
    for (int i = 2; i < 7; ++i)
        EXPECT_NE(space->lookup(base + i * 4096), nullptr) << i;
    EXPECT_EQ(t.stack_top(), base + 5 * 4096);
    EXPECT_EQ(t.ipc_buffer(), base + 6 * 4096);
}

TEST_F(ThreadFixture, GivesTheThreadItsOwnTlsBlockAndSetsItsBase)
{
    Thread t;
    ASSERT_TRUE(t.create(objects, *space, config));
    const seL4_Word tp = t.tls_base().raw();
    // Between the stack and the IPC buffer, aligned, the self pointer at the thread pointer.
    EXPECT_GE(tp, t.stack_top().raw() + 40);
    EXPECT_LT(tp + runtime::ThreadControlBytes, t.ipc_buffer().raw() + 1);
    EXPECT_EQ(tp % 16, 0u);
    EXPECT_EQ(*reinterpret_cast<const seL4_Word*>(tp), tp);
    // The image sits at tp - align_up(40, 8), the .tbss after it is zero.
    const char* block = reinterpret_cast<const char*>(tp - 40);
    EXPECT_EQ(std::string(block, 3), "abc");
    EXPECT_EQ(std::string(block + 3, 37), std::string(37, '\0'));
    EXPECT_EQ(fake_tcb(t).tls_base, tp);
}

TEST_F(ThreadFixture, TwoThreadsHaveDisjointTlsBlocks)
{
    Thread a, b;
    ASSERT_TRUE(a.create(objects, *space, config));
    ASSERT_TRUE(b.create(objects, *space, config));
    EXPECT_NE(a.tls_base(), b.tls_base());
    EXPECT_EQ(*reinterpret_cast<const seL4_Word*>(a.tls_base().raw()), a.tls_base().raw());
    EXPECT_EQ(*reinterpret_cast<const seL4_Word*>(b.tls_base().raw()), b.tls_base().raw());
}

TEST_F(ThreadFixture, ALargeTlsImageGetsSeveralPages)
{
    static char big[6000];
    config.tls = runtime::TlsImage{big, sizeof(big), 9000, 64};
    Thread t;
    ASSERT_TRUE(t.create(objects, *space, config));
    EXPECT_EQ(t.ipc_buffer() - t.stack_top(), 3 * 4096u);
    EXPECT_EQ(t.tls_base().raw() % 64, 0u);
}

TEST_F(ThreadFixture, ConfiguresTheTcbInTheCallersSpaces)
{
    Thread t;
    config.fault_endpoint = CPtr{55};
    ASSERT_TRUE(t.create(objects, *space, config));
    const fake::Tcb& tcb = fake_tcb(t);
    EXPECT_TRUE(tcb.configured);
    EXPECT_EQ(tcb.fault_ep, 55u);
    EXPECT_EQ(tcb.cspace, seL4_Word{seL4_CapInitThreadCNode});
    EXPECT_EQ(tcb.vspace, seL4_Word{seL4_CapInitThreadVSpace});
    EXPECT_EQ(tcb.buffer, t.ipc_buffer().raw());
    EXPECT_EQ(tcb.buffer_frame, libos::raw(space->lookup(t.ipc_buffer())->frame.cap));
    EXPECT_EQ(tcb.priority, 77u);
    EXPECT_FALSE(tcb.resumed);
}

TEST_F(ThreadFixture, StartsAtTheEntryStubWithAnAbiAlignedStack)
{
    Thread t;
    ASSERT_TRUE(t.create(objects, *space, config));
    ASSERT_TRUE(t.start(double_it, reinterpret_cast<void*>(21)));
    const fake::Tcb& tcb = fake_tcb(t);
    EXPECT_TRUE(tcb.resumed);
    EXPECT_NE(tcb.regs.rip, 0u);
    EXPECT_EQ(tcb.regs.rdi, reinterpret_cast<seL4_Word>(&t));
    EXPECT_EQ(tcb.regs.rsp, t.stack_top().raw() - 8);
    EXPECT_EQ(tcb.regs.rsp % 16, 8u);
    EXPECT_EQ(tcb.regs.rflags, libos::InitialUserFlags); // interrupts on: preemptible
    EXPECT_EQ(tcb.regs.fs_base, t.tls_base().raw());
    EXPECT_EQ(tcb.tls_base, t.tls_base().raw());
    EXPECT_EQ(t.start(double_it, nullptr).code(), seL4_IllegalOperation);
}

TEST_F(ThreadFixture, JoinReturnsTheEntrysResultAfterTheBodySignals)
{
    Thread t;
    ASSERT_TRUE(t.create(objects, *space, config));
    EXPECT_EQ(t.join().code(), seL4_IllegalOperation);
    ASSERT_TRUE(t.start(double_it, reinterpret_cast<void*>(21)));
    EXPECT_EQ(t.state(), State::Running);
    t.run_body();
    EXPECT_EQ(t.state(), State::Finished);
    ASSERT_EQ(fake::kernel.signals.size(), 1u);
    const fake::Cap* done = fake::kernel.slot(fake::kernel.signals[0]);
    ASSERT_NE(done, nullptr);
    EXPECT_EQ(done->type, seL4_NotificationObject);
    auto result = t.join();
    ASSERT_TRUE(result);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(result.value()), 42u);
}

TEST_F(ThreadFixture, RefusesAMalformedTlsImageOrNoStack)
{
    Thread t;
    config.tls = runtime::TlsImage{tls_data, 3, 40, 12}; // alignment not a power of two
    EXPECT_EQ(t.create(objects, *space, config).code(), seL4_InvalidArgument);
    config.tls = runtime::TlsImage{tls_data, 50, 40, 8}; // more file than memory
    EXPECT_EQ(t.create(objects, *space, config).code(), seL4_InvalidArgument);
    config.tls = small_tls;
    config.guard_pages = 0;
    EXPECT_EQ(t.create(objects, *space, config).code(), seL4_RangeError);
    EXPECT_EQ(t.start(double_it, nullptr).code(), seL4_IllegalOperation);
    EXPECT_EQ(fake::kernel.log.size(), 0u);
}

TEST_F(ThreadFixture, AFailedCreateLeavesNothingBehind)
{
    const seL4_Word before = slots->available();
    fake::kernel.fail_label[TCBSetPriority] = seL4_RangeError;
    Thread t;
    auto created = t.create(objects, *space, config);
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().code, seL4_RangeError);
    EXPECT_EQ(t.state(), State::Empty);
    EXPECT_EQ(space->mapped_pages(), 0u);
    EXPECT_EQ(slots->available() + space->tables(), before);
    EXPECT_TRUE(fake::kernel.pages.empty());
}

TEST_F(ThreadFixture, DestroyFreesTheThreadsObjectsAndRange)
{
    Thread t;
    ASSERT_TRUE(t.create(objects, *space, config));
    const seL4_CPtr tcb = libos::raw(t.tcb());
    const VAddr base = t.reservation().base;
    ASSERT_TRUE(t.start(double_it, nullptr));
    ASSERT_TRUE(t.destroy());
    EXPECT_EQ(t.state(), State::Empty);
    EXPECT_EQ(fake::kernel.slot(tcb), nullptr);
    EXPECT_EQ(space->mapped_pages(), 0u);
    EXPECT_TRUE(fake::kernel.pages.empty());
    EXPECT_EQ(slots->available() + space->tables(), 3900u);
    // The range is free again: the next thread gets the same one.
    Thread again;
    ASSERT_TRUE(again.create(objects, *space, config));
    EXPECT_EQ(again.reservation().base, base);
}
