#include "core/sync/futex_op.h"

namespace tessera::posix {

namespace {

enum : uint32_t { Set = 0, Add = 1, Or = 2, AndNot = 3, Xor = 4 };
enum : uint32_t { Equal = 0, NotEqual = 1, Less = 2, LessEqual = 3, Greater = 4, GreaterEqual = 5 };
constexpr uint32_t OperandIsShift = 8;

int32_t sign_extend_12(uint32_t bits)
{
    return int32_t(bits << 20) >> 20;
}

} // namespace

WakeOperation decode_wake_op(uint32_t encoded)
{
    WakeOperation operation;
    operation.op = (encoded >> 28) & 7;
    operation.cmp = (encoded >> 24) & 15;
    operation.operand = sign_extend_12((encoded >> 12) & 0xfff);
    operation.compared = sign_extend_12(encoded & 0xfff);
    // A shift count out of 0-31 is taken modulo 32, as Linux does since 4.15 (it logs it).
    if ((encoded >> 28) & OperandIsShift)
        operation.operand = int32_t(uint32_t{1} << (uint32_t(operation.operand) & 31));
    return operation;
}

Result<uint32_t> apply_wake_op(const WakeOperation& operation, uint32_t old)
{
    const uint32_t operand = uint32_t(operation.operand);
    switch (operation.op) {
    case Set: return operand;
    case Add: return old + operand;
    case Or: return old | operand;
    case AndNot: return old & ~operand;
    case Xor: return old ^ operand;
    default: return Errno::NoSys;
    }
}

Result<bool> compare_wake_op(const WakeOperation& operation, uint32_t old)
{
    const int32_t value = int32_t(old);
    switch (operation.cmp) {
    case Equal: return value == operation.compared;
    case NotEqual: return value != operation.compared;
    case Less: return value < operation.compared;
    case LessEqual: return value <= operation.compared;
    case Greater: return value > operation.compared;
    case GreaterEqual: return value >= operation.compared;
    default: return Errno::NoSys;
    }
}

PiLockAttempt pi_lock_attempt(uint32_t word, int32_t tid)
{
    const uint32_t owner = word & pi_word::TidMask;
    if (owner == uint32_t(tid))
        return {PiLockOutcome::Deadlock, word};
    if (owner == 0)
        return {PiLockOutcome::Acquired, (word & pi_word::OwnerDied) | uint32_t(tid)};
    return {PiLockOutcome::Contended, word | pi_word::Waiters};
}

Result<uint32_t> pi_unlock(uint32_t word, int32_t tid, int32_t next)
{
    if ((word & pi_word::TidMask) != uint32_t(tid))
        return Errno::Perm;
    return next == 0 ? 0 : pi_word::Waiters | uint32_t(next);
}

} // namespace tessera::posix
