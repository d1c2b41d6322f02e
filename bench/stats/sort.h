// In-place sorting of tick samples without the C++ library or extra memory.
// The kernel and freestanding user code cannot rely on <algorithm>, so the statistics bring their
// own.
#pragma once

#include "ticks.h"

namespace tessera::bench {

// Sorts samples[0..count) into ascending order. Heap sort: O(n log n) in the worst case, no
// recursion and no allocation, so it is safe on a small kernel or user stack.
void sort_ascending(Ticks* samples, size_t count);

} // namespace tessera::bench
