// A bitmap over the CNode's empty region: one bit per slot, with a hint that skips full words so
// allocation stays cheap while the low slots fill up.
#include <tessera/alloc/slot_allocator.h>

namespace tessera::alloc {

using libos::make_error;

Result<void> SlotAllocator::init(CPtr root, seL4_SlotRegion region)
{
    if (region.end <= region.start)
        return make_error(seL4_InvalidArgument, "slots: empty region");
    root_ = root;
    start_ = region.start;
    end_ = region.end - region.start > MaxSlots ? region.start + MaxSlots : region.end;
    available_ = end_ - start_;
    keep_ = 0;
    search_hint_ = 0;
    for (auto& word : used_)
        word = 0;
    return {};
}

Result<void> SlotAllocator::grow(seL4_Word new_end)
{
    if (new_end < end_)
        return make_error(seL4_InvalidArgument, "slots: a region cannot shrink");
    const seL4_Word end = new_end - start_ > MaxSlots ? start_ + MaxSlots : new_end;
    // The bitmap and generations beyond the old end were never used: zero, i.e. free.
    available_ += end - end_;
    end_ = end;
    return {};
}

Result<CPtr> SlotAllocator::allocate()
{
    if (keep_ != 0 && available_ <= keep_)
        return make_error(seL4_NotEnoughMemory, SlotBudgetSpent);
    const seL4_Word count = end_ - start_;
    for (seL4_Word word = search_hint_; word * 64 < count; ++word) {
        if (used_[word] == ~uint64_t{0})
            continue;
        const unsigned bit = __builtin_ctzll(~used_[word]);
        const seL4_Word index = word * 64 + bit;
        if (index >= count)
            break;
        used_[word] |= uint64_t{1} << bit;
        search_hint_ = word;
        --available_;
        return CPtr{start_ + index};
    }
    return make_error(seL4_NotEnoughMemory, "slots: region exhausted");
}

bool SlotAllocator::is_allocated(CPtr slot) const
{
    const seL4_Word cptr = libos::raw(slot);
    if (cptr < start_ || cptr >= end_)
        return false;
    const seL4_Word index = cptr - start_;
    return (used_[index / 64] >> (index % 64)) & 1;
}

uint16_t SlotAllocator::generation(CPtr slot) const
{
    const seL4_Word cptr = libos::raw(slot);
    return cptr >= start_ && cptr < end_ ? generation_[cptr - start_] : 0;
}

bool SlotAllocator::is_current(CPtr slot, uint16_t generation) const
{
    return is_allocated(slot) && this->generation(slot) == generation;
}

void SlotAllocator::retire(CPtr slot)
{
    if (is_allocated(slot))
        ++generation_[libos::raw(slot) - start_];
}

Result<void> SlotAllocator::free(CPtr slot)
{
    const seL4_Word cptr = libos::raw(slot);
    if (cptr < start_ || cptr >= end_)
        return make_error(seL4_RangeError, "slots: not in region");
    if (!is_allocated(slot))
        return make_error(seL4_InvalidArgument, "slots: slot not allocated");
    const seL4_Word index = cptr - start_;
    used_[index / 64] &= ~(uint64_t{1} << (index % 64));
    ++generation_[index];
    if (index / 64 < search_hint_)
        search_hint_ = index / 64;
    ++available_;
    return {};
}

} // namespace tessera::alloc
