// abort and assertion failure. A fault is the only way out that needs no system call, so that
// this code also works on a bare seL4 with no process manager.

#include "tessera/libc/failure.h"

#include <tessera/format.h>

#include "tessera/libc/output.h"

namespace tessera::libc {
namespace {

constinit AbortHandler abort_handler = nullptr;

int print_line(const char* format, ...) __attribute__((format(printf, 1, 2)));

int print_line(const char* format, ...)
{
    va_list args;
    va_start(args, format);
    const int count = print(format, args);
    va_end(args);
    return count;
}

} // namespace

void set_abort_handler(AbortHandler handler)
{
    abort_handler = handler;
}

void abort()
{
    if (abort_handler != nullptr)
        abort_handler();
    __builtin_trap();
}

void assertion_failed(const char* expression, const char* file, int line, const char* function)
{
    print_line("assertion failed: %s (%s:%d, %s)\n", expression, file, line, function);
    abort();
}

} // namespace tessera::libc
