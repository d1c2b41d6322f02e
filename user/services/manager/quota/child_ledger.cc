// A child's account: objects are placed in its own chunks, in order, as seL4's untyped watermark
// would place them; a new chunk is charged in full when the last one has no room.
#include "quota/child_ledger.h"

namespace tessera::manager {

ChildLedger::ChildLedger(ChunkPool& pool, uint64_t ram_quota, uint64_t slot_quota)
    : pool_(pool), ram_quota_(ram_quota), slot_quota_(slot_quota)
{
}

libos::Result<Placement> ChildLedger::place(libos::SizeBits bits)
{
    const unsigned object_bits = static_cast<unsigned>(bits);
    if (object_bits > static_cast<unsigned>(pool_.chunk_bits()))
        return libos::make_error(seL4_RangeError, "manager: object larger than a chunk",
                                 static_cast<seL4_Word>(pool_.chunk_bits()));
    const uint64_t size = uint64_t{1} << object_bits;
    const uint64_t aligned = (watermark_ + size - 1) & ~(size - 1);
    if (chunk_count_ > 0 && aligned + size <= pool_.chunk_bytes()) {
        watermark_ = aligned + size;
        return Placement{chunks_[chunk_count_ - 1], aligned};
    }
    // Decode: every limit is checked before the pool is touched.
    if (ram_used() + pool_.chunk_bytes() > ram_quota_)
        return libos::make_error(seL4_NotEnoughMemory, "manager: the child's ram quota");
    if (chunk_count_ == MaxChunksPerChild)
        return libos::make_error(seL4_NotEnoughMemory, "manager: the child's chunk table");
    auto chunk = pool_.take();
    if (!chunk)
        return chunk.error();
    chunks_[chunk_count_++] = chunk.value();
    watermark_ = size;
    return Placement{chunk.value(), 0};
}

libos::Result<void> ChildLedger::charge_slots(uint64_t count)
{
    if (count > slot_quota_ - slots_used_)
        return libos::make_error(seL4_NotEnoughMemory, "manager: the child's caps quota",
                                 slot_quota_ - slots_used_);
    slots_used_ += count;
    return {};
}

void ChildLedger::release_slots(uint64_t count)
{
    slots_used_ -= count;
}

void ChildLedger::release_all()
{
    while (chunk_count_ > 0)
        pool_.give_back(chunks_[--chunk_count_]);
    watermark_ = 0;
    slots_used_ = 0;
}

} // namespace tessera::manager
