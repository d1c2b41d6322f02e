/* Tessera ABI: lookup failure types, reported after seL4_FailedLookup and in capability faults
 * (seL4 Reference Manual, "Lookup Failure Description"; libsel4 sel4/constants.h). */
#pragma once

typedef enum {
    seL4_NoFailure = 0,
    seL4_InvalidRoot = 1,
    seL4_MissingCapability = 2,
    seL4_DepthMismatch = 3,
    seL4_GuardMismatch = 4,
} seL4_LookupFailureType;

/* A lookup failure description is a short run of message registers: the type, then per type
 * the bits left, then for depth mismatch the bits found, for guard mismatch the guard found and
 * its size. Offsets below are relative to the first word of the description. */
enum {
    TESSERA_LOOKUP_FAILURE_TYPE = 0,
    TESSERA_LOOKUP_FAILURE_BITS_LEFT = 1,             /* MissingCapability, Depth/GuardMismatch */
    TESSERA_LOOKUP_FAILURE_DEPTH_BITS_FOUND = 2,      /* DepthMismatch */
    TESSERA_LOOKUP_FAILURE_GUARD_FOUND = 2,           /* GuardMismatch */
    TESSERA_LOOKUP_FAILURE_GUARD_BITS_FOUND = 3,      /* GuardMismatch */
};
