// What one child costs: the chunks its kernel objects and memory come from, and the capability
// slots the manager fills for it. Every request is checked against the child's quotas before
// anything changes, so a child over its quota gets an error and nothing else is affected.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "quota/chunk_pool.h"

namespace tessera::manager {

constexpr size_t MaxChunksPerChild = 512;

// Where an object goes: at `offset` bytes into chunk `chunk` (where seL4's retype from that
// chunk's untyped puts it, the watermark rounded up to the object's alignment).
struct Placement {
    ChunkIndex chunk;
    uint64_t offset;
};

class ChildLedger {
public:
    // Quotas in bytes (charged a whole chunk at a time) and in slots.
    ChildLedger(ChunkPool& pool, uint64_t ram_quota, uint64_t slot_quota);

    // Room for one object of 2^bits bytes (bits <= the pool's chunk bits).
    libos::Result<Placement> place(libos::SizeBits bits);
    libos::Result<void> charge_slots(uint64_t count);
    // Contract: at most what was charged and not yet released.
    void release_slots(uint64_t count);

    // Stopping the child: every chunk goes back to the pool (the caller revokes each chunk's
    // untyped first, via `chunk(i)`), every slot is released.
    void release_all();

    uint64_t ram_used() const { return chunk_count_ * pool_.chunk_bytes(); }
    uint64_t ram_quota() const { return ram_quota_; }
    uint64_t slots_used() const { return slots_used_; }
    uint64_t slot_quota() const { return slot_quota_; }
    size_t chunk_count() const { return chunk_count_; }
    ChunkIndex chunk(size_t i) const { return chunks_[i]; }

private:
    ChunkPool& pool_;
    uint64_t ram_quota_;
    uint64_t slot_quota_;
    uint64_t slots_used_ = 0;
    ChunkIndex chunks_[MaxChunksPerChild];
    size_t chunk_count_ = 0;
    uint64_t watermark_ = 0; // in the last chunk
};

} // namespace tessera::manager
