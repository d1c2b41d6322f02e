// The word arithmetic of the futex commands that change the word in the kernel (Linux's
// futex_atomic_op_inuser and the PI lock protocol), apart from the waiting: FUTEX_WAKE_OP's
// encoded operation and comparison, and what FUTEX_LOCK_PI, TRYLOCK_PI and UNLOCK_PI store.
#pragma once

#include <stdint.h>

#include "core/result.h"

namespace tessera::posix {

// FUTEX_WAKE_OP's fourth argument: op in bits 28-30 (bit 31: the operand is a shift count),
// cmp in bits 24-27, a 12-bit signed operand and a 12-bit signed comparison argument.
struct WakeOperation {
    uint32_t op = 0, cmp = 0;
    int32_t operand = 0, compared = 0; // the operand already shifted when bit 31 asked
};
WakeOperation decode_wake_op(uint32_t encoded);
// The word's new value from `old` (SET, ADD, OR, ANDN, XOR): ENOSYS for ops 5-7.
Result<uint32_t> apply_wake_op(const WakeOperation& operation, uint32_t old);
// Whether `old` (signed) passes the comparison (EQ, NE, LT, LE, GT, GE): ENOSYS for 6-15.
Result<bool> compare_wake_op(const WakeOperation& operation, uint32_t old);

// A PI futex word: the owner's tid, FUTEX_WAITERS while the kernel queues waiters, and
// FUTEX_OWNER_DIED (kept by a takeover; set when the owner dies: core/sync/robust_list).
namespace pi_word {
inline constexpr uint32_t Waiters = 0x80000000u, OwnerDied = 0x40000000u, TidMask = 0x3fffffffu;
}
enum class PiLockOutcome : uint8_t { Acquired, Deadlock, Contended };
struct PiLockAttempt {
    PiLockOutcome outcome;
    uint32_t word; // what to store (unchanged for Deadlock)
};
// Thread `tid` locks the word: free (tid 0) is taken (OwnerDied kept), its own tid is EDEADLK,
// another owner's gets FUTEX_WAITERS set before the caller waits (or TRYLOCK_PI's EAGAIN).
PiLockAttempt pi_lock_attempt(uint32_t word, int32_t tid);
// Thread `tid` unlocks the word, handing it to `next` (0: nobody waits): EPERM when `tid` does
// not own it; else the word to store, `next` with FUTEX_WAITERS or 0.
Result<uint32_t> pi_unlock(uint32_t word, int32_t tid, int32_t next);

} // namespace tessera::posix
