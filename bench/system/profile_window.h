// Marks where each benchmark's iterations begin and end, for bench/profile.py: it traces the
// kernel's instructions under QEMU and counts those between two executions of these functions.
// Both do nothing; they exist to be executed at a known address.
#pragma once

extern "C" {
void bench_profile_window_begin();
void bench_profile_window_end();
}
