// Marks where each benchmark's iterations begin and end, for bench/profile.py: it traces the
// kernel's instructions under QEMU and counts those between two executions of these functions.
// After the begin marker, bench_profile_window_index runs once per BENCH line printed so far,
// so the trace itself says which BENCH line a window belongs to, wherever the trace started.
#pragma once

extern "C" {
void bench_profile_window_begin();
void bench_profile_window_index();
void bench_profile_window_end();
}
