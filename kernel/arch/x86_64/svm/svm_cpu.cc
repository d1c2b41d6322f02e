// The host side of SVM: turning it on, the host save areas, and the I/O and MSR permission maps
// every VMCB points at (AMD APM vol. 2, 15.4, 15.10, 15.11). One CPU for now (DESIGN.md 10);
// the per-CPU pages are indexed by CPU so that SMP adds entries, not code.
#include <tessera/abi/svm.h>

#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/svm.h"
#include "kernel/console.h"
#include "svm_host.h"
#include "vmcb.h"

namespace tessera::x86_64 {
namespace {

constexpr uint32_t MsrVmCr = 0xc0010114, MsrHostSave = 0xc0010117;
constexpr uint64_t VmCrSvmDisable = 1u << 4;
constexpr unsigned SvmCpus = 1;

struct alignas(4096) Page {
    uint8_t bytes[4096];
};

// VMRUN saves the host's state here (VM_HSAVE_PA); VMSAVE/VMLOAD keep the rest (FS, GS, TR,
// LDTR, the SYSCALL and SYSENTER MSRs, kernel GS base) in the second page.
Page host_save[SvmCpus], host_vmsave[SvmCpus];
// 12 KiB, every bit set: every port access exits. A guest reaches a device only through the VMM.
alignas(4096) uint8_t io_permission_map[3 * 4096];
// 8 KiB, two bits per MSR (read, write): set except for the MSRs VMLOAD and VMSAVE switch.
alignas(4096) uint8_t msr_permission_map[2 * 4096];
bool enabled;
// Until init_svm reads the CPU's ASID count, no guest runs.
GuestTlbPolicy guest_tlb_policy{1, false};

// The MSRs a guest reads and writes directly: they live in its VMCB and are switched with it.
constexpr uint32_t SwitchedMsrs[] = {
    0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, // STAR, LSTAR, CSTAR, SFMASK
    0xc0000100, 0xc0000101, 0xc0000102,             // FS base, GS base, kernel GS base
    0x174,      0x175,      0x176,                  // SYSENTER CS, ESP, EIP
};

// The byte offset of `msr`'s pair of bits: three 2 KiB ranges (APM vol. 2, 15.11).
bool msr_bit_position(uint32_t msr, unsigned& bit)
{
    if (msr <= 0x1fff)
        bit = msr * 2;
    else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
        bit = 0x800 * 8 + (msr - 0xc0000000) * 2;
    else if (msr >= 0xc0010000 && msr <= 0xc0011fff)
        bit = 0x1000 * 8 + (msr - 0xc0010000) * 2;
    else
        return false;
    return true;
}

void fill_permission_maps()
{
    for (uint8_t& b : io_permission_map)
        b = 0xff;
    for (uint8_t& b : msr_permission_map)
        b = 0xff;
    for (const uint32_t msr : SwitchedMsrs) {
        unsigned bit = 0;
        if (msr_bit_position(msr, bit))
            msr_permission_map[bit / 8] &= uint8_t(~(3u << (bit % 8)));
    }
}

// A nested page table is an ordinary PML4 (abi/svm.h, SetNPT), which shares the kernel's upper
// half. Nested walks are user accesses (APM 15.25.5), so those entries stop a guest only while
// none of them has the user bit: checked once here, before any guest can run.
bool kernel_half_is_supervisor_only()
{
    const uint64_t* pml4 = physical_to_virtual<uint64_t>(kernel_pml4_physical());
    for (unsigned i = 256; i < 512; i++)
        if (pml4[i] & pte::User)
            return false;
    return true;
}

struct CpuidWords {
    uint32_t a, b, c, d;
};
CpuidWords cpuid(uint32_t leaf)
{
    CpuidWords w{};
    asm volatile("cpuid" : "=a"(w.a), "=b"(w.b), "=c"(w.c), "=d"(w.d) : "a"(leaf), "c"(0));
    return w;
}
// CPUID 0x8000000A EDX (APM vol. 3, E.4.9).
constexpr uint32_t NestedPaging = 1u << 0, FlushByAsid = 1u << 6;

} // namespace

void init_svm(const CpuFeatures& features)
{
    if (!features.svm)
        return;
    const CpuidWords svm_leaf = cpuid(0x8000000a);
    if (!(svm_leaf.d & NestedPaging)) {
        kprintf("svm: no nested paging; guests disabled\n");
        return;
    }
    if (read_msr(MsrVmCr) & VmCrSvmDisable) {
        kprintf("svm: disabled by the firmware (VM_CR.SVMDIS)\n");
        return;
    }
    if (!kernel_half_is_supervisor_only()) {
        kprintf("svm: a kernel mapping is user-accessible; guests disabled\n");
        return;
    }
    fill_permission_maps();
    const unsigned cpu = this_cpu().index;
    write_msr(msr::Efer, read_msr(msr::Efer) | vmcb::EferSvme);
    write_msr(MsrHostSave, virtual_to_physical(&host_save[cpu]));
    guest_tlb_policy = GuestTlbPolicy{svm_leaf.b, (svm_leaf.d & FlushByAsid) != 0};
    enabled = true;
    kprintf("svm: enabled, nested paging, %u guest ASIDs%s\n", guest_tlb_policy.last_asid(),
            (svm_leaf.d & FlushByAsid) ? ", flush by ASID" : "");
}

bool svm_enabled()
{
    return enabled;
}

uint64_t svm_io_permission_map()
{
    return virtual_to_physical(io_permission_map);
}
uint64_t svm_msr_permission_map()
{
    return virtual_to_physical(msr_permission_map);
}
uint64_t svm_host_vmsave_area()
{
    return virtual_to_physical(&host_vmsave[this_cpu().index]);
}

GuestTlbPolicy& guest_tlb()
{
    return guest_tlb_policy;
}

void nested_translations_changed(core::Asid space)
{
    guest_tlb_policy.translations_changed(space.raw());
}

void nested_space_released(core::Asid space)
{
    guest_tlb_policy.released(space.raw());
}

} // namespace tessera::x86_64
