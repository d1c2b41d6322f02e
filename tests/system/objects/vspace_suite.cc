// In-system tests of x86_64 address-space invocations (issue 4): paging structures, frames of
// every size, ASID pools, through the libsel4-compatible API. Frames are mapped into the root
// task's own address space, so the test reads and writes them.
#include <sel4/sel4.h>
#include <stdint.h>
#include <stdio.h>
#include <tessera/runtime.h>

#include "suite_support.h"

namespace {

using namespace objects_suite;

constexpr seL4_CPtr VSpace = seL4_CapInitThreadVSpace;
constexpr seL4_X86_VMAttributes Attributes = seL4_X86_Default_VMAttributes;


volatile uint64_t* at(seL4_Word vaddr) { return reinterpret_cast<volatile uint64_t*>(vaddr); }

} // namespace

int main(void)
{
    seL4_BootInfo* bi = tessera_boot_info();
    use_boot_resources(bi);

    // 4 KiB frames under a new page table.
    const seL4_Word base = 0x10000000;
    const seL4_CPtr frame = make(seL4_X86_4K);
    check_error("frame.map_without_page_table", seL4_X86_Page_Map(frame, VSpace, base, seL4_ReadWrite, Attributes),
                seL4_FailedLookup);
    check("frame.lookup_failure_bits_left", seL4_GetMR(2) == 21);
    const seL4_CPtr pt = make(seL4_X86_PageTableObject);
    check_error("page_table.map", seL4_X86_PageTable_Map(pt, VSpace, base, Attributes), seL4_NoError);
    check_error("page_table.map_twice", seL4_X86_PageTable_Map(pt, VSpace, base + 0x200000, Attributes),
                seL4_InvalidCapability);
    check_error("frame.map", seL4_X86_Page_Map(frame, VSpace, base, seL4_ReadWrite, Attributes), seL4_NoError);
    *at(base) = 0x1122334455667788ull;
    check("frame.read_write", *at(base) == 0x1122334455667788ull);
    check_error("frame.map_second_address", seL4_X86_Page_Map(frame, VSpace, base + 0x1000, seL4_ReadWrite, Attributes),
                seL4_InvalidArgument);
    check("frame.map_second_address_argument_0", seL4_GetMR(0) == 0);
    check_error("frame.remap_same_address", seL4_X86_Page_Map(frame, VSpace, base, seL4_CanRead, Attributes),
                seL4_NoError);
    check("frame.remap_keeps_contents", *at(base) == 0x1122334455667788ull);
    check_error("frame.remap_writable_again", seL4_X86_Page_Map(frame, VSpace, base, seL4_ReadWrite, Attributes),
                seL4_NoError);

    const seL4_CPtr alias = next_free++;
    check_error("frame.copy_cap", seL4_CNode_Copy(seL4_CapInitThreadCNode, alias, seL4_WordBits, seL4_CapInitThreadCNode,
                                                  frame, seL4_WordBits, seL4_AllRights),
                seL4_NoError);
    check_error("frame.map_copy", seL4_X86_Page_Map(alias, VSpace, base + 0x1000, seL4_CanRead, Attributes), seL4_NoError);
    check("frame.copies_alias", *at(base + 0x1000) == 0x1122334455667788ull);
    const seL4_X86_Page_GetAddress_t a1 = seL4_X86_Page_GetAddress(frame), a2 = seL4_X86_Page_GetAddress(alias);
    check("frame.get_address", a1.error == seL4_NoError && a1.paddr != 0 && (a1.paddr & 0xfff) == 0 && a1.paddr == a2.paddr);

    // seL4 on x86 lets a frame take over another frame's entry; the first frame's capability
    // still names the address, so mapping it there again restores it.
    const seL4_CPtr intruder = make(seL4_X86_4K);
    check_error("frame.map_over_frame_replaces", seL4_X86_Page_Map(intruder, VSpace, base, seL4_ReadWrite, Attributes),
                seL4_NoError);
    check("frame.replacement_visible", *at(base) == 0);
    check_error("frame.unmap_replacement", seL4_X86_Page_Unmap(intruder), seL4_NoError);
    check_error("frame.restore_original", seL4_X86_Page_Map(frame, VSpace, base, seL4_ReadWrite, Attributes),
                seL4_NoError);
    check("frame.original_restored", *at(base) == 0x1122334455667788ull);
    const seL4_CPtr other = make(seL4_X86_4K);
    check_error("frame.map_last_user_page",
                seL4_X86_Page_Map(other, VSpace, seL4_UserTop, seL4_ReadWrite, Attributes), seL4_InvalidArgument);
    check_error("frame.map_misaligned", seL4_X86_Page_Map(other, VSpace, base + 0x2800, seL4_ReadWrite, Attributes),
                seL4_AlignmentError);
    check_error("frame.map_kernel_address",
                seL4_X86_Page_Map(other, VSpace, 0xffff800000000000ull, seL4_ReadWrite, Attributes), seL4_InvalidArgument);
    check_error("frame.map_without_vspace", seL4_X86_Page_Map(other, frame, base + 0x2000, seL4_ReadWrite, Attributes),
                seL4_InvalidCapability);
    check("frame.map_without_vspace_cap_1", seL4_GetMR(0) == 1);
    // Cache attributes: write-through, uncached and write-combining (PAT entry 4) mappings work.
    const seL4_X86_VMAttributes kinds[] = {seL4_X86_WriteThrough, seL4_X86_CacheDisabled, seL4_X86_Uncacheable,
                                           seL4_X86_WriteCombining};
    bool attributes_ok = true;
    for (seL4_Word i = 0; i < 4; i++) {
        const seL4_CPtr f = make(seL4_X86_4K);
        const seL4_Word where = base + 0x10000 + i * 0x1000;
        attributes_ok = attributes_ok && seL4_X86_Page_Map(f, VSpace, where, seL4_ReadWrite, kinds[i]) == seL4_NoError;
        *at(where) = 0xa77 + i;
        attributes_ok = attributes_ok && *at(where) == 0xa77 + i;
    }
    check("frame.map_with_cache_attributes", attributes_ok);

    // Deleting a mapped frame capability removes its mapping: the address is free again.
    check_error("frame.delete_mapped_copy", seL4_CNode_Delete(seL4_CapInitThreadCNode, alias, seL4_WordBits), seL4_NoError);
    check_error("frame.map_after_delete", seL4_X86_Page_Map(other, VSpace, base + 0x1000, seL4_ReadWrite, Attributes),
                seL4_NoError);
    *at(base + 0x1000) = 7;
    check("frame.fresh_frame_is_separate", *at(base) == 0x1122334455667788ull && *at(base + 0x1000) == 7);
    check_error("frame.unmap", seL4_X86_Page_Unmap(other), seL4_NoError);
    check_error("frame.remap_after_unmap", seL4_X86_Page_Map(other, VSpace, base + 0x3000, seL4_ReadWrite, Attributes),
                seL4_NoError);
    check("frame.contents_survive_remap", *at(base + 0x3000) == 7);

    // A 2 MiB page under a new page directory (PDPT slot 1 covers 1 GiB .. 2 GiB).
    const seL4_Word large_base = 0x40000000;
    const seL4_CPtr large = make(seL4_X86_LargePageObject);
    check_error("large_page.map_without_directory",
                seL4_X86_Page_Map(large, VSpace, large_base, seL4_ReadWrite, Attributes), seL4_FailedLookup);
    check("large_page.lookup_failure_bits_left", seL4_GetMR(2) == 30);
    const seL4_CPtr pd = make(seL4_X86_PageDirectoryObject);
    check_error("page_directory.map", seL4_X86_PageDirectory_Map(pd, VSpace, large_base, Attributes), seL4_NoError);
    check_error("large_page.map", seL4_X86_Page_Map(large, VSpace, large_base, seL4_ReadWrite, Attributes), seL4_NoError);
    *at(large_base + 0x1ff000) = 42;
    check("large_page.read_write_end", *at(large_base + 0x1ff000) == 42 && *at(large_base) == 0);

    // A PDPT in an empty PML4 slot (512 GiB).
    const seL4_Word far_base = 0x8000000000ull;
    const seL4_CPtr pd2 = make(seL4_X86_PageDirectoryObject);
    check_error("page_directory.map_without_pdpt", seL4_X86_PageDirectory_Map(pd2, VSpace, far_base, Attributes),
                seL4_FailedLookup);
    check("page_directory.lookup_failure_bits_left", seL4_GetMR(2) == 39);
    const seL4_CPtr pdpt = make(seL4_X86_PDPTObject);
    check_error("pdpt.map", seL4_X86_PDPT_Map(pdpt, VSpace, far_base, Attributes), seL4_NoError);
    check_error("page_directory.map_under_new_pdpt", seL4_X86_PageDirectory_Map(pd2, VSpace, far_base, Attributes),
                seL4_NoError);
    check_error("page_directory.map_occupied", seL4_X86_PageDirectory_Map(make(seL4_X86_PageDirectoryObject), VSpace,
                                                                          far_base, Attributes),
                seL4_DeleteFirst);
    check_error("page_table.map_too_high", seL4_X86_PageTable_Map(make(seL4_X86_PageTableObject), VSpace,
                                                                  0x800000000000ull, Attributes),
                seL4_InvalidArgument);
    check_error("page_table.map_bad_vspace_before_address",
                seL4_X86_PageTable_Map(make(seL4_X86_PageTableObject), frame, 0x800000000000ull, Attributes),
                seL4_InvalidCapability);
    check_error("page_table.unmap", seL4_X86_PageTable_Unmap(pt), seL4_NoError);
    check_error("page_table.remap_after_unmap", seL4_X86_PageTable_Map(pt, VSpace, base, Attributes), seL4_NoError);

    // ASID pools: a new pool from a 4 KiB untyped, a new PML4 assigned to it.
    const seL4_CPtr small_untyped = make(seL4_UntypedObject, seL4_ASIDPoolBits);
    const seL4_CPtr pool = next_free++;
    check_error("asid.make_pool", seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, small_untyped,
                                                                seL4_CapInitThreadCNode, pool, seL4_WordBits),
                seL4_NoError);
    check_error("asid.make_pool_from_used_untyped",
                seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, small_untyped, seL4_CapInitThreadCNode, next_free,
                                              seL4_WordBits),
                seL4_RevokeFirst);
    check_error("asid.make_pool_wrong_size", seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, untyped,
                                                                          seL4_CapInitThreadCNode, next_free, seL4_WordBits),
                seL4_InvalidCapability);
    const seL4_CPtr pml4 = make(seL4_X64_PML4Object);
    check_error("page_table.map_unassigned_vspace", seL4_X86_PageTable_Map(make(seL4_X86_PageTableObject), pml4, base, Attributes),
                seL4_InvalidCapability);
    check_error("asid.assign", seL4_X86_ASIDPool_Assign(pool, pml4), seL4_NoError);
    check_error("asid.assign_twice", seL4_X86_ASIDPool_Assign(pool, pml4), seL4_InvalidCapability);
    check_error("frame.map_into_second_vspace_while_mapped",
                seL4_X86_Page_Map(frame, pml4, base, seL4_ReadWrite, Attributes), seL4_InvalidCapability);
    check("frame.map_into_second_vspace_cap_1", seL4_GetMR(0) == 1);
    check_error("pdpt.map_into_new_vspace", seL4_X86_PDPT_Map(make(seL4_X86_PDPTObject), pml4, base, Attributes),
                seL4_NoError);
    check_error("invocation.wrong_method_for_frame", seL4_X86_PageTable_Map(frame, VSpace, base, Attributes),
                seL4_IllegalOperation);

    return summary();
}
