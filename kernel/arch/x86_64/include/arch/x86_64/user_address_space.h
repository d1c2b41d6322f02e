// Builds a user address space from pages taken out of boot memory: used once, for the root task.
// Later address spaces are built by user code from untyped memory through seL4 invocations.
#pragma once

#include <cstdint>

#include "boot/physical_regions.h"

namespace tessera::x86_64 {

struct PageAccess {
    bool writable;
    bool executable;
};

// A paging structure created while building, kept so that boot can hand it to the root task as
// an object with a capability (seL4's BootInfo userImagePaging region).
struct CreatedTable {
    unsigned level; // 3 = PDPT, 2 = page directory, 1 = page table
    uint64_t physical;
    uint64_t vaddr; // first virtual address the table translates
};

class UserAddressSpaceBuilder {
public:
    static constexpr unsigned MaxTables = 64;

    explicit UserAddressSpaceBuilder(boot::PhysicalRegions& free) : free_(free) {}

    // Allocates the top-level table and shares the kernel half with it.
    [[nodiscard]] bool create();
    // Maps the 4 KiB frame at `physical` at `vaddr` (page aligned, below UserTop, not yet mapped).
    [[nodiscard]] bool map(uint64_t vaddr, uint64_t physical, PageAccess access);
    // A zeroed 4 KiB frame from boot memory, or 0 when memory ran out.
    uint64_t allocate_zeroed_frame();

    uint64_t pml4_physical() const { return pml4_; }
    unsigned table_count() const { return table_count_; }
    const CreatedTable& table(unsigned i) const { return tables_[i]; }

private:
    uint64_t* next_level(uint64_t* table, unsigned index, unsigned level, uint64_t vaddr);

    boot::PhysicalRegions& free_;
    uint64_t pml4_ = 0;
    CreatedTable tables_[MaxTables];
    unsigned table_count_ = 0;
};

} // namespace tessera::x86_64
