// Threads against the fake kernel: guarded stacks, TCB set-up, start registers, the body's
// signal, join and destruction. The body runs on the test's own thread to stand in for the new
// thread.
#include "fake_kernel.h"

#include <tessera/abi/invocation_labels.h>
#include <tessera/thread/thread.h>

#include <gtest/gtest.h>

#include <memory>
#include <vector>

using namespace tessera;
using libos::CPtr;
using libos::VAddr;
using thread::State;
using thread::Thread;

namespace {

constexpr seL4_Word Bottom = 0x10000000;

struct ThreadFixture : ::testing::Test {
    std::unique_ptr<alloc::SlotAllocator> slots = std::make_unique<alloc::SlotAllocator>();
    alloc::UntypedAllocator untypeds{*slots};
    alloc::ObjectAllocator objects{*slots, untypeds};
    std::vector<vspace::Mapping> storage = std::vector<vspace::Mapping>(64);
    std::unique_ptr<vspace::VSpace> space;
    thread::ThreadConfig config;

    void SetUp() override
    {
        fake::reset();
        ASSERT_TRUE(slots->init(CPtr{seL4_CapInitThreadCNode}, seL4_SlotRegion{100, 4000}));
        fake::add_untyped(10, 0x1000000, 20);
        ASSERT_TRUE(untypeds.add(CPtr{10}, libos::PAddr{0x1000000}, alloc::SizeBits{20},
                                 alloc::Memory::Ram));
        space =
            std::make_unique<vspace::VSpace>(objects, CPtr{seL4_CapInitThreadVSpace}, VAddr{Bottom},
                                             VAddr{Bottom + (64u << 20)}, storage.data(), 64);
        config.tls_base = VAddr{0x7000};
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
    EXPECT_EQ(t.reservation().pages, 2u + 3u + 1u);
    EXPECT_EQ(space->lookup(base), nullptr);
    EXPECT_EQ(space->lookup(base + 4096), nullptr);
    EXPECT_TRUE(fake::kernel.page_bytes(fake::root_vspace(), base.raw() + 4096).empty());
    for (int i = 2; i < 6; ++i)
        EXPECT_NE(space->lookup(base + i * 4096), nullptr) << i;
    EXPECT_EQ(t.stack_top(), base + 5 * 4096);
    EXPECT_EQ(t.ipc_buffer(), base + 5 * 4096);
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
    EXPECT_EQ(tcb.regs.fs_base, 0x7000u);
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

TEST_F(ThreadFixture, RefusesAThreadWithoutTlsOrStack)
{
    Thread t;
    config.tls_base = VAddr{0};
    EXPECT_EQ(t.create(objects, *space, config).code(), seL4_InvalidArgument);
    config.tls_base = VAddr{0x7000};
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
