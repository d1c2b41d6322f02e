// printf and friends: the shared formatter pointed at the installed output hook.

#include "tessera/libc/output.h"

namespace tessera::libc {
namespace {

void discard(void*, char) {}

// Constant-initialised: usable by constructors that print before main.
constinit tessera_put_fn output_put = discard;
constinit void* output_context = nullptr;

} // namespace

void set_output(tessera_put_fn put, void* context)
{
    output_put = put != nullptr ? put : discard;
    output_context = context;
}

int print(const char* format, va_list args)
{
    return tessera_vformat(output_put, output_context, format, args);
}

int put_line(const char* text)
{
    int count = 0;
    for (; text[count] != '\0'; ++count)
        output_put(output_context, text[count]);
    output_put(output_context, '\n');
    return count + 1;
}

int put_character(int c)
{
    output_put(output_context, static_cast<char>(c));
    return static_cast<unsigned char>(c);
}

} // namespace tessera::libc
