#include "guest_ram.h"

#include <tessera/alloc.h>

namespace tessera::services::vmm {
namespace {

libos::Result<seL4_CPtr> new_object(seL4_Word type, const char* what)
{
    tessera_object_t object;
    const seL4_Error e = tessera_alloc_object(type, 0, &object);
    if (e != seL4_NoError)
        return libos::make_error(e, what);
    return object.cptr;
}

// A second capability to `cap`: one frame capability maps it once, and every frame is mapped
// twice (guest and VMM).
libos::Result<seL4_CPtr> copy_of(seL4_CPtr cap)
{
    seL4_CPtr slot = seL4_CapNull;
    seL4_Error e = tessera_alloc_slot(&slot);
    if (e == seL4_NoError)
        e = seL4_CNode_Copy(seL4_CapInitThreadCNode, slot, seL4_WordBits, seL4_CapInitThreadCNode,
                            cap, seL4_WordBits, seL4_AllRights);
    if (e != seL4_NoError)
        return libos::make_error(e, "guest RAM: copying a frame capability");
    return slot;
}

// A PDPT and one page directory covering [base, base + 1 GiB) in `pml4`.
libos::Result<void> map_directory(seL4_CPtr pml4, seL4_Word base, const char* what)
{
    const auto pdpt = new_object(seL4_X86_PDPTObject, what);
    if (!pdpt)
        return pdpt.error();
    const auto pd = new_object(seL4_X86_PageDirectoryObject, what);
    if (!pd)
        return pd.error();
    const seL4_X86_VMAttributes attr = seL4_X86_Default_VMAttributes;
    seL4_Error e = seL4_X86_PDPT_Map(pdpt.value(), pml4, base, attr);
    if (e == seL4_NoError)
        e = seL4_X86_PageDirectory_Map(pd.value(), pml4, base, attr);
    if (e != seL4_NoError)
        return libos::make_error(e, what);
    return {};
}

} // namespace

libos::Result<GuestMemoryCaps> make_guest_ram(seL4_Word bytes)
{
    if (bytes == 0 || bytes > MaxGuestRamBytes)
        return libos::make_error(seL4_InvalidArgument, "guest RAM: size out of range");
    const seL4_Word frames = (bytes + GuestPageBytes - 1) / GuestPageBytes;
    const auto npt = new_object(seL4_X64_PML4Object, "guest RAM: nested page table");
    if (!npt)
        return npt.error();
    if (const seL4_Error e = seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, npt.value());
        e != seL4_NoError)
        return libos::make_error(e, "guest RAM: no ASID for the nested page table");
    if (auto r = map_directory(npt.value(), 0, "guest RAM: nested paging structures"); !r)
        return r.error();
    if (auto r = map_directory(seL4_CapInitThreadVSpace, HostRamWindow,
                               "guest RAM: the VMM's window on it");
        !r)
        return r.error();
    for (seL4_Word i = 0; i < frames; i++) {
        const auto frame = new_object(seL4_X86_LargePageObject, "guest RAM: a 2 MiB frame");
        if (!frame)
            return frame.error();
        const auto second = copy_of(frame.value());
        if (!second)
            return second.error();
        const seL4_X86_VMAttributes attr = seL4_X86_Default_VMAttributes;
        seL4_Error e =
            seL4_X86_Page_Map(frame.value(), npt.value(), i * GuestPageBytes, seL4_ReadWrite, attr);
        if (e == seL4_NoError)
            e = seL4_X86_Page_Map(second.value(), seL4_CapInitThreadVSpace,
                                  HostRamWindow + i * GuestPageBytes, seL4_ReadWrite, attr);
        if (e != seL4_NoError)
            return libos::make_error(e, "guest RAM: mapping a frame");
    }
    return GuestMemoryCaps{npt.value(),
                           {reinterpret_cast<uint8_t*>(HostRamWindow), frames * GuestPageBytes}};
}

} // namespace tessera::services::vmm
