// Kernel console output on top of the shared formatter (common/format), so the kernel, user
// programs and host tools format numbers the same way.
#include "kernel/console.h"

#include <tessera/format.h>

#include "arch/platform.h"

namespace tessera {
namespace {

// Whether the last byte written ended a line: the kernel's own reports start on a fresh line
// even when a thread's output (seL4_DebugPutChar) stopped half-way through one.
bool at_line_start = true;

void put(void*, char c) { console_put_char(c); }

} // namespace

void console_put_char(char c)
{
    if (c == '\n')
        arch::console_put('\r');
    arch::console_put(c);
    at_line_start = c == '\n';
}

void console_start_line()
{
    if (!at_line_start)
        console_put_char('\n');
}

void kvprintf(const char* format, va_list args) { tessera_vformat(put, nullptr, format, args); }

void kprintf(const char* format, ...)
{
    va_list args;
    va_start(args, format);
    kvprintf(format, args);
    va_end(args);
}

void panic(const char* format, ...)
{
    kprintf("\nKERNEL PANIC: ");
    va_list args;
    va_start(args, format);
    kvprintf(format, args);
    va_end(args);
    kprintf("\n");
    arch::exit_system(PanicExitStatus);
}

} // namespace tessera
