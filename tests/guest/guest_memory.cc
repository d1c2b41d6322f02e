// Guest RAM for the test VMM: frames from the library OS's VSpace (mapped for the VMM), each
// capability copied and the copy mapped at its guest-physical address in the nested page table.
#include "guest_memory.h"

#include <stdio.h>
#include <tessera/alloc.h>
#include <tessera/vspace.h>
#include <tessera/vspace/vspace.h>

namespace vmm_suite {
namespace {

seL4_CPtr new_object(seL4_Word type)
{
    tessera_object_t object;
    if (tessera_alloc_object(type, 0, &object) != seL4_NoError)
        return seL4_CapNull;
    return object.cptr;
}

seL4_CPtr copy_of(seL4_CPtr cap)
{
    seL4_CPtr slot = seL4_CapNull;
    if (tessera_alloc_slot(&slot) != seL4_NoError)
        return seL4_CapNull;
    const seL4_Error e =
        seL4_CNode_Copy(seL4_CapInitThreadCNode, slot, seL4_WordBits, seL4_CapInitThreadCNode, cap,
                        seL4_WordBits, seL4_AllRights);
    return e == seL4_NoError ? slot : seL4_CPtr(seL4_CapNull);
}

} // namespace

bool make_guest_memory(seL4_Word pages, GuestMemory& memory)
{
    memory.npt = new_object(seL4_X64_PML4Object);
    if (memory.npt == seL4_CapNull ||
        seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, memory.npt) != seL4_NoError) {
        printf("vmm: no nested page table\n");
        return false;
    }
    const seL4_CPtr pdpt = new_object(seL4_X86_PDPTObject),
                    pd = new_object(seL4_X86_PageDirectoryObject),
                    pt = new_object(seL4_X86_PageTableObject);
    const seL4_X86_VMAttributes attr = seL4_X86_Default_VMAttributes;
    if (seL4_X86_PDPT_Map(pdpt, memory.npt, 0, attr) != seL4_NoError ||
        seL4_X86_PageDirectory_Map(pd, memory.npt, 0, attr) != seL4_NoError ||
        seL4_X86_PageTable_Map(pt, memory.npt, 0, attr) != seL4_NoError) {
        printf("vmm: nested paging structures not mapped\n");
        return false;
    }
    if (tessera_vspace_new_pages(pages, 1, seL4_ReadWrite, &memory.host_base) != seL4_NoError) {
        printf("vmm: no guest RAM\n");
        return false;
    }
    memory.size = pages * 4096;
    for (seL4_Word i = 0; i < pages; i++) {
        if (share_page(memory.npt, memory.host_base + i * 4096, i * 4096) == seL4_CapNull) {
            printf("vmm: guest page %lu not mapped\n", (unsigned long)i);
            return false;
        }
    }
    return true;
}

seL4_CPtr share_page(seL4_CPtr npt, seL4_Word host, seL4_Word gpa)
{
    const auto* mapping = tessera::vspace::process_vspace()->lookup(tessera::libos::VAddr{host});
    const seL4_CPtr frame =
        mapping ? copy_of(tessera::libos::raw(mapping->frame.cap)) : seL4_CPtr(seL4_CapNull);
    if (frame == seL4_CapNull ||
        seL4_X86_Page_Map(frame, npt, gpa, seL4_ReadWrite, seL4_X86_Default_VMAttributes) !=
            seL4_NoError)
        return seL4_CapNull;
    return frame;
}

} // namespace vmm_suite
