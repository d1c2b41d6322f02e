// The paging structures the server builds for one x86_64 address space (its own frame window or
// a process's), and the mapping of one frame capability with the missing levels made on the way:
// seL4 answers a map over a missing level with FailedLookup and the bits left to translate.
#pragma once

#include <tessera/alloc/object_allocator.h>

#include "core/vector.h"

namespace tessera::posix::sel4 {

class PageTables {
public:
    PageTables(alloc::ObjectAllocator& objects, seL4_CPtr root) : objects_(objects), root_(root) {}
    PageTables(const PageTables&) = delete;
    PageTables& operator=(const PageTables&) = delete;

    // Maps `frame` at `vaddr` (creating the PDPT, page directory and page table it needs). The
    // kernel's error otherwise; seL4_NotEnoughMemory when no table could be made.
    seL4_Error map(seL4_CPtr frame, uint64_t vaddr, seL4_CapRights_t rights,
                   seL4_X86_VMAttributes attributes = seL4_X86_Default_VMAttributes);
    // Deletes every table made here (the pages must be unmapped already or be unmapped with them).
    void free_all();
    seL4_CPtr root() const { return root_; }
    size_t count() const { return tables_.size(); }

private:
    seL4_Error create(seL4_Word bits_left, uint64_t vaddr);

    alloc::ObjectAllocator& objects_;
    seL4_CPtr root_;
    Vector<alloc::Object> tables_;
};

} // namespace tessera::posix::sel4
