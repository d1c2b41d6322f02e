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

uint32_t cpuid_edx(uint32_t leaf)
{
    uint32_t a, b, c, d;
    asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(leaf), "c"(0));
    return d;
}

} // namespace

void init_svm(const CpuFeatures& features)
{
    if (!features.svm)
        return;
    const bool nested_paging = (cpuid_edx(0x8000000a) & 1) != 0;
    if (!nested_paging) {
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
    enabled = true;
    kprintf("svm: enabled, nested paging\n");
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

} // namespace tessera::x86_64
