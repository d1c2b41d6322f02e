// Heap sort of tick samples (see sort.h for why the statistics do not use <algorithm>).
#include "sort.h"

namespace tessera::bench {
namespace {

void swap_samples(Ticks& a, Ticks& b)
{
    const Ticks held = a;
    a = b;
    b = held;
}

// Restores the max-heap property of samples[0..count) below root.
void sift_down(Ticks* samples, size_t root, size_t count)
{
    for (;;) {
        const size_t left = 2 * root + 1;
        if (left >= count)
            return;
        size_t largest = left;
        const size_t right = left + 1;
        if (right < count && samples[right] > samples[left])
            largest = right;
        if (!(samples[largest] > samples[root]))
            return;
        swap_samples(samples[root], samples[largest]);
        root = largest;
    }
}

} // namespace

void sort_ascending(Ticks* samples, size_t count)
{
    if (count < 2)
        return;
    for (size_t parent = count / 2; parent-- > 0;)
        sift_down(samples, parent, count);
    for (size_t end = count - 1; end > 0; --end) {
        swap_samples(samples[0], samples[end]);
        sift_down(samples, 0, end);
    }
}

} // namespace tessera::bench
