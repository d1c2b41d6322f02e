// The per-thread IPC buffer cache (core/ipc/ipc_buffer_cache.h): it answers only for the Buffer
// slot capability and buffer address it was filled from, so each way the kernel changes a
// thread's buffer (SetIPCBuffer, TCB configure, deleting the frame capability) finds it again.

#include <gtest/gtest.h>

#include "ipc/ipc_buffer_cache.h"

namespace tessera::core::test {
namespace {

// Stands for the architecture's decoding of the frame capability: counts its calls and returns
// what the test set.
struct CountingFind {
    FoundIpcBuffer result;
    int calls = 0;
    FoundIpcBuffer operator()()
    {
        ++calls;
        return result;
    }
};

struct IpcBufferCacheFixture : ::testing::Test {
    IpcBufferCache cache;
    Word first_frame[512] = {};
    Word second_frame[512] = {};
    const Cap first_cap = Cap::of_type(CapType::Frame, 0x1000, 0x11);
    const Cap second_cap = Cap::of_type(CapType::Frame, 0x2000, 0x11);
    static constexpr Word Address = 0x40'0000;

    Word* lookup(Cap cap, Word address, bool for_write, CountingFind& find)
    {
        return cache.lookup(cap, address, for_write, [&] { return find(); });
    }
};

TEST_F(IpcBufferCacheFixture, SecondLookupOfTheSameBufferDecodesNothing)
{
    CountingFind find{{first_frame, true}};
    EXPECT_EQ(lookup(first_cap, Address, false, find), first_frame);
    EXPECT_EQ(lookup(first_cap, Address, true, find), first_frame);
    EXPECT_EQ(lookup(first_cap, Address, false, find), first_frame);
    EXPECT_EQ(find.calls, 1);
}

TEST_F(IpcBufferCacheFixture, NewBufferAddressIsFoundAgain) // SetIPCBuffer with the same frame
{
    CountingFind find{{first_frame, true}};
    lookup(first_cap, Address, true, find);
    find.result.words = first_frame + 64;
    EXPECT_EQ(lookup(first_cap, Address + 512, true, find), first_frame + 64);
    EXPECT_EQ(find.calls, 2);
    EXPECT_EQ(lookup(first_cap, Address + 512, true, find), first_frame + 64);
    EXPECT_EQ(find.calls, 2);
}

TEST_F(IpcBufferCacheFixture, NewFrameCapabilityIsFoundAgain) // TCB configure or SetIPCBuffer
{
    CountingFind find{{first_frame, true}};
    lookup(first_cap, Address, true, find);
    find.result.words = second_frame;
    EXPECT_EQ(lookup(second_cap, Address, true, find), second_frame);
    EXPECT_EQ(find.calls, 2);
}

TEST_F(IpcBufferCacheFixture, DeletedFrameCapabilityLeavesNoBuffer) // the slot emptied by delete or revoke
{
    CountingFind find{{first_frame, true}};
    lookup(first_cap, Address, true, find);
    find.result = FoundIpcBuffer{};
    EXPECT_EQ(lookup(Cap{}, Address, false, find), nullptr);
    EXPECT_EQ(lookup(Cap{}, Address, true, find), nullptr);
    EXPECT_EQ(find.calls, 3); // no buffer is not remembered: each message finds none again
}

TEST_F(IpcBufferCacheFixture, FreshCacheHasNoBufferForAThreadWithout)
{
    CountingFind find{{first_frame, true}}; // never asked: an empty slot at 0 is the zero entry
    EXPECT_EQ(lookup(Cap{}, 0, true, find), nullptr);
    EXPECT_EQ(find.calls, 0);
}

TEST_F(IpcBufferCacheFixture, ReadOnlyBufferIsReadableNotWritableAndNeverRemembered)
{
    CountingFind find{{first_frame, false}};
    EXPECT_EQ(lookup(first_cap, Address, false, find), first_frame);
    EXPECT_EQ(lookup(first_cap, Address, true, find), nullptr);
    EXPECT_EQ(lookup(first_cap, Address, false, find), first_frame);
    EXPECT_EQ(find.calls, 3);
}

TEST_F(IpcBufferCacheFixture, ReadOnlyCapabilityAfterAWritableOneIsNotServedFromTheCache)
{
    CountingFind find{{first_frame, true}};
    lookup(first_cap, Address, true, find);
    const Cap read_only = Cap::of_type(CapType::Frame, 0x1000, 0x10);
    find.result = FoundIpcBuffer{first_frame, false};
    EXPECT_EQ(lookup(read_only, Address, true, find), nullptr);
    EXPECT_EQ(find.calls, 2);
}

} // namespace
} // namespace tessera::core::test
