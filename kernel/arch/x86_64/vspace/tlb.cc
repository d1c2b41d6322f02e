// Executes the TLB decisions of vspace/pcid_policy.h (Intel SDM vol. 3A, 4.10.4: invalidation
// of TLBs and paging-structure caches; vol. 2A, INVLPG and INVPCID).
#include "arch/x86_64/tlb.h"

#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/svm.h"
#include "pcid_policy.h"

namespace tessera::x86_64 {
namespace {

PcidPolicy policy{false, false};

enum class InvpcidType : uint64_t { Address = 0, Context = 1 };

void invpcid(InvpcidType type, uint64_t pcid, uint64_t vaddr)
{
    const struct {
        uint64_t pcid, address;
    } descriptor{pcid, vaddr};
    asm volatile("invpcid %0, %1" ::"m"(descriptor), "r"(uint64_t(type)) : "memory");
}

bool is_current(uint64_t pml4) { return (read_cr3() & pte::AddressMask) == pml4; }

void execute(TlbFlush flush, core::Asid asid, uint64_t vaddr)
{
    const uint64_t pcid = asid.raw() & PcidPolicy::PcidMask;
    switch (flush) {
    case TlbFlush::CurrentAddress: invalidate_page(vaddr); break;
    case TlbFlush::CurrentSpace: write_cr3(read_cr3()); break; // bit 63 reads as 0: a flush
    case TlbFlush::OtherAddress: invpcid(InvpcidType::Address, pcid, vaddr); break;
    case TlbFlush::OtherSpace: invpcid(InvpcidType::Context, pcid, 0); break;
    case TlbFlush::None:
    case TlbFlush::Deferred: break;
    }
}

} // namespace

void init_address_space_tags()
{
    const CpuFeatures& cpu = cpu_features();
    if (!cpu.pcid)
        return;
    policy = PcidPolicy{true, cpu.invpcid};
    write_cr4(read_cr4() | cr4::Pcid);
}

uint64_t tagged_root(uint64_t pml4, core::Asid asid) { return policy.tagged_root(pml4, asid.raw()); }

void load_user_root(uint64_t root) { write_cr3(policy.cr3_for_switch(root)); }

// A jump, not a call: a function that calls gets the kernel's frame pointer or a stack
// alignment, the instructions this one exists to save. fastpath_return takes its stack from the
// CPU block; the clobber keeps the CR3 write before it.
void load_user_root_and_return(uint64_t root)
{
    load_user_root(root);
    asm volatile("jmp fastpath_return" ::: "memory");
    __builtin_unreachable();
}

void flush_user_address(uint64_t pml4, core::Asid asid, uint64_t vaddr)
{
    execute(policy.address_changed(asid.raw(), is_current(pml4)), asid, vaddr);
    nested_translations_changed(asid);
}

void flush_user_space(uint64_t pml4, core::Asid asid)
{
    execute(policy.space_changed(asid.raw(), is_current(pml4)), asid, 0);
    nested_translations_changed(asid);
}

void release_asid(uint64_t pml4, core::Asid asid)
{
    execute(policy.asid_released(asid.raw()), asid, 0);
    nested_space_released(asid);
    if (is_current(pml4)) {
        // Leave the address space now, as seL4's deleteASID does, so that no later load can
        // mistake a new address space at the same place with the same ASID for this one.
        const uint64_t kernel_root = kernel_pml4_physical();
        load_user_root(kernel_root);
        this_cpu().loaded_root = kernel_root;
    }
}

} // namespace tessera::x86_64
