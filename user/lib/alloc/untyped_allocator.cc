// Best-fit retyping over the untyped records, splitting large untypeds into chunks on demand.
#include <tessera/alloc/untyped_allocator.h>
#include <tessera/libos/kernel_calls.h>

#include <tessera/abi/object_size.h>

namespace tessera::alloc {

using libos::align_up;
using libos::make_error;
using libos::raw;

seL4_Word object_size_bits(seL4_Word type, SizeBits size_bits)
{
    const seL4_Word bits = raw(size_bits);
    switch (type) {
    case seL4_UntypedObject:
        return bits >= seL4_MinUntypedBits && bits <= seL4_MaxUntypedBits ? bits : 0;
    case seL4_CapTableObject:
        return bits >= 1 && bits + seL4_SlotBits <= 47 ? bits + seL4_SlotBits : 0;
    default:
        return tessera_fixed_object_size_bits(type);
    }
}

Result<void> UntypedAllocator::add_boot_info(const seL4_BootInfo& boot_info)
{
    const seL4_Word count = boot_info.untyped.end - boot_info.untyped.start;
    for (seL4_Word i = 0; i < count && i < CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS; ++i) {
        const seL4_UntypedDesc& desc = boot_info.untypedList[i];
        auto added = add(CPtr{boot_info.untyped.start + i}, PAddr{desc.paddr},
                         SizeBits{desc.sizeBits}, desc.isDevice ? Memory::Device : Memory::Ram);
        if (!added)
            return added;
    }
    return {};
}

Result<void> UntypedAllocator::add(CPtr cap, PAddr paddr, SizeBits size_bits, Memory memory)
{
    if (count_ == MaxUntypeds)
        return make_error(seL4_NotEnoughMemory, "untyped: table full");
    records_[count_++] = Record{cap, paddr, raw(size_bits), memory, 0, 0, -1};
    return {};
}

seL4_Word UntypedAllocator::free_bytes() const
{
    seL4_Word bytes = 0;
    for (unsigned i = 0; i < count_; ++i) {
        const Record& r = records_[i];
        if (r.memory == Memory::Ram)
            bytes += (seL4_Word{1} << r.size_bits) - r.watermark;
    }
    return bytes;
}

int UntypedAllocator::best_fit(seL4_Word object_bits, Memory memory) const
{
    int best = -1;
    for (unsigned i = 0; i < count_; ++i) {
        const Record& r = records_[i];
        if (r.memory != memory || r.size_bits < object_bits)
            continue;
        if (align_up(r.watermark, object_bits) + (seL4_Word{1} << object_bits) >
            (seL4_Word{1} << r.size_bits))
            continue;
        if (best < 0 || r.size_bits < records_[best].size_bits)
            best = static_cast<int>(i);
    }
    return best;
}

Result<Object> UntypedAllocator::retype_from(unsigned index, seL4_Word type, SizeBits size_bits,
                                             CPtr destination)
{
    Record& r = records_[index];
    const seL4_Word bits = object_size_bits(type, size_bits);
    const seL4_Word offset = align_up(r.watermark, bits);
    auto retyped = libos::check(seL4_Untyped_Retype(raw(r.cap), type, raw(size_bits),
                                                    raw(slots_.root()), 0, 0, raw(destination), 1),
                                "untyped: retype");
    if (!retyped)
        return retyped.error();
    r.watermark = offset + (seL4_Word{1} << bits);
    ++r.live;
    return Object{destination,
                  type,
                  size_bits,
                  r.paddr + offset,
                  static_cast<uint16_t>(index),
                  slots_.generation(destination)};
}

Result<unsigned> UntypedAllocator::split_chunk(unsigned index, seL4_Word chunk_bits)
{
    if (count_ == MaxUntypeds)
        return make_error(seL4_NotEnoughMemory, "untyped: table full");
    auto slot = slots_.allocate();
    if (!slot)
        return slot.error();
    auto chunk = retype_from(index, seL4_UntypedObject, SizeBits{chunk_bits}, slot.value());
    if (!chunk) {
        (void)slots_.free(slot.value());
        return chunk.error();
    }
    records_[count_] = Record{slot.value(),
                              chunk.value().paddr,
                              chunk_bits,
                              records_[index].memory,
                              0,
                              0,
                              static_cast<int16_t>(index)};
    return count_++;
}

Result<Object> UntypedAllocator::allocate(seL4_Word type, SizeBits size_bits, CPtr destination)
{
    const seL4_Word bits = object_size_bits(type, size_bits);
    if (bits == 0)
        return make_error(seL4_InvalidArgument, "untyped: unknown type or size");
    const int best = best_fit(bits, Memory::Ram);
    if (best < 0)
        return make_error(seL4_NotEnoughMemory, "untyped: no untyped fits");
    unsigned index = static_cast<unsigned>(best);
    if (records_[index].size_bits > SplitAboveBits && bits < ChunkBits) {
        auto chunk = split_chunk(index, ChunkBits);
        // Without a chunk (table or slots full) the object still comes from the large untyped.
        if (chunk)
            index = chunk.value();
    }
    return retype_from(index, type, size_bits, destination);
}

Result<Object> UntypedAllocator::allocate_at(seL4_Word type, SizeBits size_bits, PAddr paddr,
                                             CPtr destination)
{
    const seL4_Word bits = object_size_bits(type, size_bits);
    if (bits == 0)
        return make_error(seL4_InvalidArgument, "untyped: unknown type or size");
    if (!paddr.is_aligned(bits))
        return make_error(seL4_AlignmentError, "untyped: paddr alignment");
    for (unsigned i = 0; i < count_; ++i) {
        const Record& r = records_[i];
        const seL4_Word size = seL4_Word{1} << r.size_bits;
        if (paddr < r.paddr || paddr - r.paddr >= size ||
            paddr - r.paddr + (seL4_Word{1} << bits) > size)
            continue;
        const seL4_Word target = paddr - r.paddr;
        if (r.watermark > target)
            continue; // a later record (a filler) may still cover it
        // Fill [watermark, target) with the largest aligned untypeds that fit, lowest first, so
        // the watermark lands exactly on the target.
        while (records_[i].watermark < target) {
            const seL4_Word at = records_[i].watermark;
            seL4_Word fill = __builtin_ctzll(at | (seL4_Word{1} << 63));
            while (at + (seL4_Word{1} << fill) > target)
                --fill;
            if (fill < seL4_MinUntypedBits)
                return make_error(seL4_AlignmentError, "untyped: gap");
            auto chunk = split_chunk(i, fill);
            if (!chunk)
                return chunk.error();
        }
        return retype_from(i, type, size_bits, destination);
    }
    for (unsigned i = 0; i < count_; ++i) {
        const Record& r = records_[i];
        if (paddr >= r.paddr && paddr - r.paddr < (seL4_Word{1} << r.size_bits))
            return make_error(seL4_DeleteFirst, "untyped: address already retyped");
    }
    return make_error(seL4_FailedLookup, "untyped: no untyped covers the address");
}

Result<void> UntypedAllocator::free(const Object& object)
{
    if (object.untyped >= count_)
        return make_error(seL4_InvalidArgument, "untyped: bad object");
    // Without this check a second free would delete whatever now lives in the reused slot.
    if (!slots_.is_current(object.cap, object.generation))
        return make_error(seL4_InvalidArgument, "untyped: stale object handle");
    auto deleted =
        libos::check(seL4_CNode_Delete(raw(slots_.root()), raw(object.cap), SlotAllocator::depth()),
                     "untyped: delete object");
    if (!deleted)
        return deleted;
    slots_.retire(object.cap);
    Record& r = records_[object.untyped];
    if (r.live > 0 && --r.live == 0)
        r.watermark = 0;
    return {};
}

} // namespace tessera::alloc
