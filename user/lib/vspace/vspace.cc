// Mapping and unmapping frames, with paging structures created on demand.
#include <tessera/libos/kernel_calls.h>
#include <tessera/vspace/vspace.h>

namespace tessera::vspace {

namespace {

// Bits left in a failed x86_64 mapping lookup (libsel4 sel4_arch/mapping.h: SEL4_MAPPING_LOOKUP_*).
constexpr seL4_Word MissingPdpt = 39;
constexpr seL4_Word MissingPageDirectory = 30;
constexpr seL4_Word MissingPageTable = 21;

} // namespace

using libos::check;
using libos::make_error;
using libos::PageSize;
using libos::raw;

Result<void> VSpace::create_table(seL4_Word bits_left, VAddr vaddr)
{
    // seL4 x86_64 names the level it could not walk past by the bits left to translate (MR2 of
    // the reply, libsel4's SEL4_MAPPING_LOOKUP_LEVEL): no PDPT, no page directory, no page table.
    seL4_Word type = 0;
    switch (bits_left) {
    case MissingPdpt:
        type = seL4_X86_PDPTObject;
        break;
    case MissingPageDirectory:
        type = seL4_X86_PageDirectoryObject;
        break;
    case MissingPageTable:
        type = seL4_X86_PageTableObject;
        break;
    default:
        return make_error(seL4_FailedLookup, "vspace: unexpected lookup level", bits_left);
    }
    if (table_count_ == MaxTables)
        return make_error(seL4_NotEnoughMemory, "vspace: table list full");
    auto table = objects_.allocate(type);
    if (!table)
        return table.error();
    const seL4_CPtr cap = raw(table.value().cap);
    seL4_Error error = seL4_NoError;
    if (type == seL4_X86_PDPTObject)
        error = seL4_X86_PDPT_Map(cap, raw(root_), vaddr.raw(), seL4_X86_Default_VMAttributes);
    else if (type == seL4_X86_PageDirectoryObject)
        error =
            seL4_X86_PageDirectory_Map(cap, raw(root_), vaddr.raw(), seL4_X86_Default_VMAttributes);
    else
        error = seL4_X86_PageTable_Map(cap, raw(root_), vaddr.raw(), seL4_X86_Default_VMAttributes);
    auto mapped = check(error, "vspace: map paging structure");
    if (!mapped) {
        (void)objects_.free(table.value());
        return mapped;
    }
    tables_[table_count_++] = table.value();
    return {};
}

Result<void> VSpace::map_with_tables(CPtr frame, VAddr vaddr, seL4_CapRights_t rights,
                                     seL4_X86_VMAttributes attributes)
{
    // At most three levels can be missing; a fourth failure means the kernel disagrees with us.
    for (int attempt = 0; attempt < 4; ++attempt) {
        auto mapped = check(seL4_X86_Page_Map(raw(frame), raw(root_), vaddr.raw(), rights, attributes),
                            "vspace: map page");
        if (mapped || mapped.error().code != seL4_FailedLookup)
            return mapped;
        auto created = create_table(mapped.error().detail, vaddr);
        if (!created)
            return created;
    }
    return make_error(seL4_FailedLookup, "vspace: paging structures keep missing");
}

Result<void> VSpace::map(const Object& frame, VAddr vaddr, seL4_CapRights_t rights,
                         Ownership ownership, seL4_X86_VMAttributes attributes)
{
    if (!vaddr.is_aligned(seL4_PageBits))
        return make_error(seL4_AlignmentError, "vspace: vaddr");
    if (!is_reserved(vaddr))
        return make_error(seL4_InvalidArgument, "vspace: not reserved");
    if (lookup(vaddr))
        return make_error(seL4_DeleteFirst, "vspace: page already mapped");
    if (mapped_ == capacity_)
        return make_error(seL4_NotEnoughMemory, "vspace: mapping list full");
    auto mapped = map_with_tables(frame.cap, vaddr, rights, attributes);
    if (!mapped)
        return mapped;
    mappings_[mapped_++] = Mapping{vaddr, frame, ownership};
    return {};
}

Result<void> VSpace::map_new_pages(VAddr vaddr, seL4_Word pages, seL4_CapRights_t rights)
{
    for (seL4_Word i = 0; i < pages; ++i) {
        const VAddr page = vaddr + i * PageSize;
        auto frame = objects_.frame();
        auto mapped = frame ? map(frame.value(), page, rights, Ownership::Owned)
                            : Result<void>(frame.error());
        if (!mapped) {
            if (frame)
                (void)objects_.free(frame.value());
            (void)unmap(vaddr, i);
            return mapped;
        }
    }
    return {};
}

const Mapping* VSpace::lookup(VAddr vaddr) const
{
    const VAddr page{vaddr.raw() & ~(PageSize - 1)};
    for (unsigned i = 0; i < mapped_; ++i) {
        if (mappings_[i].vaddr == page)
            return &mappings_[i];
    }
    return nullptr;
}

Result<void> VSpace::unmap_index(unsigned index)
{
    const Mapping mapping = mappings_[index];
    auto unmapped = check(seL4_X86_Page_Unmap(raw(mapping.frame.cap)), "vspace: unmap page");
    if (!unmapped)
        return unmapped;
    mappings_[index] = mappings_[--mapped_];
    if (mapping.ownership == Ownership::Owned)
        return objects_.free(mapping.frame);
    return {};
}

Result<void> VSpace::unmap(VAddr vaddr, seL4_Word pages)
{
    for (seL4_Word i = 0; i < pages; ++i) {
        const Mapping* mapping = lookup(vaddr + i * PageSize);
        if (!mapping)
            continue;
        auto unmapped = unmap_index(static_cast<unsigned>(mapping - mappings_));
        if (!unmapped)
            return unmapped;
    }
    return {};
}

Result<void> VSpace::free_tables()
{
    // Deleting a paging structure's last capability unmaps it; lowest level first.
    while (table_count_ > 0) {
        auto freed = objects_.free(tables_[table_count_ - 1]);
        if (!freed)
            return freed;
        --table_count_;
    }
    return {};
}

} // namespace tessera::vspace
