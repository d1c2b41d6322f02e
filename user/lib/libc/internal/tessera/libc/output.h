// Where printf, puts and putchar send their characters: one hook the runtime installs (on
// Tessera and seL4 it is seL4_DebugPutChar, or a serial driver's queue later).
#pragma once

#include <stdarg.h>

#include <tessera/format.h>

namespace tessera::libc {

// Replaces the output hook; nullptr discards output. Not synchronised with concurrent printing.
void set_output(tessera_put_fn put, void* context);

// vprintf, puts and putchar over the hook; results as in C (characters produced, or the char).
int print(const char* format, va_list args) __attribute__((format(printf, 1, 0)));
int put_line(const char* text);
int put_character(int c);

} // namespace tessera::libc
