// Tracks the untyped capabilities of the BootInfo and retypes objects out of them, predicting
// each object's physical address from seL4's placement rule (a retype aligns the untyped's
// watermark up to the object's size). Large untypeds are split into chunks on first use, so small
// objects do not pin a whole large region and a chunk can be reused once its objects are freed.
#pragma once

#include <tessera/alloc/slot_allocator.h>

namespace tessera::alloc {

using libos::PAddr;
using libos::SizeBits;

enum class Memory : uint8_t { Ram, Device };

// One retyped object: where its capability is, what it is, where it lies.
struct Object {
    CPtr cap = libos::NullCap;
    seL4_Word type = 0;
    SizeBits size_bits{0}; // the retype argument (CNode slots, untyped bytes); 0 for fixed sizes
    PAddr paddr;
    uint16_t untyped = 0;    // the allocator's record it came from
    uint16_t generation = 0; // the slot's generation when the capability was placed in it
};

// Memory an object of `type` takes, log2 bytes; 0 for an unknown type or a size out of range.
seL4_Word object_size_bits(seL4_Word type, SizeBits size_bits);

class UntypedAllocator {
public:
    static constexpr unsigned MaxUntypeds = 512;
    // Untypeds larger than SplitAboveBits serve small objects through chunks of ChunkBits.
    static constexpr seL4_Word ChunkBits = 20;
    static constexpr seL4_Word SplitAboveBits = 22;

    struct Record {
        CPtr cap;
        PAddr paddr;
        seL4_Word size_bits;
        Memory memory;
        seL4_Word watermark; // bytes from paddr already retyped (seL4's free index)
        seL4_Word live;      // objects (and chunks) retyped from it and not freed
        int16_t parent;      // the record it was split from, or -1
    };

    explicit UntypedAllocator(SlotAllocator& slots) : slots_(slots) {}

    // Adds every untyped of bi->untyped / bi->untypedList.
    Result<void> add_boot_info(const seL4_BootInfo& boot_info);
    // Adds one untyped the caller owns; NotEnoughMemory when the table is full.
    Result<void> add(CPtr cap, PAddr paddr, SizeBits size_bits, Memory memory);

    // Retypes one object of `type` into the empty slot `destination` of the slot allocator's CNode.
    // RAM only; the smallest untyped that fits is used. NotEnoughMemory when nothing fits,
    // InvalidArgument for an unknown type or size.
    Result<Object> allocate(seL4_Word type, SizeBits size_bits, CPtr destination);
    // Retypes an object that must lie at `paddr` (device registers, DMA buffers). The gap below it
    // in its untyped becomes new untyped records (usable by later requests). FailedLookup when no
    // untyped covers the address, DeleteFirst when that part of the untyped is already used.
    Result<Object> allocate_at(seL4_Word type, SizeBits size_bits, PAddr paddr, CPtr destination);
    // Deletes the object's capability and gives its memory back to the untyped once that untyped
    // has no objects left (seL4 reuses an untyped from the start only when it has no children).
    // The slot stays allocated; the caller frees it. A stale handle (its object already freed,
    // the slot perhaps reused) or a slot the slot allocator did not hand out is refused with
    // InvalidArgument and nothing is deleted.
    Result<void> free(const Object& object);

    unsigned count() const { return count_; }
    const Record& record(unsigned index) const { return records_[index]; }
    // Bytes of RAM not yet retyped, over all records that are not chunks.
    seL4_Word free_bytes() const;

private:
    Result<Object> retype_from(unsigned index, seL4_Word type, SizeBits size_bits,
                               CPtr destination);
    Result<unsigned> split_chunk(unsigned index, seL4_Word chunk_bits);
    int best_fit(seL4_Word object_bits, Memory memory) const;

    SlotAllocator& slots_;
    Record records_[MaxUntypeds] = {};
    unsigned count_ = 0;
};

} // namespace tessera::alloc
