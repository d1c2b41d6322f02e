// In-system tests of the capability and memory invocations (issue 4), written against the
// libsel4-compatible API exactly as a seL4 program would be.
#include <sel4/sel4.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tessera/runtime.h>

#include "suite_support.h"

namespace {

using namespace objects_suite;

constexpr seL4_Word Depth = seL4_WordBits;

seL4_CPtr allocate_slot() { return next_free++; }

const seL4_BootInfoHeader* find_chunk(const seL4_BootInfo* bi, seL4_Word id)
{
    const auto* base = reinterpret_cast<const unsigned char*>(bi) + 4096;
    for (seL4_Word offset = 0; offset + sizeof(seL4_BootInfoHeader) <= bi->extraLen;) {
        const auto* h = reinterpret_cast<const seL4_BootInfoHeader*>(base + offset);
        if (h->id == id)
            return h;
        if (h->len == 0)
            break;
        offset += h->len;
    }
    return nullptr;
}

// The chunks in seL4's order with seL4's lengths, closed by a padding chunk that ends the
// page; QEMU's -kernel loader passes neither VBE (Multiboot flags bit 11) nor framebuffer
// (bit 12) information, so those chunks are absent here (their layout is host-tested).
void check_extra_chunk_layout(const seL4_BootInfo* bi)
{
    const auto* base = reinterpret_cast<const unsigned char*>(bi) + 4096;
    seL4_Word ids[8], lengths[8], count = 0, offset = 0;
    while (offset + sizeof(seL4_BootInfoHeader) <= 4096 && count < 8) {
        const auto* h = reinterpret_cast<const seL4_BootInfoHeader*>(base + offset);
        ids[count] = h->id;
        lengths[count++] = h->len;
        if (h->len < sizeof(seL4_BootInfoHeader))
            break;
        offset += h->len;
    }
    const seL4_Word expected[] = {SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP, SEL4_BOOTINFO_HEADER_X86_MBMMAP,
                                  SEL4_BOOTINFO_HEADER_X86_TSC_FREQ, SEL4_BOOTINFO_HEADER_PADDING};
    bool order = count == 4;
    for (seL4_Word i = 0; order && i < 4; i++)
        order = ids[i] == expected[i];
    check("bootinfo.extra_chunk_order", order);
    check("bootinfo.extra_memory_map_full_size", count > 1 && lengths[1] == sizeof(seL4_X86_BootInfo_mmap_t));
    check("bootinfo.extra_padding_ends_page", offset == 4096);
    check("bootinfo.extra_length", bi->extraLen == 16 + 36 + sizeof(seL4_X86_BootInfo_mmap_t) + 20 + 16);
    check("bootinfo.no_vbe_or_framebuffer_from_qemu", find_chunk(bi, SEL4_BOOTINFO_HEADER_X86_VBE) == nullptr &&
                                                          find_chunk(bi, SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER) == nullptr);
}

// Sends DomainSetSet with `words` message words and `caps` extra capabilities (the TCB first).
seL4_Error raw_domain_call(seL4_Word label, seL4_Word words, seL4_Word caps)
{
    seL4_SetMR(0, 0);
    seL4_SetCap(0, seL4_CapInitThreadTCB);
    const seL4_MessageInfo_t reply = seL4_Call(seL4_CapDomain, seL4_MessageInfo_new(label, 0, caps, words));
    return seL4_Error(seL4_MessageInfo_get_label(reply));
}

// seL4_DomainSet's methods (seL4's decodeDomainInvocation, non-MCS) on seL4's default build: one
// domain, two schedule entries. Only refused calls and moves to domain 0: nothing changes.
void check_domain_invocations(seL4_CPtr empty_slot)
{
    check_error("domain.set_own_thread", seL4_DomainSet_Set(seL4_CapDomain, 0, seL4_CapInitThreadTCB), seL4_NoError);
    check_error("domain.no_such_domain", seL4_DomainSet_Set(seL4_CapDomain, 1, seL4_CapInitThreadTCB),
                seL4_InvalidArgument);
    check("domain.no_such_domain_argument_0", seL4_GetMR(0) == 0);
    check_error("domain.largest_domain_number", seL4_DomainSet_Set(seL4_CapDomain, 255, seL4_CapInitThreadTCB),
                seL4_InvalidArgument);
    check_error("domain.not_a_tcb", seL4_DomainSet_Set(seL4_CapDomain, 0, seL4_CapInitThreadCNode), seL4_InvalidArgument);
    check("domain.not_a_tcb_argument_1", seL4_GetMR(0) == 1);
    check_error("domain.empty_slot_as_tcb", seL4_DomainSet_Set(seL4_CapDomain, 0, empty_slot), seL4_InvalidArgument);
    // The domain is checked before the capability: a bad domain with a bad capability names the domain.
    check_error("domain.domain_checked_first", seL4_DomainSet_Set(seL4_CapDomain, 1, seL4_CapInitThreadCNode),
                seL4_InvalidArgument);
    check("domain.domain_checked_first_argument_0", seL4_GetMR(0) == 0);
    check_error("domain.no_words", raw_domain_call(DomainSetSet, 0, 1), seL4_TruncatedMessage);
    check_error("domain.no_tcb_cap", raw_domain_call(DomainSetSet, 1, 0), seL4_TruncatedMessage);
    check_error("domain.unknown_label", raw_domain_call(CNodeCopy, 1, 1), seL4_IllegalOperation);
    check_error("domain.thread_still_runs", raw_domain_call(DomainSetSet, 1, 1), seL4_NoError);
    check_error("domain.configure_last_entry_stays_end_marker",
                seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 1, 0, 10), seL4_RangeError);
    check("domain.configure_range_is_0_to_0", seL4_GetMR(0) == 0 && seL4_GetMR(1) == 0);
    check_error("domain.configure_no_such_domain", seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 1, 10),
                seL4_RangeError);
    check_error("domain.configure_start_not_end_marker", seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 0, 0),
                seL4_InvalidArgument);
    check_error("domain.set_start_on_end_marker", seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 1),
                seL4_InvalidArgument);
    check_error("domain.set_start_past_the_end", seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 2),
                seL4_RangeError);
}

} // namespace

int main(void)
{
    seL4_BootInfo* bi = tessera_boot_info();
    next_free = bi->empty.start;

    // BootInfo, as seL4 lays it out.
    check("bootinfo.cnode_size", bi->initThreadCNodeSizeBits == 12);
    // No IOMMU: seL4 writes -1 levels and no IOSpace capabilities; one node.
    check("bootinfo.no_io_page_tables", bi->numIOPTLevels == ~seL4_Word{0} && bi->ioSpaceCaps.start == 0 &&
                                            bi->ioSpaceCaps.end == 0 && seL4_DebugCapIdentify(seL4_CapIOSpace) == 0);
    check("bootinfo.one_node", bi->nodeID == 0 && bi->numNodes == 1 && bi->initThreadDomain == 0);
    check("bootinfo.extra_pages_one", bi->extraBIPages.end - bi->extraBIPages.start == 1);
    check("bootinfo.paging_by_level", seL4_DebugCapIdentify(bi->userImagePaging.start) !=
                                          seL4_DebugCapIdentify(bi->userImagePaging.end - 1));
    check("bootinfo.ipc_buffer", bi->ipcBuffer == seL4_GetIPCBuffer() && bi->ipcBuffer != nullptr);
    check("bootinfo.regions_ordered",
          bi->userImagePaging.start == seL4_NumInitialCaps && bi->userImagePaging.end == bi->extraBIPages.start &&
              bi->extraBIPages.end == bi->userImageFrames.start && bi->userImageFrames.end == bi->untyped.start &&
              bi->untyped.end <= bi->empty.start && bi->empty.end == (seL4_Word{1} << 12));
    check("bootinfo.image_frames", bi->userImageFrames.end - bi->userImageFrames.start >= 3);
    check("bootinfo.paging_structures", bi->userImagePaging.end - bi->userImagePaging.start >= 3);
    const seL4_Word untypeds = bi->untyped.end - bi->untyped.start;
    seL4_Word untyped_bytes = 0, largest = 0;
    for (seL4_Word i = 0; i < untypeds; i++) {
        untyped_bytes += seL4_Word{1} << bi->untypedList[i].sizeBits;
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits > bi->untypedList[largest].sizeBits)
            largest = i;
    }
    check("bootinfo.untyped_memory", untypeds > 0 && untyped_bytes > (seL4_Word{256} << 20));
    // seL4's create_untypeds order: every device untyped before the first RAM untyped.
    bool seen_ram = false, device_after_ram = false, any_device = false;
    for (seL4_Word i = 0; i < untypeds; i++) {
        any_device |= bi->untypedList[i].isDevice != 0;
        device_after_ram |= seen_ram && bi->untypedList[i].isDevice;
        seen_ram |= !bi->untypedList[i].isDevice;
    }
    check("bootinfo.device_untypeds_first", any_device && seen_ram && !device_after_ram);
    // seL4 writes the TSC frequency as 32 bits of MHz (a 20-byte chunk).
    const auto* tsc = find_chunk(bi, SEL4_BOOTINFO_HEADER_X86_TSC_FREQ);
    check("bootinfo.extra_tsc_frequency",
          tsc && tsc->len == sizeof(seL4_BootInfoHeader) + 4 && reinterpret_cast<const uint32_t*>(tsc + 1)[0] > 100);
    check_extra_chunk_layout(bi);
    check("bootinfo.extra_memory_map", find_chunk(bi, SEL4_BOOTINFO_HEADER_X86_MBMMAP) != nullptr);
    // QEMU's firmware provides ACPI: the chunk holds the RSDP itself, signature first.
    const auto* rsdp = find_chunk(bi, SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP);
    check("bootinfo.extra_acpi_rsdp", rsdp != nullptr && rsdp->len == sizeof(seL4_BootInfoHeader) + 36 &&
                                          memcmp(rsdp + 1, "RSD PTR ", 8) == 0);

    const seL4_CPtr ut = bi->untyped.start + largest;
    const seL4_CPtr root = seL4_CapInitThreadCNode;

    // Untyped_Retype and its errors.
    const seL4_CPtr ep = allocate_slot();
    check_error("untyped.retype_endpoint", seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, root, 0, 0, ep, 1), seL4_NoError);
    check_error("untyped.retype_occupied_destination",
                seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, root, 0, 0, ep, 1), seL4_DeleteFirst);
    check_error("untyped.retype_bad_type", seL4_Untyped_Retype(ut, 9999, 0, root, 0, 0, next_free, 1),
                seL4_InvalidArgument);
    check_error("untyped.retype_zero_objects", seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, root, 0, 0, next_free, 0),
                seL4_RangeError);
    check_error("untyped.retype_too_large",
                seL4_Untyped_Retype(ut, seL4_UntypedObject, bi->untypedList[largest].sizeBits + 1, root, 0, 0, next_free, 1),
                seL4_NotEnoughMemory);
    check_error("untyped.retype_past_cnode_end",
                seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, root, 0, 0, (seL4_Word{1} << 12) - 1, 2), seL4_RangeError);
    const seL4_CPtr frames = allocate_slot();
    allocate_slot();
    check_error("untyped.retype_two_frames", seL4_Untyped_Retype(ut, seL4_X86_4K, 0, root, 0, 0, frames, 2), seL4_NoError);
    const seL4_CPtr cnode = allocate_slot();
    check_error("untyped.retype_cnode", seL4_Untyped_Retype(ut, seL4_CapTableObject, 4, root, 0, 0, cnode, 1), seL4_NoError);

    // CNode invocations.
    const seL4_CPtr copy = allocate_slot();
    check_error("cnode.copy", seL4_CNode_Copy(root, copy, Depth, root, ep, Depth, seL4_AllRights), seL4_NoError);
    check_error("cnode.copy_occupied", seL4_CNode_Copy(root, copy, Depth, root, ep, Depth, seL4_AllRights),
                seL4_DeleteFirst);
    check_error("cnode.copy_bad_depth", seL4_CNode_Copy(root, allocate_slot(), Depth + 1, root, ep, Depth, seL4_AllRights),
                seL4_RangeError);
    check_error("cnode.copy_empty_source",
                seL4_CNode_Copy(root, allocate_slot(), Depth, root, bi->empty.end - 1, Depth, seL4_AllRights),
                seL4_FailedLookup);
    const seL4_CPtr minted = allocate_slot();
    check_error("cnode.mint_badge", seL4_CNode_Mint(root, minted, Depth, root, ep, Depth, seL4_AllRights, 42), seL4_NoError);
    const seL4_CPtr moved = allocate_slot();
    check_error("cnode.move", seL4_CNode_Move(root, moved, Depth, root, copy, Depth), seL4_NoError);
    check_error("cnode.move_leaves_source_empty", seL4_CNode_Move(root, allocate_slot(), Depth, root, copy, Depth),
                seL4_FailedLookup);
    // Into the new 16-slot CNode, addressed with its own root and depth 4.
    check_error("cnode.copy_into_child_cnode", seL4_CNode_Copy(cnode, 3, 4, root, ep, Depth, seL4_AllRights), seL4_NoError);
    // Depth 5 through a 4-bit CNode needs a CNode in slot 0 for the fifth bit: there is none.
    check_error("cnode.depth_beyond_child_cnode", seL4_CNode_Copy(cnode, 0, 5, root, ep, Depth, seL4_AllRights),
                seL4_FailedLookup);
    check_error("cnode.delete", seL4_CNode_Delete(root, moved, Depth), seL4_NoError);
    check_error("cnode.delete_empty_slot", seL4_CNode_Delete(root, moved, Depth), seL4_NoError);

    // Revoke removes every capability derived from the untyped, then the memory can be reused.
    check_error("cnode.revoke_untyped", seL4_CNode_Revoke(root, ut, Depth), seL4_NoError);
    check_error("cnode.revoke_removed_children", seL4_CNode_Copy(root, allocate_slot(), Depth, root, ep, Depth, seL4_AllRights),
                seL4_FailedLookup);
    check_error("untyped.retype_after_revoke", seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, root, 0, 0, ep, 1),
                seL4_NoError);

    // Wrong object type and unknown labels are refused, and the caller keeps running.
    check_error("invocation.wrong_object_type", seL4_Untyped_Retype(root, seL4_EndpointObject, 0, root, 0, 0, next_free, 1),
                seL4_IllegalOperation);
    seL4_MessageInfo_t unknown = seL4_Call(ut, seL4_MessageInfo_new(999, 0, 0, 0));
    check("invocation.unknown_label", seL4_MessageInfo_get_label(unknown) == seL4_IllegalOperation);
    check_error("cnode.truncated_message",
                seL4_Error(seL4_MessageInfo_get_label(seL4_Call(root, seL4_MessageInfo_new(CNodeCopy, 0, 0, 1)))),
                seL4_TruncatedMessage);

    // seL4_DebugCapIdentify answers with seL4's kernel tags for the capability types.
    check("debug.cap_identify",
          seL4_DebugCapIdentify(seL4_CapInitThreadCNode) == 10 && seL4_DebugCapIdentify(ut) == 2 &&
              seL4_DebugCapIdentify(seL4_CapInitThreadVSpace) == 9 && seL4_DebugCapIdentify(seL4_CapInitThreadTCB) == 12 &&
              seL4_DebugCapIdentify(seL4_CapInitThreadIPCBuffer) == 1 && seL4_DebugCapIdentify(bi->empty.end - 1) == 0);

    check_domain_invocations(allocate_slot());

    return summary();
}
