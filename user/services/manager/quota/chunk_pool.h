// The manager's RAM as equal chunks of untyped memory (2^chunk_bits bytes each). A child owns
// whole chunks, so stopping it revokes exactly its chunks and the untyped watermarks return to
// where they were; nothing of one child is ever left inside another's chunk.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/libos/result.h>
#include <tessera/libos/types.h>

namespace tessera::manager {

enum class ChunkIndex : uint32_t {};
constexpr uint32_t raw(ChunkIndex index)
{
    return static_cast<uint32_t>(index);
}

constexpr size_t MaxChunks = 4096;

class ChunkPool {
public:
    // `count` chunks (at most MaxChunks) of 2^chunk_bits bytes; all free.
    ChunkPool(size_t count, libos::SizeBits chunk_bits);

    libos::Result<ChunkIndex> take();
    // Contract: `index` was taken and not given back since.
    void give_back(ChunkIndex index);

    size_t free_count() const { return free_count_; }
    size_t count() const { return count_; }
    uint64_t chunk_bytes() const { return uint64_t{1} << static_cast<unsigned>(chunk_bits_); }
    libos::SizeBits chunk_bits() const { return chunk_bits_; }
    bool is_taken(ChunkIndex index) const { return taken_[raw(index)]; }

private:
    size_t count_;
    libos::SizeBits chunk_bits_;
    size_t free_count_;
    ChunkIndex free_[MaxChunks]; // a stack of free chunks
    bool taken_[MaxChunks] = {};
};

} // namespace tessera::manager
