// Futex keys: a MAP_SHARED word is the same futex in a forked child (the page's frame), a
// private word is its own in each address space (copy-on-write pages included), and
// FUTEX_PRIVATE_FLAG always means the address space; misaligned words are EINVAL.
#include <gtest/gtest.h>

#include <memory>

#include "core/sync/futex_key.h"
#include "linux/constants.h"
#include "test_memory.h"

namespace tessera::posix {
namespace {

constexpr uint32_t ReadWrite = linux::mman::ProtRead | linux::mman::ProtWrite;

struct FutexKeyTest : ::testing::Test {
    test::TestPool pool{16};
    test::RecordingBackend backend;
    std::unique_ptr<AddressSpace> parent = make_space();
    std::unique_ptr<AddressSpace> child = make_space();

    std::unique_ptr<AddressSpace> make_space()
    {
        return std::make_unique<AddressSpace>(pool, backend, backend.create_space().value());
    }
    uint64_t map(bool shared)
    {
        auto r = parent->map(0, PageSize, ReadWrite, shared, nullptr, 0, AddressSpace::Placement::Hint);
        EXPECT_TRUE(r);
        return r ? r.value() : 0;
    }
};

TEST_F(FutexKeyTest, ASharedWordIsOneFutexAcrossFork)
{
    const uint64_t shared = map(true);
    const uint32_t zero = 0;
    ASSERT_TRUE(parent->write(shared + 8, &zero, 4));
    ASSERT_TRUE(parent->duplicate_into(*child));
    auto mine = futex_key(*parent, shared + 8, false);
    auto theirs = futex_key(*child, shared + 8, false);
    ASSERT_TRUE(mine);
    ASSERT_TRUE(theirs);
    EXPECT_EQ(mine.value(), theirs.value());
    EXPECT_EQ(mine.value().base, nullptr);
    EXPECT_NE(futex_key(*parent, shared + 12, false).value(), mine.value());
    // With FUTEX_PRIVATE_FLAG the two processes do not meet.
    EXPECT_NE(futex_key(*parent, shared + 8, true).value(), futex_key(*child, shared + 8, true).value());
}

TEST_F(FutexKeyTest, APrivateWordIsTheAddressSpaceAndTheAddress)
{
    const uint64_t own = map(false);
    const uint32_t zero = 0;
    ASSERT_TRUE(parent->write(own, &zero, 4));
    ASSERT_TRUE(parent->duplicate_into(*child)); // copy-on-write: one frame for now
    auto mine = futex_key(*parent, own, false);
    ASSERT_TRUE(mine);
    EXPECT_EQ(mine.value().base, parent.get());
    EXPECT_EQ(mine.value().offset, own);
    EXPECT_NE(mine.value(), futex_key(*child, own, false).value());
    EXPECT_EQ(mine.value(), futex_key(*parent, own, true).value());
}

TEST_F(FutexKeyTest, MisalignedIsInvalAndAnUnreadableSharedWordIsFault)
{
    const uint64_t shared = map(true);
    EXPECT_EQ(futex_key(*parent, shared + 2, false).error(), Errno::Inval);
    ASSERT_TRUE(parent->protect(shared, PageSize, 0));
    EXPECT_EQ(futex_key(*parent, shared, false).error(), Errno::Fault);
    // An unmapped private word has a key: waking there finds nobody, as on Linux.
    EXPECT_TRUE(futex_key(*parent, 0x1000, false));
}

} // namespace
} // namespace tessera::posix
