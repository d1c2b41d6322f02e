// In-system tests of TLB invalidation (issue 4): after an Unmap, the deletion of a frame
// capability, of a page table, of a VSpace or of an ASID pool whose ASID is then reused, a read of
// the old address must fault. A probe thread reads one address and stops; the root task, its
// fault handler, sees either the value (the probe's ud2 after the read) or the VM fault. The
// probes run in the root task's own address space (no CR3 switch between the change and the
// read) and in a second one that alternates with it. QEMU's TCG caches translations like a TLB,
// so a missing invalidation is seen as a read that should have faulted.
#include <sel4/sel4.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tessera/runtime.h>

#include "suite_support.h"

namespace {

using namespace objects_suite;

constexpr seL4_CPtr Root = seL4_CapInitThreadCNode;
constexpr seL4_X86_VMAttributes Attributes = seL4_X86_Default_VMAttributes;
// Code and data share the first GiB of every space, each under a page table of its own.
constexpr seL4_Word Code = 0x20000000, Data = 0x20200000, DataAliases = 0x20400000;
constexpr seL4_Word ProbePriority = 100;
// mov (%rdi), %rax; ud2: one read, then a user exception that hands control back.
constexpr unsigned char ProbeCode[] = {0x48, 0x8b, 0x07, 0x0f, 0x0b};

seL4_CPtr fault_ep;
seL4_CPtr code_frame; // the probe's code, mapped at Code in the root task's space


seL4_CPtr copy_of(seL4_CPtr cap)
{
    const seL4_CPtr slot = next_free++;
    if (seL4_CNode_Copy(Root, slot, seL4_WordBits, Root, cap, seL4_WordBits, seL4_AllRights) != seL4_NoError)
        printf("copy of cap %lu failed\n", (unsigned long)cap);
    return slot;
}

seL4_Error map_frame(seL4_CPtr frame, seL4_CPtr vspace, seL4_Word vaddr)
{
    return seL4_X86_Page_Map(frame, vspace, vaddr, seL4_ReadWrite, Attributes);
}

// What one probe saw: the value it read, or the address of its VM fault.
struct Probe {
    bool faulted;
    seL4_Word value;
    seL4_Word fault_address;
};

// A thread with its own TCB that reads addresses in `vspace` for the root task.
struct Prober {
    seL4_CPtr tcb;

    static Prober in(seL4_CPtr vspace)
    {
        Prober p{make(seL4_TCBObject)};
        if (seL4_TCB_Configure(p.tcb, fault_ep, Root, 0, vspace, 0, 0, seL4_CapNull) != seL4_NoError ||
            seL4_TCB_SetPriority(p.tcb, seL4_CapInitThreadTCB, ProbePriority) != seL4_NoError)
            printf("probe thread set-up failed\n");
        return p;
    }

    void move_to(seL4_CPtr vspace) const
    {
        if (seL4_TCB_SetSpace(tcb, fault_ep, Root, 0, vspace, 0) != seL4_NoError)
            printf("probe thread move failed\n");
    }

    Probe read(seL4_Word address) const
    {
        seL4_UserContext regs{};
        regs.rip = Code;
        regs.rdi = address;
        regs.rflags = 0x202;
        constexpr seL4_Word UpToRdi = 9;
        if (seL4_TCB_WriteRegisters(tcb, 1, 0, UpToRdi, &regs) != seL4_NoError)
            printf("probe start failed\n");
        seL4_Word badge = 0;
        const seL4_MessageInfo_t info = seL4_Recv(fault_ep, &badge);
        if (seL4_MessageInfo_get_label(info) == seL4_Fault_VMFault)
            return {true, 0, seL4_GetMR(seL4_VMFault_Addr)};
        seL4_UserContext out{};
        constexpr seL4_Word UpToRax = 4;
        (void)seL4_TCB_ReadRegisters(tcb, 0, 0, UpToRax, &out);
        return {false, out.rax, 0};
    }
};

void describe(const Probe& p)
{
    if (p.faulted)
        printf("  (the probe faulted at 0x%lx)\n", (unsigned long)p.fault_address);
    else
        printf("  (the probe read 0x%lx)\n", (unsigned long)p.value);
}
bool reads(const Probe& p, seL4_Word value)
{
    const bool ok = !p.faulted && p.value == value;
    if (!ok)
        describe(p);
    return ok;
}
bool faults_at(const Probe& p, seL4_Word address)
{
    const bool ok = p.faulted && p.fault_address == address;
    if (!ok)
        describe(p);
    return ok;
}

// A second address space with the probe code and its paging structures for the first GiB.
seL4_CPtr new_space(seL4_CPtr pool, seL4_CPtr& data_table)
{
    const seL4_CPtr pml4 = make(seL4_X64_PML4Object);
    if (seL4_X86_ASIDPool_Assign(pool, pml4) != seL4_NoError)
        printf("ASID assignment failed\n");
    (void)seL4_X86_PDPT_Map(make(seL4_X86_PDPTObject), pml4, Code, Attributes);
    (void)seL4_X86_PageDirectory_Map(make(seL4_X86_PageDirectoryObject), pml4, Code, Attributes);
    (void)seL4_X86_PageTable_Map(make(seL4_X86_PageTableObject), pml4, Code, Attributes);
    data_table = make(seL4_X86_PageTableObject);
    (void)seL4_X86_PageTable_Map(data_table, pml4, Data, Attributes);
    if (map_frame(copy_of(code_frame), pml4, Code) != seL4_NoError)
        printf("probe code mapping failed\n");
    return pml4;
}

// A frame holding `value`, written through a mapping in the root task's own space.
seL4_CPtr frame_holding(seL4_Word value, seL4_Word alias_index)
{
    const seL4_CPtr frame = make(seL4_X86_4K);
    const seL4_Word alias = DataAliases + alias_index * 0x1000;
    (void)map_frame(frame, seL4_CapInitThreadVSpace, alias);
    *reinterpret_cast<volatile seL4_Word*>(alias) = value;
    return frame;
}

// Check names for one address space: "tlb.<space>.<what>".
class NamedChecks {
public:
    explicit NamedChecks(const char* space) : space_(space) {}
    void check(const char* what, bool ok) { libos_suite::check(name(what), ok); }
    void check_error(const char* what, seL4_Error got) { libos_suite::check_error(name(what), got, seL4_NoError); }

private:
    const char* name(const char* what)
    {
        snprintf(buffer_, sizeof(buffer_), "tlb.%s.%s", space_, what);
        return buffer_;
    }
    const char* space_;
    char buffer_[96];
};

// Unmap, delete a frame capability, unmap and delete a page table: each must end the old
// translation in `space` at once.
void check_mapping_changes(const char* space_name, const Prober& probe, seL4_CPtr space, seL4_CPtr data_table,
                           seL4_Word alias_index)
{
    NamedChecks t(space_name);
    const seL4_Word value = 0x7e570000 + alias_index;
    const seL4_CPtr frame = frame_holding(value, alias_index);
    const auto map_and_read = [&](const char* what) {
        const seL4_CPtr copy = copy_of(frame);
        (void)map_frame(copy, space, Data);
        t.check(what, reads(probe.read(Data), value));
        return copy;
    };
    const auto read_faults = [&](const char* what) { t.check(what, faults_at(probe.read(Data), Data)); };

    const seL4_CPtr mapped = map_and_read("read_mapped");
    (void)seL4_X86_Page_Unmap(mapped);
    read_faults("unmap_faults");
    (void)map_frame(mapped, space, Data);
    t.check("remap_reads", reads(probe.read(Data), value));
    (void)seL4_CNode_Delete(Root, mapped, seL4_WordBits);
    read_faults("delete_frame_cap_faults");

    map_and_read("read_before_table_unmap");
    t.check_error("page_table_unmap", seL4_X86_PageTable_Unmap(data_table));
    read_faults("page_table_unmap_faults");
    (void)seL4_X86_PageTable_Map(data_table, space, Data, Attributes);
    read_faults("remapped_table_is_empty");

    map_and_read("read_before_table_delete");
    t.check_error("page_table_delete", seL4_CNode_Delete(Root, data_table, seL4_WordBits));
    read_faults("page_table_delete_faults");
}

// A VSpace is deleted and its ASID given to a new one: nothing of the old space may show.
void check_asid_reuse_after_vspace_delete()
{
    seL4_CPtr table = 0;
    const seL4_CPtr old_space = new_space(seL4_CapInitThreadASIDPool, table);
    const Prober probe = Prober::in(old_space);
    const seL4_CPtr frame = frame_holding(0x01d5ace, 20);
    (void)map_frame(copy_of(frame), old_space, Data);
    check("tlb.vspace_delete.read_mapped", reads(probe.read(Data), 0x01d5ace));
    // The probe's TCB holds a copy of the VSpace capability: revoke it, then delete the last one.
    check_error("tlb.vspace_delete.revoke_thread_copy", seL4_CNode_Revoke(Root, old_space, seL4_WordBits), seL4_NoError);
    check_error("tlb.vspace_delete.delete", seL4_CNode_Delete(Root, old_space, seL4_WordBits), seL4_NoError);
    check("tlb.vspace_delete.thread_faults_on_fetch", faults_at(probe.read(Data), Code));

    // The pool hands out its lowest free ASID: the deleted space's.
    const seL4_CPtr new_root = new_space(seL4_CapInitThreadASIDPool, table);
    probe.move_to(new_root);
    check("tlb.vspace_delete.reused_asid_has_no_stale_translation", faults_at(probe.read(Data), Data));
    (void)map_frame(copy_of(frame_holding(0x2ead, 21)), new_root, Data);
    check("tlb.vspace_delete.reused_asid_reads_new_frame", reads(probe.read(Data), 0x2ead));
}

// An ASID pool is deleted and a new pool takes its place in the ASID table.
void check_asid_reuse_after_pool_delete()
{
    const seL4_CPtr pool_memory = make(seL4_UntypedObject, seL4_ASIDPoolBits);
    const seL4_CPtr pool = next_free++;
    check_error("tlb.pool_delete.make_pool",
                seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, pool_memory, Root, pool, seL4_WordBits),
                seL4_NoError);
    seL4_CPtr table = 0;
    const seL4_CPtr space = new_space(pool, table);
    const Prober probe = Prober::in(space);
    (void)map_frame(copy_of(frame_holding(0x9001, 22)), space, Data);
    check("tlb.pool_delete.read_mapped", reads(probe.read(Data), 0x9001));
    check_error("tlb.pool_delete.delete", seL4_CNode_Delete(Root, pool, seL4_WordBits), seL4_NoError);
    check("tlb.pool_delete.thread_faults_on_fetch", faults_at(probe.read(Data), Code));

    const seL4_CPtr second_pool = next_free++;
    check_error("tlb.pool_delete.make_pool_again",
                seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, make(seL4_UntypedObject, seL4_ASIDPoolBits), Root,
                                              second_pool, seL4_WordBits),
                seL4_NoError);
    const seL4_CPtr new_root = new_space(second_pool, table);
    probe.move_to(new_root);
    check("tlb.pool_delete.reused_asid_has_no_stale_translation", faults_at(probe.read(Data), Data));
}

} // namespace

int main(void)
{
    seL4_BootInfo* bi = tessera_boot_info();
    use_boot_resources(bi);
    fault_ep = make(seL4_EndpointObject);

    // The root task's own space: tables for the probe code, the data and the aliases.
    const seL4_CPtr own = seL4_CapInitThreadVSpace;
    (void)seL4_X86_PageTable_Map(make(seL4_X86_PageTableObject), own, Code, Attributes);
    const seL4_CPtr own_data_table = make(seL4_X86_PageTableObject);
    (void)seL4_X86_PageTable_Map(own_data_table, own, Data, Attributes);
    (void)seL4_X86_PageTable_Map(make(seL4_X86_PageTableObject), own, DataAliases, Attributes);
    code_frame = make(seL4_X86_4K);
    check_error("tlb.setup.code_mapped", map_frame(code_frame, own, Code), seL4_NoError);
    memcpy(reinterpret_cast<void*>(Code), ProbeCode, sizeof(ProbeCode));

    const Prober own_probe = Prober::in(own);
    check_mapping_changes("same_space", own_probe, own, own_data_table, 0);

    seL4_CPtr other_data_table = 0;
    const seL4_CPtr other = new_space(seL4_CapInitThreadASIDPool, other_data_table);
    const Prober other_probe = Prober::in(other);
    check_mapping_changes("other_space", other_probe, other, other_data_table, 1);
    // Alternate: the root task's space again, then the other one, with fresh tables.
    const seL4_CPtr own_table_2 = make(seL4_X86_PageTableObject);
    (void)seL4_X86_PageTable_Map(own_table_2, own, Data, Attributes);
    check_mapping_changes("same_space_again", own_probe, own, own_table_2, 2);
    const seL4_CPtr other_table_2 = make(seL4_X86_PageTableObject);
    (void)seL4_X86_PageTable_Map(other_table_2, other, Data, Attributes);
    check_mapping_changes("other_space_again", other_probe, other, other_table_2, 3);

    check_asid_reuse_after_vspace_delete();
    check_asid_reuse_after_pool_delete();

    return summary();
}
