/* Formatted output of C's <stdio.h> for Tessera components. There are no FILE streams: every
 * function writes through the output hook set with tessera_set_output() (see tessera/libc.h). */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EOF (-1)

int printf(const char* format, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char* format, va_list args) __attribute__((format(printf, 1, 0)));
int puts(const char* text);
int putchar(int c);

int snprintf(char* buffer, size_t size, const char* format, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char* buffer, size_t size, const char* format, va_list args)
    __attribute__((format(printf, 3, 0)));
/* Unbounded: prefer snprintf. Provided because existing code uses it. */
int sprintf(char* buffer, const char* format, ...) __attribute__((format(printf, 2, 3)));
int vsprintf(char* buffer, const char* format, va_list args) __attribute__((format(printf, 2, 0)));

#ifdef __cplusplus
}
#endif
