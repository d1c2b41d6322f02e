// First fit over an unordered free list, with boundary tags so that a freed block merges with
// both neighbours at once: no two free blocks are ever adjacent, and freeing everything leaves
// exactly one block.

#include "tessera/libc/heap.h"

#include "tessera/libc/string_functions.h"

namespace tessera::libc {

struct Heap::Block {
    static constexpr uint64_t UsedBit = 1;

    uint64_t size_and_used; // whole block in bytes, header included; a multiple of 16
    uint64_t previous_size; // size of the block just below; 0 for the first block
    // Only free blocks have these; in used blocks this is the start of the payload.
    Block* next_free;
    Block* previous_free;

    size_t size() const { return size_and_used & ~UsedBit; }
    bool is_used() const { return (size_and_used & UsedBit) != 0; }
    void set(size_t size, bool used) { size_and_used = size | (used ? UsedBit : 0); }
    void set_size(size_t size) { set(size, is_used()); }
    void set_used(bool used) { set(size(), used); }

    Block* next() { return reinterpret_cast<Block*>(reinterpret_cast<char*>(this) + size()); }
    Block* previous()
    {
        if (previous_size == 0)
            return nullptr;
        return reinterpret_cast<Block*>(reinterpret_cast<char*>(this) - previous_size);
    }
    // The payload starts where a free block keeps its links, right after the header.
    void* payload() { return &next_free; }
};

namespace {

constexpr size_t HeaderSize = 2 * sizeof(uint64_t); // size word and previous-size word
constexpr size_t MinimumBlock = 32;                 // header plus the two free-list links
constexpr size_t Limit = static_cast<size_t>(-1);

constexpr uintptr_t round_up(uintptr_t value, uintptr_t alignment)
{
    return (value + alignment - 1) & ~(alignment - 1);
}

// Block size for a payload of `size` bytes; 0 when that cannot be represented.
size_t block_size_for(size_t size)
{
    if (size > Limit - 2 * MinimumBlock)
        return 0;
    const size_t block_size = round_up(size + HeaderSize, Heap::Alignment);
    return block_size < MinimumBlock ? MinimumBlock : block_size;
}

} // namespace

HeapStatus Heap::initialise(void* base, size_t size)
{
    static_assert(sizeof(Block) == MinimumBlock && alignof(Block) <= Alignment);
    const auto raw = reinterpret_cast<uintptr_t>(base);
    if (raw == 0 || size > Limit - raw)
        return HeapStatus::RegionTooSmall;
    const uintptr_t start = round_up(raw, Alignment);
    const uintptr_t end = (raw + size) & ~(uintptr_t{Alignment} - 1);
    if (end < start || end - start < MinimumBlock + HeaderSize)
        return HeapStatus::RegionTooSmall;

    first_ = reinterpret_cast<Block*>(start);
    sentinel_ = reinterpret_cast<Block*>(end - HeaderSize);
    first_->set(end - start - HeaderSize, false);
    first_->previous_size = 0;
    sentinel_->set(0, true);
    sentinel_->previous_size = first_->size();
    free_list_ = nullptr;
    link_free(first_);
    return HeapStatus::Ok;
}

void* Heap::allocate(size_t size)
{
    const size_t block_size = block_size_for(size);
    if (block_size == 0 || first_ == nullptr)
        return nullptr;
    Block* block = find_fit(block_size);
    if (block == nullptr)
        return nullptr;
    unlink_free(block);
    block->set_used(true);
    split(block, block_size);
    return block->payload();
}

void* Heap::allocate_aligned(size_t alignment, size_t size)
{
    if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        return nullptr;
    if (alignment <= Alignment)
        return allocate(size);
    if (size > Limit - alignment - 2 * MinimumBlock)
        return nullptr;
    // Take enough to place an aligned payload after a gap that can stand as a free block.
    void* raw = allocate(size + alignment + MinimumBlock);
    if (raw == nullptr)
        return nullptr;
    Block* block = block_of(raw);
    const auto start = reinterpret_cast<uintptr_t>(raw);
    uintptr_t aligned = round_up(start, alignment);
    if (aligned != start) {
        if (aligned - start < MinimumBlock)
            aligned += alignment;
        const size_t gap = aligned - start;
        // Give the gap back as a free block in front of the aligned one.
        auto* moved = reinterpret_cast<Block*>(reinterpret_cast<char*>(block) + gap);
        moved->set(block->size() - gap, true);
        moved->previous_size = gap;
        moved->next()->previous_size = moved->size();
        block->set(gap, false);
        link_free(merge_with_neighbours(block));
        block = moved;
    }
    split(block, block_size_for(size));
    return block->payload();
}

HeapStatus Heap::release(void* pointer)
{
    if (pointer == nullptr)
        return HeapStatus::Ok;
    Block* block = block_of(pointer);
    if (block == nullptr)
        return HeapStatus::InvalidPointer;
    block->set_used(false);
    link_free(merge_with_neighbours(block));
    return HeapStatus::Ok;
}

void* Heap::reallocate(void* pointer, size_t size)
{
    if (pointer == nullptr)
        return allocate(size);
    Block* block = block_of(pointer);
    if (block == nullptr)
        return nullptr;
    if (size == 0) {
        (void)release(pointer); // cannot fail: the block was just validated
        return nullptr;
    }
    const size_t block_size = block_size_for(size);
    if (block_size == 0)
        return nullptr;
    if (block_size <= block->size()) {
        split(block, block_size);
        return pointer;
    }
    Block* next = block->next();
    if (!next->is_used() && block->size() + next->size() >= block_size) {
        unlink_free(next);
        block->set_size(block->size() + next->size());
        block->next()->previous_size = block->size();
        split(block, block_size);
        return pointer;
    }
    void* moved = allocate(size);
    if (moved == nullptr)
        return nullptr;
    memcpy(moved, pointer, block->size() - HeaderSize);
    (void)release(pointer);
    return moved;
}

size_t Heap::usable_size(const void* pointer) const
{
    Block* block = block_of(pointer);
    return block == nullptr ? 0 : block->size() - HeaderSize;
}

size_t Heap::capacity() const
{
    if (first_ == nullptr)
        return 0;
    return static_cast<size_t>(reinterpret_cast<char*>(sentinel_) -
                               reinterpret_cast<char*>(first_)) -
           HeaderSize;
}

HeapStatistics Heap::statistics() const
{
    HeapStatistics statistics{0, 0, 0, 0};
    for (Block* block = first_; block != nullptr && block != sentinel_; block = block->next()) {
        if (block->is_used()) {
            ++statistics.used_blocks;
            continue;
        }
        ++statistics.free_blocks;
        statistics.free_bytes += block->size();
        if (block->size() > statistics.largest_free)
            statistics.largest_free = block->size();
    }
    return statistics;
}

bool Heap::is_consistent() const
{
    if (first_ == nullptr)
        return true;
    size_t previous_size = 0;
    bool previous_free = false;
    size_t free_blocks = 0;
    for (Block* block = first_; block != sentinel_; block = block->next()) {
        const size_t size = block->size();
        if (size < MinimumBlock || size % Alignment != 0)
            return false;
        if (block->previous_size != previous_size)
            return false;
        if (size > static_cast<size_t>(reinterpret_cast<char*>(sentinel_) -
                                       reinterpret_cast<char*>(block)))
            return false;
        if (!block->is_used()) {
            if (previous_free)
                return false; // coalescing missed a pair
            ++free_blocks;
        }
        previous_free = !block->is_used();
        previous_size = size;
    }
    if (sentinel_->previous_size != previous_size || sentinel_->size_and_used != Block::UsedBit)
        return false;
    size_t listed = 0;
    Block* previous = nullptr;
    for (Block* block = free_list_; block != nullptr; block = block->next_free) {
        if (++listed > free_blocks || block->is_used() || block->previous_free != previous)
            return false;
        if (block < first_ || block >= sentinel_)
            return false;
        previous = block;
    }
    return listed == free_blocks;
}

Heap::Block* Heap::find_fit(size_t block_size) const
{
    for (Block* block = free_list_; block != nullptr; block = block->next_free) {
        if (block->size() >= block_size)
            return block;
    }
    return nullptr;
}

// Checks every header fact a pointer from allocate() satisfies, so that a stray or repeated free
// is reported instead of corrupting the heap.
Heap::Block* Heap::block_of(const void* pointer) const
{
    if (first_ == nullptr || pointer == nullptr)
        return nullptr;
    const auto address = reinterpret_cast<uintptr_t>(pointer);
    const auto low = reinterpret_cast<uintptr_t>(first_);
    const auto high = reinterpret_cast<uintptr_t>(sentinel_);
    if (address % Alignment != 0 || address < low + HeaderSize ||
        address - HeaderSize + MinimumBlock > high)
        return nullptr;
    auto* block = reinterpret_cast<Block*>(address - HeaderSize);
    const size_t size = block->size();
    if (!block->is_used() || size < MinimumBlock || size % Alignment != 0 ||
        size > high - (address - HeaderSize))
        return nullptr;
    if (block->next()->previous_size != size)
        return nullptr;
    if (block == first_)
        return block->previous_size == 0 ? block : nullptr;
    if (block->previous_size == 0 || block->previous_size > address - HeaderSize - low ||
        block->previous()->size() != block->previous_size)
        return nullptr;
    return block;
}

// Cuts `block` (not on the free list) down to `block_size` when the rest can stand as a block of
// its own; the rest is freed and merged with what follows.
void Heap::split(Block* block, size_t block_size)
{
    if (block->size() - block_size < MinimumBlock)
        return;
    auto* rest = reinterpret_cast<Block*>(reinterpret_cast<char*>(block) + block_size);
    rest->set(block->size() - block_size, false);
    rest->previous_size = block_size;
    rest->next()->previous_size = rest->size();
    block->set_size(block_size);
    link_free(merge_with_neighbours(rest));
}

// `block` is free and off the list; absorbs free neighbours (taking them off the list) and
// returns the merged block, which the caller links.
Heap::Block* Heap::merge_with_neighbours(Block* block)
{
    Block* next = block->next();
    if (!next->is_used()) {
        unlink_free(next);
        block->set_size(block->size() + next->size());
        block->next()->previous_size = block->size();
    }
    Block* previous = block->previous();
    if (previous != nullptr && !previous->is_used()) {
        unlink_free(previous);
        previous->set_size(previous->size() + block->size());
        previous->next()->previous_size = previous->size();
        block = previous;
    }
    return block;
}

void Heap::link_free(Block* block)
{
    block->previous_free = nullptr;
    block->next_free = free_list_;
    if (free_list_ != nullptr)
        free_list_->previous_free = block;
    free_list_ = block;
}

void Heap::unlink_free(Block* block)
{
    if (block->previous_free != nullptr) {
        block->previous_free->next_free = block->next_free;
    } else {
        free_list_ = block->next_free;
    }
    if (block->next_free != nullptr)
        block->next_free->previous_free = block->previous_free;
}

} // namespace tessera::libc
