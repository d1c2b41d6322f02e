// <stdio.h> under its C names and the output hook's setter (user build only).

#include <stdio.h>
#include <tessera/libc.h>

#include "tessera/libc/output.h"

namespace libc = tessera::libc;

extern "C" {

void tessera_set_output(tessera_put_fn put, void* context)
{
    libc::set_output(put, context);
}

int vprintf(const char* format, va_list args)
{
    return libc::print(format, args);
}

int printf(const char* format, ...)
{
    va_list args;
    va_start(args, format);
    const int count = libc::print(format, args);
    va_end(args);
    return count;
}

int puts(const char* text)
{
    return libc::put_line(text);
}
int putchar(int c)
{
    return libc::put_character(c);
}

int vsnprintf(char* buffer, size_t size, const char* format, va_list args)
{
    return tessera_vsnprintf(buffer, size, format, args);
}

int snprintf(char* buffer, size_t size, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    const int count = tessera_vsnprintf(buffer, size, format, args);
    va_end(args);
    return count;
}

int vsprintf(char* buffer, const char* format, va_list args)
{
    return tessera_vsnprintf(buffer, static_cast<size_t>(-1) / 2, format, args);
}

int sprintf(char* buffer, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    const int count = vsprintf(buffer, format, args);
    va_end(args);
    return count;
}

} // extern "C"
