/* Tessera ABI: the fixed-width word types every other ABI header is built from.
 * x86_64 only for now: one machine word is 64 bits (seL4 Reference Manual, ch. 1 and libsel4). */
#pragma once

#include <stdint.h>

/* Compile-time checks that read the same in C11 and C++20. */
#ifdef __cplusplus
#define TESSERA_ABI_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define TESSERA_ABI_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif
#define TESSERA_ABI_OFFSETOF(type, member) __builtin_offsetof(type, member)

/* Header-only helpers: one definition per translation unit, in C and C++ alike. */
#define TESSERA_ABI_INLINE static inline

#define TESSERA_ABI_PACKED __attribute__((__packed__))

/* Makes an enum type one word wide, as libsel4's SEL4_FORCE_LONG_ENUM does: enums that travel
 * as invocation arguments (seL4_X86_VMAttributes) must carry a full register. */
#define TESSERA_ABI_FORCE_WORD_ENUM(type) _enum_pad_##type = 0x7fffffffffffffffLL

typedef int8_t seL4_Int8;
typedef int16_t seL4_Int16;
typedef int32_t seL4_Int32;
typedef int64_t seL4_Int64;
typedef uint8_t seL4_Uint8;
typedef uint16_t seL4_Uint16;
typedef uint32_t seL4_Uint32;
typedef uint64_t seL4_Uint64;

/* libsel4 defines seL4_Bool as a one-byte integer, not C's _Bool, so it has the same size in C
 * and C++ and in generated stubs. */
typedef seL4_Int8 seL4_Bool;

typedef seL4_Uint64 seL4_Word;
typedef seL4_Word seL4_CPtr;
typedef seL4_Word seL4_NodeId;
typedef seL4_Word seL4_PAddr;
typedef seL4_Word seL4_Domain;
typedef seL4_Word seL4_SlotPos;

enum {
    seL4_WordBits = 64,
    seL4_WordSizeBits = 3,
};

TESSERA_ABI_ASSERT(sizeof(seL4_Word) == (1u << seL4_WordSizeBits), "seL4_Word is 8 bytes");
TESSERA_ABI_ASSERT(sizeof(seL4_Word) * 8 == seL4_WordBits, "seL4_WordBits");
TESSERA_ABI_ASSERT(sizeof(seL4_Bool) == 1, "seL4_Bool is one byte");
