// Lays error details out in message registers exactly as seL4's reply to a failed invocation.

#include "base/syscall_error.h"

namespace tessera::core {

size_t LookupFailure::write(Word* words) const
{
    // The type word is the libsel4 enumerator, which already counts "no failure" as 0.
    words[TESSERA_LOOKUP_FAILURE_TYPE] = static_cast<Word>(type_);
    switch (type_) {
    case seL4_MissingCapability:
        words[TESSERA_LOOKUP_FAILURE_BITS_LEFT] = bits_left_;
        return 2;
    case seL4_DepthMismatch:
        words[TESSERA_LOOKUP_FAILURE_BITS_LEFT] = bits_left_;
        words[TESSERA_LOOKUP_FAILURE_DEPTH_BITS_FOUND] = bits_found_;
        return 3;
    case seL4_GuardMismatch:
        words[TESSERA_LOOKUP_FAILURE_BITS_LEFT] = bits_left_;
        words[TESSERA_LOOKUP_FAILURE_GUARD_FOUND] = guard_found_;
        words[TESSERA_LOOKUP_FAILURE_GUARD_BITS_FOUND] = bits_found_;
        return 4;
    case seL4_InvalidRoot:
    case seL4_NoFailure:
        break;
    }
    return 1;
}

size_t SyscallError::write_message(Word (&words)[ErrorMessageWords]) const
{
    switch (code_) {
    case seL4_InvalidArgument:
        words[TESSERA_ERROR_INVALID_ARGUMENT_INDEX_MR] = first_;
        return 1;
    case seL4_InvalidCapability:
        words[TESSERA_ERROR_INVALID_CAPABILITY_INDEX_MR] = first_;
        return 1;
    case seL4_RangeError:
        words[TESSERA_ERROR_RANGE_MIN_MR] = first_;
        words[TESSERA_ERROR_RANGE_MAX_MR] = second_;
        return 2;
    case seL4_FailedLookup:
        words[TESSERA_ERROR_FAILED_LOOKUP_SOURCE_MR] = first_;
        return TESSERA_ERROR_FAILED_LOOKUP_FAULT_MR +
               lookup_.write(&words[TESSERA_ERROR_FAILED_LOOKUP_FAULT_MR]);
    case seL4_NotEnoughMemory:
        words[TESSERA_ERROR_NOT_ENOUGH_MEMORY_BYTES_MR] = first_;
        return 1;
    case seL4_NoError:
    case seL4_IllegalOperation:
    case seL4_AlignmentError:
    case seL4_TruncatedMessage:
    case seL4_DeleteFirst:
    case seL4_RevokeFirst:
    case seL4_NumErrors:
        break;
    }
    return 0;
}

} // namespace tessera::core
