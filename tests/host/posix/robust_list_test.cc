// Robust futex lists as Linux walks them at a thread's exit: the entries in order with the
// futex offset, list_op_pending last and not twice, the PI bit, the 2048-entry limit on a
// circular list, a bad link ending the walk; and handle_futex_death's rule for each word.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "core/sync/futex_op.h"
#include "core/sync/robust_list.h"
#include "linux/constants.h"
#include "test_memory.h"

namespace tessera::posix {
namespace {

constexpr uint32_t ReadWrite = linux::mman::ProtRead | linux::mman::ProtWrite;
constexpr int64_t Offset = -8; // musl's: the lock word 8 bytes before the link

struct RobustListTest : ::testing::Test {
    test::TestPool pool{8};
    test::RecordingBackend backend;
    AddressSpace space{pool, backend, backend.create_space().value()};
    uint64_t page = 0;

    void SetUp() override
    {
        auto r = space.map(0, PageSize, ReadWrite, false, nullptr, 0, AddressSpace::Placement::Hint);
        ASSERT_TRUE(r);
        page = r.value();
    }
    void put(uint64_t address, uint64_t value) { ASSERT_TRUE(space.write(address, &value, 8)); }
    // The head at page + 0: its first link (low bit: PI), the offset and list_op_pending.
    void head(uint64_t first, uint64_t pending)
    {
        put(page, first);
        put(page + 8, uint64_t(Offset));
        put(page + 16, pending);
    }
    std::vector<RobustWord> walk(uint64_t at)
    {
        std::vector<RobustWord> words;
        RobustListWalk w(space, at);
        for (RobustWord word; w.next(word);)
            words.push_back(word);
        return words;
    }
};

TEST_F(RobustListTest, EntriesInOrderThenThePendingOneNotTwice)
{
    const uint64_t a = page + 0x100, b = page + 0x200, c = page + 0x300;
    head(a, b); // b is also list_op_pending
    put(a, b | 1); // b is a PI futex
    put(b, c);
    put(c, page); // back at the head
    auto words = walk(page);
    ASSERT_EQ(words.size(), 3u);
    EXPECT_EQ(words[0].address, a + Offset);
    EXPECT_FALSE(words[0].pi);
    EXPECT_FALSE(words[0].pending);
    EXPECT_EQ(words[1].address, c + Offset) << "b is skipped in the list: it is the pending one";
    EXPECT_EQ(words[2].address, b + Offset);
    EXPECT_TRUE(words[2].pending);
    EXPECT_FALSE(words[2].pi) << "the pending link's own low bit says PI, not the list's";
}

TEST_F(RobustListTest, AnEmptyListGivesOnlyThePendingWord)
{
    head(page, 0);
    EXPECT_TRUE(walk(page).empty());
    head(page, (page + 0x400) | 1);
    auto words = walk(page);
    ASSERT_EQ(words.size(), 1u);
    EXPECT_EQ(words[0].address, page + 0x400 + Offset);
    EXPECT_TRUE(words[0].pi);
    EXPECT_TRUE(words[0].pending);
}

TEST_F(RobustListTest, ACircularListStopsAtTheLimitAndThePendingWordStillComes)
{
    const uint64_t a = page + 0x100, b = page + 0x200;
    head(a, page + 0x300);
    put(a, b);
    put(b, a); // never back at the head
    auto words = walk(page);
    ASSERT_EQ(words.size(), RobustListLimit + 1);
    EXPECT_EQ(words[RobustListLimit].address, page + 0x300 + Offset);
}

TEST_F(RobustListTest, ABadLinkEndsTheWalkAfterItsEntryAndABadHeadGivesNothing)
{
    const uint64_t a = page + 0x100, unmapped = page + 16 * PageSize;
    head(a, page + 0x300);
    put(a, unmapped);
    auto words = walk(page);
    ASSERT_EQ(words.size(), 2u);
    EXPECT_EQ(words[0].address, a + Offset);
    EXPECT_EQ(words[1].address, unmapped + Offset) << "its word is handled, its link not read";
    EXPECT_TRUE(walk(unmapped).empty());
    EXPECT_TRUE(walk(0).empty());
}

TEST(OwnerDeath, AnOwnedWordGetsOwnerDiedAndWakesOneWaiterUnlessPi)
{
    using namespace pi_word;
    const RobustWord plain{0x1000, false, false}, pi{0x1000, true, false};
    auto died = owner_death(42 | Waiters, 42, plain);
    EXPECT_TRUE(died.store);
    EXPECT_EQ(died.value, Waiters | OwnerDied);
    EXPECT_TRUE(died.wake);
    died = owner_death(42, 42, plain);
    EXPECT_TRUE(died.store);
    EXPECT_EQ(died.value, OwnerDied);
    EXPECT_FALSE(died.wake) << "no waiters to wake";
    died = owner_death(42 | Waiters, 42, pi);
    EXPECT_TRUE(died.store);
    EXPECT_FALSE(died.wake) << "a PI lock goes to its waiter by the PI hand-over";
    // Somebody else's word, or one already marked by an earlier death: left alone.
    EXPECT_FALSE(owner_death(43 | Waiters, 42, plain).store);
    EXPECT_FALSE(owner_death(OwnerDied, 42, plain).store);
    EXPECT_FALSE(owner_death(OwnerDied, 42, plain).wake);
}

TEST(OwnerDeath, APendingUnlockAtZeroWakesOneWaiter)
{
    const RobustWord pending{0x1000, false, true}, pending_pi{0x1000, true, true};
    auto died = owner_death(0, 42, pending);
    EXPECT_FALSE(died.store);
    EXPECT_TRUE(died.wake);
    EXPECT_FALSE(owner_death(0, 42, pending_pi).wake);
    EXPECT_FALSE(owner_death(0, 42, {0x1000, false, false}).wake) << "only the pending word";
}

} // namespace
} // namespace tessera::posix
