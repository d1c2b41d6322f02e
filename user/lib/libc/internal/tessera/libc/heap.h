// A first-fit allocator with immediate coalescing over one memory region the program hands it.
// Behind malloc/free; also usable directly (several heaps side by side, as the host tests do).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::libc {

enum class HeapStatus { Ok, RegionTooSmall, InvalidPointer };

struct HeapStatistics {
    size_t free_bytes; // payload and header bytes of all free blocks
    size_t free_blocks;
    size_t used_blocks;
    size_t largest_free; // size of the largest free block, header included
};

// Not thread-safe: a component with several threads serialises calls itself.
// Every block is a 16-byte header {size | used bit, size of the previous block} followed by its
// payload, so payloads are 16-byte aligned and both neighbours are found in constant time.
class Heap {
public:
    static constexpr size_t Alignment = 16;

    // Constant-initialised, so a global heap works before any constructor has run.
    constexpr Heap() = default;

    // Takes over [base, base + size) (aligned inwards to 16 bytes); forgets any earlier region.
    [[nodiscard]] HeapStatus initialise(void* base, size_t size);

    // nullptr when no free block is large enough; a unique pointer for size 0.
    void* allocate(size_t size);
    // `alignment` must be a power of two; nullptr if not, or when out of memory.
    void* allocate_aligned(size_t alignment, size_t size);
    // nullptr is accepted and ignored. InvalidPointer for anything this heap did not hand out or
    // that was freed already (as far as the block headers can tell); the heap is unchanged then.
    [[nodiscard]] HeapStatus release(void* pointer);
    // C's realloc: moves only when the block cannot grow in place. On failure returns nullptr and
    // leaves the old block untouched. Size 0 frees the block and returns nullptr.
    void* reallocate(void* pointer, size_t size);

    // Usable bytes of an allocated block (at least the size asked for).
    size_t usable_size(const void* pointer) const;
    // Bytes a single allocation could use right after initialise().
    size_t capacity() const;
    HeapStatistics statistics() const;
    // Walks every block and the free list; false if any invariant is broken (for tests/debug).
    bool is_consistent() const;

private:
    struct Block;

    Block* find_fit(size_t block_size) const;
    Block* block_of(const void* pointer) const;
    void split(Block* block, size_t block_size);
    Block* merge_with_neighbours(Block* block);
    void link_free(Block* block);
    void unlink_free(Block* block);

    Block* first_ = nullptr;    // lowest block
    Block* sentinel_ = nullptr; // zero-sized used block ending the region
    Block* free_list_ = nullptr;
};

} // namespace tessera::libc
