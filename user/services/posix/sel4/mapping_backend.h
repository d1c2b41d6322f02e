// Process mappings on seL4: a process's address space is a PML4 with an ASID, and each mapped
// page is a copy of the server's frame capability (a capability maps once) mapped with
// X86_Page_Map; the copy's slot is the mapping's handle.
#pragma once

#include "core/vm/mapping_backend.h"
#include "sel4/page_tables.h"

namespace tessera::posix {

struct HardwareSpace {
    alloc::Object root;
    sel4::PageTables tables;
};

namespace sel4 {

class MappingBackend final : public posix::MappingBackend {
public:
    MappingBackend(alloc::ObjectAllocator& objects, seL4_CPtr asid_pool)
        : objects_(objects), asid_pool_(asid_pool)
    {
    }

    Result<HardwareSpace*> create_space() override;
    void destroy_space(HardwareSpace* space) override;
    Result<uint64_t> map(HardwareSpace* space, uint64_t vaddr, Frame& frame,
                         Writable writable) override;
    Result<void> protect(HardwareSpace* space, uint64_t vaddr, Frame& frame, uint64_t mapping,
                         Writable writable) override;
    void unmap(HardwareSpace* space, uint64_t vaddr, uint64_t mapping) override;

private:
    alloc::ObjectAllocator& objects_;
    seL4_CPtr asid_pool_;
};

} // namespace sel4
} // namespace tessera::posix
