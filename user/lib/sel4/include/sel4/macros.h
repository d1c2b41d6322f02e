/* libsel4 compatibility: the helper macros libsel4's headers and seL4 programs use. */
#pragma once

#include <tessera/abi/base.h>

#define LIBSEL4_INLINE static inline
#define LIBSEL4_INLINE_FUNC static inline
#define SEL4_PACKED __attribute__((__packed__))
#define SEL4_DEPRECATED(x) __attribute__((__deprecated__(x)))
#define LIBSEL4_BIT(n) (1ul << (n))
#define SEL4_COMPILE_ASSERT(name, expr) TESSERA_ABI_ASSERT(expr, #name)
/* Makes an enum one word wide, as libsel4 does for enums passed in registers. */
#define SEL4_FORCE_LONG_ENUM(type) _enum_pad_##type = (1ULL << ((sizeof(long) * 8) - 1)) - 1
#define seL4_Null ((void*)0)
