// Object creation and mapping for the benchmarks (see kernel_objects.h).
#include "kernel_objects.h"

namespace tessera::bench {
namespace {

// seL4's failed-lookup detail: MR2 holds the bits left unresolved, which names the paging
// structure missing above a frame (seL4 Reference Manual, "Errors"; libsel4 mapping helpers).
constexpr seL4_Word LookupBitsLeftRegister = 2;

struct PagingLevel {
    seL4_Word bits_left;
    seL4_Word object_type;
};
constexpr PagingLevel PagingLevels[] = {
    {21, seL4_X86_PageTableObject},
    {30, seL4_X86_PageDirectoryObject},
    {39, seL4_X86_PDPTObject},
};

seL4_Error map_structure(seL4_Word type, seL4_CPtr cap, seL4_CPtr vspace, seL4_Word vaddr)
{
    switch (type) {
    case seL4_X86_PageTableObject:
        return seL4_X86_PageTable_Map(cap, vspace, vaddr, seL4_X86_Default_VMAttributes);
    case seL4_X86_PageDirectoryObject:
        return seL4_X86_PageDirectory_Map(cap, vspace, vaddr, seL4_X86_Default_VMAttributes);
    default:
        return seL4_X86_PDPT_Map(cap, vspace, vaddr, seL4_X86_Default_VMAttributes);
    }
}

} // namespace

KernelObjects::KernelObjects(const seL4_BootInfo& boot_info)
    : next_slot_(boot_info.empty.start), end_slot_(boot_info.empty.end), untyped_(0)
{
    seL4_Word largest = 0;
    const seL4_Word count = boot_info.untyped.end - boot_info.untyped.start;
    for (seL4_Word i = 0; i < count; i++) {
        const seL4_UntypedDesc& desc = boot_info.untypedList[i];
        if (!desc.isDevice && desc.sizeBits > boot_info.untypedList[largest].sizeBits)
            largest = i;
    }
    untyped_ = boot_info.untyped.start + largest;
}

seL4_CPtr KernelObjects::take_slot()
{
    return next_slot_ < end_slot_ ? next_slot_++ : 0;
}

Made KernelObjects::make(seL4_Word type, seL4_Word size_bits)
{
    const seL4_CPtr slot = take_slot();
    if (slot == 0)
        return {seL4_NotEnoughMemory, 0};
    const seL4_Error error =
        seL4_Untyped_Retype(untyped_, type, size_bits, seL4_CapInitThreadCNode, 0, 0, slot, 1);
    return {error, slot};
}

seL4_Error KernelObjects::add_missing_structure(seL4_CPtr vspace, seL4_Word vaddr)
{
    const seL4_Word bits_left = seL4_GetMR(LookupBitsLeftRegister);
    for (const PagingLevel& level : PagingLevels) {
        if (level.bits_left != bits_left)
            continue;
        const Made structure = make(level.object_type);
        if (!structure.ok())
            return structure.error;
        return map_structure(level.object_type, structure.cap, vspace, vaddr);
    }
    return seL4_FailedLookup;
}

seL4_Error KernelObjects::map_frame(seL4_CPtr frame, seL4_CPtr vspace, seL4_Word vaddr,
                                    seL4_CapRights_t rights, seL4_X86_VMAttributes attributes)
{
    seL4_Error error = seL4_X86_Page_Map(frame, vspace, vaddr, rights, attributes);
    // Three levels can be missing; a structure whose own parent is missing fails the same way
    // and is made again once the parent exists, so seven rounds always suffice.
    for (unsigned round = 0; round < 7 && error == seL4_FailedLookup; round++) {
        error = add_missing_structure(vspace, vaddr);
        if (error == seL4_NoError)
            error = seL4_X86_Page_Map(frame, vspace, vaddr, rights, attributes);
    }
    return error;
}

Made KernelObjects::make_vspace()
{
    const Made pml4 = make(seL4_X64_PML4Object);
    if (!pml4.ok())
        return pml4;
    return {seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pml4.cap), pml4.cap};
}

Made KernelObjects::copy(seL4_CPtr cap)
{
    const seL4_CPtr slot = take_slot();
    if (slot == 0)
        return {seL4_NotEnoughMemory, 0};
    return {seL4_CNode_Copy(seL4_CapInitThreadCNode, slot, seL4_WordBits, seL4_CapInitThreadCNode, cap,
                            seL4_WordBits, seL4_AllRights),
            slot};
}

Made KernelObjects::mint(seL4_CPtr cap, seL4_Word badge)
{
    const seL4_CPtr slot = take_slot();
    if (slot == 0)
        return {seL4_NotEnoughMemory, 0};
    return {seL4_CNode_Mint(seL4_CapInitThreadCNode, slot, seL4_WordBits, seL4_CapInitThreadCNode, cap,
                            seL4_WordBits, seL4_AllRights, badge),
            slot};
}

} // namespace tessera::bench
