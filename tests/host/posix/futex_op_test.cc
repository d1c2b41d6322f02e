// FUTEX_WAKE_OP's encoding (every op, every comparison, the shift flag, signed 12-bit fields,
// unknown ops and comparisons) and the PI word protocol (take, EDEADLK, FUTEX_WAITERS, hand-off,
// EPERM), against the values Linux's futex_atomic_op_inuser and futex_lock_pi compute.
#include <gtest/gtest.h>

#include "core/sync/futex_op.h"

namespace tessera::posix {
namespace {

// Linux's FUTEX_OP() macro.
constexpr uint32_t encode(uint32_t op, uint32_t cmp, int32_t operand, int32_t compared)
{
    return ((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((uint32_t(operand) & 0xfff) << 12) |
           (uint32_t(compared) & 0xfff);
}
constexpr uint32_t Shift = 8;

uint32_t applied(uint32_t encoded, uint32_t old)
{
    auto r = apply_wake_op(decode_wake_op(encoded), old);
    EXPECT_TRUE(r);
    return r ? r.value() : 0xdeadbeef;
}

bool compared(uint32_t encoded, uint32_t old)
{
    auto r = compare_wake_op(decode_wake_op(encoded), old);
    EXPECT_TRUE(r);
    return r && r.value();
}

TEST(FutexWakeOpTest, EveryOperation)
{
    EXPECT_EQ(applied(encode(0, 0, 5, 0), 100), 5u);            // SET
    EXPECT_EQ(applied(encode(1, 0, 5, 0), 100), 105u);          // ADD
    EXPECT_EQ(applied(encode(2, 0, 0x30, 0), 0x0f), 0x3fu);     // OR
    EXPECT_EQ(applied(encode(3, 0, 0x0c, 0), 0x0f), 0x03u);     // ANDN
    EXPECT_EQ(applied(encode(4, 0, 0xff, 0), 0x0f), 0xf0u);     // XOR
    // The operand is 12 bits, signed: -1 adds 0xffffffff, SET -2048 stores its two's complement.
    EXPECT_EQ(applied(encode(1, 0, -1, 0), 10), 9u);
    EXPECT_EQ(applied(encode(0, 0, -2048, 0), 0), uint32_t(-2048));
    EXPECT_EQ(applied(encode(0, 0, 2047, 0), 0), 2047u);
    EXPECT_EQ(applied(encode(1, 0, 1, 0), 0xffffffff), 0u); // wraps
}

TEST(FutexWakeOpTest, TheShiftFlagMakesTheOperandABit)
{
    EXPECT_EQ(applied(encode(Shift | 0, 0, 4, 0), 0), 16u);
    EXPECT_EQ(applied(encode(Shift | 2, 0, 31, 0), 1), 0x80000001u);
    EXPECT_EQ(applied(encode(Shift | 3, 0, 0, 0), 3), 2u);
    // Out of 0-31 (a negative or large count) is taken modulo 32.
    EXPECT_EQ(applied(encode(Shift | 0, 0, 33, 0), 0), 2u);
    EXPECT_EQ(applied(encode(Shift | 0, 0, -1, 0), 0), 0x80000000u);
}

TEST(FutexWakeOpTest, EveryComparisonIsSigned)
{
    EXPECT_TRUE(compared(encode(0, 0, 0, 7), 7));   // EQ
    EXPECT_FALSE(compared(encode(0, 0, 0, 7), 8));
    EXPECT_TRUE(compared(encode(0, 1, 0, 7), 8));   // NE
    EXPECT_FALSE(compared(encode(0, 1, 0, 7), 7));
    EXPECT_TRUE(compared(encode(0, 2, 0, 7), 6));   // LT
    EXPECT_FALSE(compared(encode(0, 2, 0, 7), 7));
    EXPECT_TRUE(compared(encode(0, 3, 0, 7), 7));   // LE
    EXPECT_FALSE(compared(encode(0, 3, 0, 7), 8));
    EXPECT_TRUE(compared(encode(0, 4, 0, 7), 8));   // GT
    EXPECT_FALSE(compared(encode(0, 4, 0, 7), 7));
    EXPECT_TRUE(compared(encode(0, 5, 0, 7), 7));   // GE
    EXPECT_FALSE(compared(encode(0, 5, 0, 7), 6));
    // The old value is an int: 0xffffffff is -1, less than 0; the argument -1 is 12 bits.
    EXPECT_TRUE(compared(encode(0, 2, 0, 0), 0xffffffff));
    EXPECT_TRUE(compared(encode(0, 0, 0, -1), 0xffffffff));
    EXPECT_FALSE(compared(encode(0, 0, 0, -1), 0xfff));
}

TEST(FutexWakeOpTest, UnknownOperationsAndComparisonsAreNoSys)
{
    for (uint32_t op = 5; op < 8; ++op)
        EXPECT_EQ(apply_wake_op(decode_wake_op(encode(op, 0, 1, 0)), 0).error(), Errno::NoSys);
    for (uint32_t cmp = 6; cmp < 16; ++cmp)
        EXPECT_EQ(compare_wake_op(decode_wake_op(encode(0, cmp, 0, 0)), 0).error(), Errno::NoSys);
}

TEST(FutexPiWordTest, LockTakesAFreeWordAndKeepsOwnerDied)
{
    auto free = pi_lock_attempt(0, 42);
    EXPECT_EQ(free.outcome, PiLockOutcome::Acquired);
    EXPECT_EQ(free.word, 42u);
    auto died = pi_lock_attempt(pi_word::OwnerDied, 42);
    EXPECT_EQ(died.outcome, PiLockOutcome::Acquired);
    EXPECT_EQ(died.word, pi_word::OwnerDied | 42u);
}

TEST(FutexPiWordTest, OwnTidIsDeadlockAndAnotherOwnerGetsWaiters)
{
    auto own = pi_lock_attempt(42 | pi_word::Waiters, 42);
    EXPECT_EQ(own.outcome, PiLockOutcome::Deadlock);
    EXPECT_EQ(own.word, 42u | pi_word::Waiters);
    auto other = pi_lock_attempt(7, 42);
    EXPECT_EQ(other.outcome, PiLockOutcome::Contended);
    EXPECT_EQ(other.word, 7u | pi_word::Waiters);
}

TEST(FutexPiWordTest, UnlockHandsOverOrFreesAndOnlyTheOwnerMay)
{
    EXPECT_EQ(pi_unlock(42 | pi_word::Waiters, 42, 7).value(), 7u | pi_word::Waiters);
    EXPECT_EQ(pi_unlock(42 | pi_word::Waiters | pi_word::OwnerDied, 42, 0).value(), 0u);
    EXPECT_EQ(pi_unlock(7, 42, 0).error(), Errno::Perm);
    EXPECT_EQ(pi_unlock(0, 42, 0).error(), Errno::Perm);
}

} // namespace
} // namespace tessera::posix
