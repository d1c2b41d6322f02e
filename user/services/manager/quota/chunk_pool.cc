// The manager's pool of untyped chunks.
#include "quota/chunk_pool.h"

namespace tessera::manager {

ChunkPool::ChunkPool(size_t count, libos::SizeBits chunk_bits)
    : count_(count > MaxChunks ? MaxChunks : count), chunk_bits_(chunk_bits), free_count_(count_)
{
    // Lowest index on top, so a fresh pool hands out chunks in address order.
    for (size_t i = 0; i < count_; ++i)
        free_[i] = ChunkIndex{static_cast<uint32_t>(count_ - 1 - i)};
}

libos::Result<ChunkIndex> ChunkPool::take()
{
    if (free_count_ == 0)
        return libos::make_error(seL4_NotEnoughMemory, "manager: no free chunk in the pool");
    const ChunkIndex index = free_[--free_count_];
    taken_[raw(index)] = true;
    return index;
}

void ChunkPool::give_back(ChunkIndex index)
{
    taken_[raw(index)] = false;
    free_[free_count_++] = index;
}

} // namespace tessera::manager
