// The kernel's console: printf-style output to the arch console, and panic for broken invariants.
#pragma once

#include <cstdarg>

namespace tessera {

// One byte to the console, a newline as CR LF (what seL4_DebugPutChar and kprintf write).
void console_put_char(char c);

// Ends the current line unless the console is at the start of one, so that a kernel report
// printed while a thread's line is half written still starts on a line of its own.
void console_start_line();

// printf-style output (tessera_format's conversions) to the kernel console.
void kprintf(const char* format, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char* format, va_list args);

// A kernel invariant is broken: prints "KERNEL PANIC: <message>" and stops the machine with a
// failure status. Never reachable from user input (STYLE.md rule 5).
[[noreturn]] void panic(const char* format, ...) __attribute__((format(printf, 1, 2)));

// Exit status the kernel gives QEMU when it panics.
inline constexpr unsigned PanicExitStatus = 110; // below the launcher's own codes (119+)

} // namespace tessera
