// Strong types, bit fields, Result and the seL4 error message layout.

#include <gtest/gtest.h>

#include "base/field.h"
#include "base/result.h"
#include "base/syscall_error.h"
#include "base/types.h"

namespace tessera::core {
namespace {

TEST(Field, GetsAndSetsOnlyItsBits)
{
    using F = Field<4, 8>;
    EXPECT_EQ(F::mask, 0xff0u);
    EXPECT_EQ(F::set(0xffff'ffff'ffff'ffff, 0x12), 0xffff'ffff'ffff'f12fu);
    EXPECT_EQ(F::get(0xabcd), 0xbcu);
    EXPECT_EQ(F::set(0, 0x1ff), 0xff0u); // too-wide values are truncated, not spilled
    EXPECT_TRUE(F::fits(255));
    EXPECT_FALSE(F::fits(256));
    using Whole = Field<0, 64>;
    EXPECT_EQ(Whole::get(~0ull), ~0ull);
    static_assert(tiles_word<Field<0, 7>, Field<7, 2>, Field<9, 3>, Field<12, 52>>());
    static_assert(!tiles_word<Field<0, 7>, Field<6, 2>, Field<9, 3>, Field<12, 52>>());
    static_assert(!tiles_word<Field<0, 7>, Field<12, 52>>());
}

TEST(Types, MaskAndBitAreDefinedForWholeWords)
{
    EXPECT_EQ(bit(0), 1u);
    EXPECT_EQ(bit(63), 1ull << 63);
    EXPECT_EQ(bit(64), 0u);
    EXPECT_EQ(mask(64), ~0ull);
    EXPECT_EQ(mask(0), 0u);
    EXPECT_TRUE(PAddr{0x2000}.is_aligned(13));
    EXPECT_FALSE(PAddr{0x3000}.is_aligned(13));
    EXPECT_EQ(PAddr{0x3000} - PAddr{0x1000}, 0x2000u);
}

TEST(Result, CarriesValueOrError)
{
    Result<int> ok = 7;
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok.value(), 7);
    Result<int> bad = SyscallError::range_error(1, 64);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code(), seL4_RangeError);
    EXPECT_EQ(bad.error().range_min(), 1u);
    EXPECT_EQ(bad.error().range_max(), 64u);
    Result<void> fine;
    EXPECT_TRUE(fine);
    Result<void> failed = SyscallError::delete_first();
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code(), seL4_DeleteFirst);
}

TEST(SyscallError, ReasonIsForTheLogOnly)
{
    SyscallError plain = SyscallError::delete_first();
    SyscallError explained = plain.because("slot 4 occupied");
    EXPECT_STREQ(explained.reason(), "slot 4 occupied");
    EXPECT_STREQ(plain.reason(), "");
    EXPECT_EQ(plain, explained);
    Word a[ErrorMessageWords] = {}, b[ErrorMessageWords] = {};
    EXPECT_EQ(plain.write_message(a), explained.write_message(b));
}

size_t write(const SyscallError& e, Word (&w)[ErrorMessageWords])
{
    for (auto& x : w)
        x = 0xdead;
    return e.write_message(w);
}

TEST(SyscallErrorMessage, InvalidArgumentPutsArgumentNumberInMr0)
{
    Word w[ErrorMessageWords];
    EXPECT_EQ(write(SyscallError::invalid_argument(3), w), 1u);
    EXPECT_EQ(w[0], 3u);
    EXPECT_EQ(write(SyscallError::invalid_capability(1), w), 1u);
    EXPECT_EQ(w[0], 1u);
}

TEST(SyscallErrorMessage, RangeErrorPutsMinAndMax)
{
    Word w[ErrorMessageWords];
    EXPECT_EQ(write(SyscallError::range_error(1, 256), w), 2u);
    EXPECT_EQ(w[0], 1u);
    EXPECT_EQ(w[1], 256u);
}

TEST(SyscallErrorMessage, CodesWithoutDetailUseNoRegisters)
{
    Word w[ErrorMessageWords];
    EXPECT_EQ(write(SyscallError::illegal_operation(), w), 0u);
    EXPECT_EQ(write(SyscallError::alignment_error(), w), 0u);
    EXPECT_EQ(write(SyscallError::truncated_message(), w), 0u);
    EXPECT_EQ(write(SyscallError::delete_first(), w), 0u);
    EXPECT_EQ(write(SyscallError::revoke_first(), w), 0u);
    EXPECT_EQ(w[0], 0xdeadu);
}

TEST(SyscallErrorMessage, NotEnoughMemoryReportsBytesLeft)
{
    Word w[ErrorMessageWords];
    EXPECT_EQ(write(SyscallError::not_enough_memory(4096), w), 1u);
    EXPECT_EQ(w[0], 4096u);
}

TEST(SyscallErrorMessage, FailedLookupWritesSideThenDescription)
{
    Word w[ErrorMessageWords];
    EXPECT_EQ(
        write(SyscallError::failed_lookup(LookupSide::Source, LookupFailure::invalid_root()), w),
        2u);
    EXPECT_EQ(w[0], 1u);
    EXPECT_EQ(w[1], Word{seL4_InvalidRoot});

    EXPECT_EQ(write(SyscallError::failed_lookup(LookupSide::Destination,
                                                LookupFailure::missing_capability(12)),
                    w),
              3u);
    EXPECT_EQ(w[0], 0u);
    EXPECT_EQ(w[1], Word{seL4_MissingCapability});
    EXPECT_EQ(w[2], 12u);

    EXPECT_EQ(
        write(SyscallError::failed_lookup(LookupSide::Source, LookupFailure::depth_mismatch(5, 8)),
              w),
        4u);
    EXPECT_EQ(w[1], Word{seL4_DepthMismatch});
    EXPECT_EQ(w[2], 5u); // bits left
    EXPECT_EQ(w[3], 8u); // bits found

    EXPECT_EQ(write(SyscallError::failed_lookup(LookupSide::Source,
                                                LookupFailure::guard_mismatch(40, 0x2a, 6)),
                    w),
              5u);
    EXPECT_EQ(w[1], Word{seL4_GuardMismatch});
    EXPECT_EQ(w[2], 40u);   // bits left
    EXPECT_EQ(w[3], 0x2au); // guard found
    EXPECT_EQ(w[4], 6u);    // guard bits
}

} // namespace
} // namespace tessera::core
