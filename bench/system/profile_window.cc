// The profile window markers (see profile_window.h). Not inlined and not empty to the compiler,
// so every call executes the function's own first instruction.
#include "profile_window.h"

extern "C" {

__attribute__((noinline)) void bench_profile_window_begin() { asm volatile("" ::: "memory"); }
__attribute__((noinline)) void bench_profile_window_end() { asm volatile("" ::: "memory"); }

}
