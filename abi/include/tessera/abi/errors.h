/* Tessera ABI: the error codes an invocation returns as the label of its reply message
 * (seL4 Reference Manual, section "Errors"; libsel4 sel4/errors.h). */
#pragma once

typedef enum {
    seL4_NoError = 0,
    seL4_InvalidArgument = 1,
    seL4_InvalidCapability = 2,
    seL4_IllegalOperation = 3,
    seL4_RangeError = 4,
    seL4_AlignmentError = 5,
    seL4_FailedLookup = 6,
    seL4_TruncatedMessage = 7,
    seL4_DeleteFirst = 8,
    seL4_RevokeFirst = 9,
    seL4_NotEnoughMemory = 10,
    seL4_NumErrors = 11,
} seL4_Error;

/* Where an error's detail sits in the reply's message registers (seL4 setMRs_syscall_error).
 * Tessera names, seL4 positions; errors not listed carry no detail. */
enum {
    TESSERA_ERROR_INVALID_ARGUMENT_INDEX_MR = 0,   /* which argument was invalid */
    TESSERA_ERROR_INVALID_CAPABILITY_INDEX_MR = 0, /* which capability was invalid */
    TESSERA_ERROR_RANGE_MIN_MR = 0,                /* smallest allowed value */
    TESSERA_ERROR_RANGE_MAX_MR = 1,                /* largest allowed value */
    TESSERA_ERROR_FAILED_LOOKUP_SOURCE_MR = 0,     /* 1 if the failed lookup was a source cap */
    TESSERA_ERROR_FAILED_LOOKUP_FAULT_MR = 1,      /* lookup failure description starts here */
    TESSERA_ERROR_NOT_ENOUGH_MEMORY_BYTES_MR = 0,  /* bytes still available in the untyped */
};
