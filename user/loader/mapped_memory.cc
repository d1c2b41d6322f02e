// Pages are retyped one by one from untyped memory (zeroed by the kernel) and mapped through the
// loader's own VSpace; the library creates the page directory and PDPT the range needs.
#include "mapped_memory.h"

#include <sel4/sel4.h>

namespace tessera::loader {
namespace {

using libos::make_error;
using libos::VAddr;

constexpr seL4_Word SmallPagesPerPage = MappedMemory::PageBytes / libos::PageSize;

} // namespace

MappedMemory::MappedMemory(alloc::ObjectAllocator& objects, seL4_Word base, vspace::Mapping* mappings,
                           uint32_t max_pages, seL4_CPtr vspace)
    : objects_(objects), base_(base), max_pages_(max_pages),
      space_(objects, libos::CPtr{vspace}, VAddr{base},
             VAddr{base + max_pages * PageBytes}, mappings, max_pages)
{
}

libos::Result<uint8_t*> MappedMemory::map(uint64_t bytes)
{
    const uint64_t pages = pages_for(bytes);
    if (pages > max_pages_)
        return make_error(seL4_NotEnoughMemory, "more than the loader maps for itself");
    auto reserved = space_.reserve_at(VAddr{base_}, pages * SmallPagesPerPage);
    if (!reserved)
        return reserved.error();
    for (uint64_t i = 0; i < pages; ++i) {
        auto frame = objects_.allocate(seL4_X86_LargePageObject);
        if (!frame)
            return frame.error();
        auto mapped = space_.map(frame.value(), VAddr{base_ + i * PageBytes}, seL4_ReadWrite,
                                 vspace::Ownership::Owned);
        if (!mapped)
            return mapped.error();
    }
    return reinterpret_cast<uint8_t*>(base_);
}

} // namespace tessera::loader
