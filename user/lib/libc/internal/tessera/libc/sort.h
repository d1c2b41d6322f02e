// qsort and bsearch of <stdlib.h>, callable beside the host's libc.
#pragma once

#include <stddef.h>

namespace tessera::libc {

using Comparison = int (*)(const void* left, const void* right);

// Heapsort: O(n log n) in the worst case, no recursion and no memory beyond the stack frame,
// which suits fixed small stacks. Not stable (C does not ask qsort to be).
void qsort(void* base, size_t count, size_t size, Comparison compare);

// Binary search of an array sorted by `compare`; any matching element, or nullptr.
void* bsearch(const void* key, const void* base, size_t count, size_t size, Comparison compare);

} // namespace tessera::libc
