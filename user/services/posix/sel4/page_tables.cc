// Mapping with paging structures made on demand.
#include "sel4/page_tables.h"

#include <tessera/libos/kernel_calls.h>

namespace tessera::posix::sel4 {

namespace {

// Bits left in a failed x86_64 mapping lookup (libsel4's SEL4_MAPPING_LOOKUP_NO_*).
constexpr seL4_Word MissingPdpt = 39;
constexpr seL4_Word MissingPageDirectory = 30;
constexpr seL4_Word MissingPageTable = 21;

} // namespace

seL4_Error PageTables::create(seL4_Word bits_left, uint64_t vaddr)
{
    seL4_Word type = 0;
    if (bits_left == MissingPdpt)
        type = seL4_X86_PDPTObject;
    else if (bits_left == MissingPageDirectory)
        type = seL4_X86_PageDirectoryObject;
    else if (bits_left == MissingPageTable)
        type = seL4_X86_PageTableObject;
    else
        return seL4_FailedLookup;
    auto table = objects_.allocate(type);
    if (!table)
        return seL4_NotEnoughMemory;
    const seL4_CPtr cap = libos::raw(table.value().cap);
    seL4_Error error;
    if (type == seL4_X86_PDPTObject)
        error = seL4_X86_PDPT_Map(cap, root_, vaddr, seL4_X86_Default_VMAttributes);
    else if (type == seL4_X86_PageDirectoryObject)
        error = seL4_X86_PageDirectory_Map(cap, root_, vaddr, seL4_X86_Default_VMAttributes);
    else
        error = seL4_X86_PageTable_Map(cap, root_, vaddr, seL4_X86_Default_VMAttributes);
    if (error == seL4_NoError && !tables_.push_back(table.value()))
        error = seL4_NotEnoughMemory;
    if (error != seL4_NoError)
        (void)objects_.free(table.value());
    return error;
}

seL4_Error PageTables::map(seL4_CPtr frame, uint64_t vaddr, seL4_CapRights_t rights,
                           seL4_X86_VMAttributes attributes)
{
    // At most three levels can be missing; a fourth failure means the kernel disagrees with us.
    for (int attempt = 0; attempt < 4; ++attempt) {
        const seL4_Error error =
            seL4_X86_Page_Map(frame, root_, vaddr, rights, attributes);
        if (error != seL4_FailedLookup)
            return error;
        const seL4_Error created = create(seL4_GetMR(2), vaddr);
        if (created != seL4_NoError)
            return created;
    }
    return seL4_FailedLookup;
}

void PageTables::free_all()
{
    // Deleting a structure's last capability unmaps it; the lowest levels were made last.
    while (tables_.size() > 0) {
        (void)objects_.free(tables_[tables_.size() - 1]);
        tables_.pop_back();
    }
}

} // namespace tessera::posix::sel4
