// Memory the loader maps for itself from untyped memory, in 2 MiB pages far above its image: room
// for data larger than its heap (its tables, an unpacked image). It stays until the loader's
// self-removal deletes every capability the loader holds, after its last use.
#pragma once

#include <tessera/vspace/vspace.h>

namespace tessera::loader {

class MappedMemory {
public:
    static constexpr uint64_t PageBytes = uint64_t{1} << seL4_LargePageBits;

    // Manages [base, base + max_pages pages) of `vspace` (the root task's own by default; a
    // protection domain names its own); `mappings` has room for max_pages records.
    MappedMemory(alloc::ObjectAllocator& objects, seL4_Word base, vspace::Mapping* mappings,
                 uint32_t max_pages, seL4_CPtr vspace = seL4_CapInitThreadVSpace);

    // Maps zeroed pages for `bytes` bytes at the base and returns it. NotEnoughMemory when the
    // untyped memory or the range runs out. Call once.
    libos::Result<uint8_t*> map(uint64_t bytes);
    // 2 MiB pages mapped for `bytes` bytes.
    static uint64_t pages_for(uint64_t bytes) { return (bytes + PageBytes - 1) / PageBytes; }

private:
    alloc::ObjectAllocator& objects_;
    seL4_Word base_;
    uint32_t max_pages_;
    vspace::VSpace space_;
};

} // namespace tessera::loader
