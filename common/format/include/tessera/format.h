/* printf-style formatting into a caller-supplied character sink.
 * One implementation for the kernel (freestanding, no floating point), user code and host tools.
 * Compiles as C11 and C++20. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Receives each produced character in order; `context` is passed through unchanged. */
typedef void (*tessera_put_fn)(void* context, char c);

/* Formats `format` with `args`, handing every character to `put`.
 * Supports conversions d i u x X o p s c %, length modifiers hh h l ll z t j, flags - 0 + space #,
 * width and precision (numbers or *). No floating point and no %n: an unsupported conversion is
 * emitted as written. Returns the number of characters produced. Reentrant; holds no state. */
int tessera_vformat(tessera_put_fn put, void* context, const char* format, va_list args)
    __attribute__((format(printf, 3, 0)));

int tessera_format(tessera_put_fn put, void* context, const char* format, ...)
    __attribute__((format(printf, 3, 4)));

/* Like C's vsnprintf: writes at most `size` bytes including the terminating NUL (nothing when
 * `size` is 0, then `buffer` may be NULL) and returns the length the full output would have. */
int tessera_vsnprintf(char* buffer, size_t size, const char* format, va_list args)
    __attribute__((format(printf, 3, 0)));

int tessera_snprintf(char* buffer, size_t size, const char* format, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif
