// Free physical memory during boot: a sorted set of disjoint ranges that boot code removes
// reservations from and allocates pages out of. Whatever is left at the end becomes untyped memory.
#pragma once

#include "boot/physical_window.h"

namespace tessera::boot {

class PhysicalRegions {
public:
    static constexpr unsigned Capacity = 128;

    // Adds [range) as free; overlapping or touching ranges merge. False when full.
    [[nodiscard]] bool add(PhysicalRange range);
    // Makes [range) not free, splitting ranges as needed. False when a split would overflow.
    [[nodiscard]] bool remove(PhysicalRange range);
    // Takes `size` bytes aligned to 1 << align_bits from the lowest free range that fits.
    // Returns an empty range when nothing fits.
    PhysicalRange allocate(Word size, unsigned align_bits);

    unsigned count() const { return count_; }
    const PhysicalRange& operator[](unsigned i) const { return ranges_[i]; }
    Word total() const;

private:
    void erase(unsigned index);
    [[nodiscard]] bool insert(unsigned index, PhysicalRange range);

    PhysicalRange ranges_[Capacity];
    unsigned count_ = 0;
};

// Splits [range) into the fewest naturally aligned power-of-two blocks between
// 1 << min_bits and 1 << max_bits bytes (seL4's untyped list), calling emit(start, size_bits)
// for each, lowest first. Bytes that fit no block of at least min_bits are skipped.
template <class Emit>
void split_into_aligned_blocks(PhysicalRange range, unsigned min_bits, unsigned max_bits, Emit emit)
{
    Word start = range.start.raw();
    const Word mask_min = (Word{1} << min_bits) - 1;
    start = (start + mask_min) & ~mask_min;
    const Word end = range.end.raw() & ~mask_min;
    while (start < end) {
        unsigned bits = min_bits;
        while (bits < max_bits) {
            const Word next = Word{1} << (bits + 1);
            if ((start & (next - 1)) != 0 || end - start < next)
                break;
            bits++;
        }
        emit(PAddr{start}, bits);
        start += Word{1} << bits;
    }
}

} // namespace tessera::boot
