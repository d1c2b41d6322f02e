// Hands out empty capability slots of one CNode (the root task's: BootInfo.empty). Slots are
// addressed with full-word depth, so the CNode must resolve a whole word (as the root CNode does).
#pragma once

#include <tessera/libos/result.h>
#include <tessera/libos/types.h>

namespace tessera::alloc {

// The text of the error allocate() gives when a keep_free() budget is spent.
inline constexpr char SlotBudgetSpent[] = "slots: budget spent";

using libos::CPtr;
using libos::Result;

class SlotAllocator {
public:
    // Enough for a root CNode of 2^16 slots; larger regions are clipped to this many.
    static constexpr seL4_Word MaxSlots = seL4_Word{1} << 16;

    // Takes the slots [region.start, region.end) of `root`. Fails with InvalidArgument when the
    // region is empty or reversed. Resets whatever the allocator held before.
    Result<void> init(CPtr root, seL4_SlotRegion region);

    // The CNode behind the region has grown (a root task that moved its capabilities into a
    // larger CNode at the same indices): slots [end, new_end) become free, clipped to MaxSlots
    // from the region's start; what is handed out stays so. InvalidArgument when new_end is below
    // the region's end.
    Result<void> grow(seL4_Word new_end);

    // The lowest free slot, or NotEnoughMemory when the region is exhausted (or, with a budget,
    // when only the kept slots are left: the error's text is then SlotBudgetSpent).
    Result<CPtr> allocate();
    // A budget for building one thing whose slots are counted against a quota (the dynamic
    // manager's child): allocate() hands out no more than `available() - keep` slots; what is
    // freed meanwhile comes back to the budget. keep_free(0) lifts it.
    void keep_free(seL4_Word keep) { keep_ = keep; }
    // Marks a slot free again; the caller has deleted its capability. RangeError for a slot
    // outside the region, InvalidArgument for a slot that was not handed out. Advances the slot's
    // generation, so handles naming its previous contents become stale.
    Result<void> free(CPtr slot);

    // How many times the slot's contents have been given up (wraps at 2^16). An object handle
    // records it when its capability is placed, so a handle that outlived its object is told
    // apart from the object that reuses the slot. 0 outside the region.
    uint16_t generation(CPtr slot) const;
    // Whether `slot` is handed out and still holds what was placed at `generation`.
    bool is_current(CPtr slot, uint16_t generation) const;
    // The slot's capability is gone but the slot stays allocated: handles to it become stale.
    void retire(CPtr slot);

    CPtr root() const { return root_; }
    // The depth that addresses a slot of the root CNode by its index.
    static constexpr seL4_Word depth() { return seL4_WordBits; }
    seL4_Word available() const { return available_; }
    seL4_Word capacity() const { return end_ - start_; }
    seL4_Word end() const { return end_; }
    bool is_allocated(CPtr slot) const;

private:
    static constexpr seL4_Word WordsInMap = MaxSlots / 64;
    CPtr root_ = libos::NullCap;
    seL4_Word start_ = 0;
    seL4_Word end_ = 0;
    seL4_Word available_ = 0;
    seL4_Word keep_ = 0;
    seL4_Word search_hint_ = 0; // no free slot below this word of the map
    uint64_t used_[WordsInMap] = {};
    uint16_t generation_[MaxSlots] = {};
};

} // namespace tessera::alloc
