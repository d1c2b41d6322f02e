// The profile window markers (see profile_window.h). Not inlined and not empty to the compiler,
// so every call executes the function's own first instruction.
#include "profile_window.h"

namespace {

volatile unsigned windows_ended; // BENCH lines printed: one per Suite::report

} // namespace

extern "C" {

__attribute__((noinline)) void bench_profile_window_index() { asm volatile("" ::: "memory"); }

__attribute__((noinline)) void bench_profile_window_begin()
{
    for (unsigned i = 0; i < windows_ended; i++)
        bench_profile_window_index();
}

__attribute__((noinline)) void bench_profile_window_end() { windows_ended = windows_ended + 1; }

}
