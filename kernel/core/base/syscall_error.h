// The error half of every fallible core call: seL4's error code plus its detail (lookup failure,
// range, argument number...). Replaces seL4's current_syscall_error/current_lookup_fault globals.
#pragma once

#include <cstddef>

#include <tessera/abi/errors.h>
#include <tessera/abi/lookup_failure.h>

#include "base/types.h"

namespace tessera::core {

// Why a CSpace lookup failed, with the numbers seL4 reports (manual, "Lookup Failure
// Description"). Also the payload of capability faults, which later issues build on.
class LookupFailure {
public:
    // The capability used as the CSpace root is not a CNode capability.
    static constexpr LookupFailure invalid_root() { return {seL4_InvalidRoot, 0, 0, 0}; }
    // The slot reached with `bits_left` bits unresolved holds no capability (or the wrong kind).
    static constexpr LookupFailure missing_capability(Word bits_left)
    {
        return {seL4_MissingCapability, bits_left, 0, 0};
    }
    // A level needs `bits_found` bits but only `bits_left` remain, or bits remain at the end.
    static constexpr LookupFailure depth_mismatch(Word bits_left, Word bits_found)
    {
        return {seL4_DepthMismatch, bits_left, bits_found, 0};
    }
    // The guard `guard_found` of size `bits_found` does not match the address.
    static constexpr LookupFailure guard_mismatch(Word bits_left, Word guard_found, Word bits_found)
    {
        return {seL4_GuardMismatch, bits_left, bits_found, guard_found};
    }

    constexpr seL4_LookupFailureType type() const { return type_; }
    constexpr Word bits_left() const { return bits_left_; }
    constexpr Word bits_found() const { return bits_found_; }
    constexpr Word guard_found() const { return guard_found_; }

    // Writes the description starting at words[0]; returns how many words it used (1 to 4).
    size_t write(Word* words) const;

    constexpr bool operator==(const LookupFailure&) const = default;

private:
    constexpr LookupFailure(seL4_LookupFailureType type, Word bits_left, Word bits_found,
                            Word guard_found)
        : type_(type), bits_left_(bits_left), bits_found_(bits_found), guard_found_(guard_found)
    {
    }

    seL4_LookupFailureType type_;
    Word bits_left_;
    Word bits_found_;
    Word guard_found_;
};

// Which of an invocation's lookups failed: seL4 reports 1 for source (and pivot) slots.
enum class LookupSide : Word { Destination = 0, Source = 1 };

// The most message registers an error reply uses: failed lookup flag + 4 description words.
inline constexpr size_t ErrorMessageWords = 5;

class SyscallError {
public:
    static constexpr SyscallError invalid_argument(Word argument_number)
    {
        return {seL4_InvalidArgument, argument_number, 0};
    }
    static constexpr SyscallError invalid_capability(Word cap_number)
    {
        return {seL4_InvalidCapability, cap_number, 0};
    }
    static constexpr SyscallError illegal_operation() { return {seL4_IllegalOperation, 0, 0}; }
    static constexpr SyscallError range_error(Word min, Word max)
    {
        return {seL4_RangeError, min, max};
    }
    static constexpr SyscallError alignment_error() { return {seL4_AlignmentError, 0, 0}; }
    static constexpr SyscallError failed_lookup(LookupSide side, LookupFailure failure)
    {
        SyscallError e{seL4_FailedLookup, static_cast<Word>(side), 0};
        e.lookup_ = failure;
        return e;
    }
    static constexpr SyscallError truncated_message() { return {seL4_TruncatedMessage, 0, 0}; }
    static constexpr SyscallError delete_first() { return {seL4_DeleteFirst, 0, 0}; }
    static constexpr SyscallError revoke_first() { return {seL4_RevokeFirst, 0, 0}; }
    static constexpr SyscallError not_enough_memory(Word bytes_left)
    {
        return {seL4_NotEnoughMemory, bytes_left, 0};
    }

    constexpr seL4_Error code() const { return code_; }
    constexpr Word invalid_argument_number() const { return first_; }
    constexpr Word invalid_capability_number() const { return first_; }
    constexpr Word range_min() const { return first_; }
    constexpr Word range_max() const { return second_; }
    constexpr LookupSide failed_lookup_side() const { return static_cast<LookupSide>(first_); }
    constexpr const LookupFailure& lookup_failure() const { return lookup_; }
    constexpr Word memory_left() const { return first_; }

    // Writes the detail into the reply's message registers the way seL4 lays them out
    // (manual, "Errors"; the reply label is code()). Returns the message length.
    size_t write_message(Word (&words)[ErrorMessageWords]) const;

    // A one-line, static explanation for the kernel's debug log (seL4's userError); never sent
    // to user code and not part of equality.
    constexpr SyscallError because(const char* reason) const
    {
        SyscallError e = *this;
        e.reason_ = reason;
        return e;
    }
    constexpr const char* reason() const { return reason_ != nullptr ? reason_ : ""; }

    constexpr bool operator==(const SyscallError& other) const
    {
        return code_ == other.code_ && first_ == other.first_ && second_ == other.second_ &&
               lookup_ == other.lookup_;
    }

private:
    constexpr SyscallError(seL4_Error code, Word first, Word second)
        : code_(code), first_(first), second_(second)
    {
    }

    seL4_Error code_;
    Word first_;
    Word second_;
    LookupFailure lookup_ = LookupFailure::invalid_root();
    const char* reason_ = nullptr;
};

} // namespace tessera::core
