// Runs the static constructors the linker collected, which without a C runtime's start files
// nobody else does (user build only).

#include <tessera/libc.h>

using Constructor = void (*)();

// Defined by the linker (GNU ld and lld both PROVIDE them around the arrays); weak, so a custom
// linker script without them links and simply has no constructors.
extern "C" {
extern const Constructor __preinit_array_start[] __attribute__((weak, visibility("hidden")));
extern const Constructor __preinit_array_end[] __attribute__((weak, visibility("hidden")));
extern const Constructor __init_array_start[] __attribute__((weak, visibility("hidden")));
extern const Constructor __init_array_end[] __attribute__((weak, visibility("hidden")));
}

namespace {

constinit bool constructors_ran = false;

void run_all(const Constructor* begin, const Constructor* end)
{
    if (begin == nullptr || end == nullptr)
        return;
    for (const Constructor* entry = begin; entry < end; ++entry)
        (*entry)();
}

} // namespace

extern "C" void tessera_run_constructors(void)
{
    // A second call would construct every static object again over the live one.
    if (constructors_ran)
        return;
    constructors_ran = true;
    run_all(__preinit_array_start, __preinit_array_end);
    run_all(__init_array_start, __init_array_end);
}
