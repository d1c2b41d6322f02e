#include "boot/physical_regions.h"

namespace tessera::boot {

Word PhysicalRegions::total() const
{
    Word sum = 0;
    for (unsigned i = 0; i < count_; i++)
        sum += ranges_[i].size();
    return sum;
}

void PhysicalRegions::erase(unsigned index)
{
    for (unsigned i = index; i + 1 < count_; i++)
        ranges_[i] = ranges_[i + 1];
    count_--;
}

bool PhysicalRegions::insert(unsigned index, PhysicalRange range)
{
    if (count_ == Capacity)
        return false;
    for (unsigned i = count_; i > index; i--)
        ranges_[i] = ranges_[i - 1];
    ranges_[index] = range;
    count_++;
    return true;
}

bool PhysicalRegions::add(PhysicalRange range)
{
    if (range.is_empty())
        return true;
    // Absorb every range that overlaps or touches the new one, then insert the union in order.
    unsigned i = 0;
    while (i < count_ && ranges_[i].end < range.start)
        i++;
    while (i < count_ && ranges_[i].start <= range.end) {
        if (ranges_[i].start < range.start)
            range.start = ranges_[i].start;
        if (ranges_[i].end > range.end)
            range.end = ranges_[i].end;
        erase(i);
    }
    return insert(i, range);
}

bool PhysicalRegions::remove(PhysicalRange cut)
{
    if (cut.is_empty())
        return true;
    for (unsigned i = 0; i < count_;) {
        PhysicalRange& r = ranges_[i];
        if (!r.overlaps(cut)) {
            i++;
            continue;
        }
        const PhysicalRange left{r.start, cut.start};
        const PhysicalRange right{cut.end, r.end};
        const bool keep_left = r.start < cut.start;
        const bool keep_right = cut.end < r.end;
        if (keep_left && keep_right) {
            r = left;
            return insert(i + 1, right); // ranges are disjoint: nothing further overlaps
        }
        if (keep_left) {
            r = left;
            i++;
        } else if (keep_right) {
            r = right;
            i++;
        } else {
            erase(i);
        }
    }
    return true;
}

PhysicalRange PhysicalRegions::allocate(Word size, unsigned align_bits)
{
    const Word align_mask = (Word{1} << align_bits) - 1;
    for (unsigned i = 0; i < count_; i++) {
        const Word start = (ranges_[i].start.raw() + align_mask) & ~align_mask;
        if (start < ranges_[i].start.raw() || start >= ranges_[i].end.raw())
            continue;
        if (ranges_[i].end.raw() - start < size)
            continue;
        const PhysicalRange taken{PAddr{start}, PAddr{start + size}};
        if (!remove(taken))
            return {};
        return taken;
    }
    return {};
}

} // namespace tessera::boot
