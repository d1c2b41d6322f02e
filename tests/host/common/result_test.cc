// common/base's Result in the shapes its users give it: the kernel's (trivially copyable parts,
// kept trivially copyable so it is returned in registers), the benchmarks' (an error holding a
// std::string), ext2's (a move-only value that must be destroyed: a pinned cache block) and
// Result<void>.
#include <tessera/base/result.h>

#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

using tessera::base::Result;

struct PlainError {
    int code;
    long detail;
};
struct NamedError {
    std::string operation;
};

static_assert(std::is_trivially_copyable_v<Result<long, PlainError>>);
static_assert(std::is_trivially_copyable_v<Result<void, PlainError>>);
static_assert(!std::is_trivially_copyable_v<Result<std::string, PlainError>>);
// The kernel's layout: the tag, then the larger of the two halves.
static_assert(sizeof(Result<long, PlainError>) == 24);

constexpr Result<int, PlainError> halve(int value)
{
    if (value % 2 != 0)
        return PlainError{22, value};
    return value / 2;
}
static_assert(halve(8) && halve(8).value() == 4);
static_assert(!halve(7) && halve(7).error().detail == 7);

TEST(BaseResult, HoldsTheValueOrTheErrorOfTrivialParts)
{
    const Result<int, PlainError> ok = halve(10), bad = halve(3);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok.value(), 5);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, 22);
}

TEST(BaseResult, CopiesAndMovesNonTrivialValues)
{
    Result<std::vector<int>, NamedError> values(std::vector<int>{1, 2, 3});
    Result<std::vector<int>, NamedError> copy = values;
    ASSERT_TRUE(copy);
    EXPECT_EQ(copy.value().size(), 3u);
    Result<std::vector<int>, NamedError> moved = std::move(values);
    ASSERT_TRUE(moved);
    EXPECT_EQ(moved.value()[2], 3);
}

// ext2's BlockRef in miniature: move-only, and its destructor must run exactly once per live
// object (clang 14 dropped it when the destructor was a constrained special member).
struct Pinned {
    static inline int live = 0;
    bool owner = true;
    Pinned() { ++live; }
    Pinned(Pinned&& other) : owner(other.owner)
    {
        other.owner = false;
        ++live;
    }
    Pinned(const Pinned&) = delete;
    Pinned& operator=(const Pinned&) = delete;
    ~Pinned() { --live; }
};
static_assert(!std::is_trivially_copyable_v<Result<Pinned, PlainError>>);
static_assert(std::is_nothrow_destructible_v<Result<Pinned, PlainError>>);

Result<Pinned, PlainError> pin(bool ok)
{
    if (!ok)
        return PlainError{5, 0};
    return Pinned{};
}

TEST(BaseResult, DestroysAMoveOnlyValueOnce)
{
    {
        Result<Pinned, PlainError> pinned = pin(true);
        ASSERT_TRUE(pinned);
        EXPECT_TRUE(pinned.value().owner);
        EXPECT_EQ(Pinned::live, 1);
        Result<Pinned, PlainError> moved = std::move(pinned);
        EXPECT_TRUE(moved.value().owner);
        EXPECT_FALSE(pinned.value().owner);
        EXPECT_EQ(Pinned::live, 2);
        const Result<Pinned, PlainError> failed = pin(false);
        ASSERT_FALSE(failed);
        EXPECT_EQ(Pinned::live, 2);
    }
    EXPECT_EQ(Pinned::live, 0);
}

TEST(BaseResult, AssignmentSwitchesBetweenValueAndError)
{
    Result<std::string, NamedError> result(std::string("value"));
    result = Result<std::string, NamedError>(NamedError{"fork"});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().operation, "fork");
    result = Result<std::string, NamedError>(std::string("again"));
    ASSERT_TRUE(result);
    EXPECT_EQ(result.value(), "again");
}

TEST(BaseResult, VoidSucceedsWithNothingAndFailsWithAnError)
{
    const Result<void, NamedError> ok;
    EXPECT_TRUE(ok);
    Result<void, NamedError> bad(NamedError{"read"});
    const Result<void, NamedError> copy = bad;
    ASSERT_FALSE(copy);
    EXPECT_EQ(copy.error().operation, "read");
}

} // namespace
