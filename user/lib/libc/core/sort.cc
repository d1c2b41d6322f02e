// qsort as an in-place heapsort over opaque elements, and bsearch.

#include "tessera/libc/sort.h"

namespace tessera::libc {
namespace {

class Elements {
public:
    Elements(void* base, size_t size) : base_(static_cast<unsigned char*>(base)), size_(size) {}

    unsigned char* at(size_t index) const { return base_ + index * size_; }

    void swap(size_t a, size_t b) const
    {
        unsigned char* left = at(a);
        unsigned char* right = at(b);
        for (size_t i = 0; i < size_; ++i) {
            const unsigned char byte = left[i];
            left[i] = right[i];
            right[i] = byte;
        }
    }

private:
    unsigned char* base_;
    size_t size_;
};

// Moves the element at `root` down until the max-heap of the first `count` elements holds.
void sift_down(const Elements& elements, size_t root, size_t count, Comparison compare)
{
    for (;;) {
        size_t largest = root;
        const size_t left = 2 * root + 1;
        const size_t right = left + 1;
        if (left < count && compare(elements.at(left), elements.at(largest)) > 0)
            largest = left;
        if (right < count && compare(elements.at(right), elements.at(largest)) > 0)
            largest = right;
        if (largest == root)
            return;
        elements.swap(root, largest);
        root = largest;
    }
}

} // namespace

void qsort(void* base, size_t count, size_t size, Comparison compare)
{
    if (count < 2 || size == 0)
        return;
    const Elements elements(base, size);
    for (size_t root = count / 2; root-- > 0;)
        sift_down(elements, root, count, compare);
    for (size_t end = count - 1; end > 0; --end) {
        elements.swap(0, end);
        sift_down(elements, 0, end, compare);
    }
}

void* bsearch(const void* key, const void* base, size_t count, size_t size, Comparison compare)
{
    const Elements elements(const_cast<void*>(base), size);
    size_t low = 0;
    size_t high = count;
    while (low < high) {
        const size_t middle = low + (high - low) / 2;
        const int order = compare(key, elements.at(middle));
        if (order == 0)
            return elements.at(middle);
        if (order < 0) {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    return nullptr;
}

} // namespace tessera::libc
