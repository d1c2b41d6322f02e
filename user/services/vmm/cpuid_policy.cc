// The guest's CPUID and emulated MSRs (cpuid_policy.h).
#include "cpuid_policy.h"

#include "acpi_tables.h"

namespace tessera::services::vmm {
namespace {

constexpr uint32_t MaxBasicLeaf = 0x0d; // through XSAVE; topology leaves 0xb/0x1f hidden
constexpr uint32_t MaxExtendedLeaf = 0x80000008;

// Leaf 1.
constexpr uint32_t Leaf1EcxMonitor = 1u << 3, Leaf1EcxVmx = 1u << 5, Leaf1EcxSmx = 1u << 6,
                   Leaf1EcxX2Apic = 1u << 21, Leaf1EcxTscDeadline = 1u << 24,
                   Leaf1EcxOsxsave = 1u << 27, Leaf1EcxHypervisor = 1u << 31;
constexpr uint32_t Leaf1EdxMtrr = 1u << 12, Leaf1EdxHtt = 1u << 28;
// Machine checks: the kernel takes #MC itself and no MCA bank MSR reaches the guest, whose
// Linux would panic at the first bank it cannot read ("MCA architectural violation").
constexpr uint32_t Leaf1EdxMce = 1u << 7, Leaf1EdxMca = 1u << 14;
// TSC_AUX is not switched and RDTSCP is intercepted: RDTSCP and RDPID are hidden, so Linux
// neither writes TSC_AUX nor reads it.
constexpr uint32_t ExtEdxRdtscp = 1u << 27, Leaf7EcxRdpid = 1u << 22;
// Leaf 0x80000001.
constexpr uint32_t ExtEcxCmpLegacy = 1u << 1, ExtEcxSvm = 1u << 2, ExtEcxMonitorX = 1u << 13,
                   ExtEcxTopology = 1u << 22;
// Leaf 7 subleaf 0. LA57: the VMM's page walker (guest_paging.h) reads 4-level tables only, so
// the guest keeps to them (the decompressor would otherwise switch to 5-level paging).
constexpr uint32_t Leaf7EcxWaitpkg = 1u << 5, Leaf7EcxLa57 = 1u << 16;

// XSAVE-managed state. The kernel switches a guest's x87/SSE state (FXSAVE) but not XCR0, and
// intercepts XSETBV: a guest told of XSAVE would enable AVX state that nobody saves across
// exits. So XSAVE, OSXSAVE and every feature whose state lives beyond FXSAVE's image (AVX, FMA,
// F16C, AVX2, AVX-512, AMX, PKU, XOP, FMA4) are hidden, and leaf 0xd reads zero; Linux then
// uses FXSAVE, as on a CPU without XSAVE. This is a decision, not an omission (docs/decisions.md
// 29): offering AVX needs XCR0 and an XSAVE area as VCPU state in the kernel first, in the order
// docs/vmm.md gives ("Why AVX stays hidden"); CpuidFixture.HidesXsaveAndEveryAvxFeature pins
// the hidden bits meanwhile.
constexpr uint32_t Leaf1EcxFma = 1u << 12, Leaf1EcxXsave = 1u << 26, Leaf1EcxAvx = 1u << 28,
                   Leaf1EcxF16c = 1u << 29;
constexpr uint32_t Leaf7EbxAvxFamily = (1u << 5) | (1u << 16) | (1u << 17) | (1u << 21) |
                                       (1u << 26) | (1u << 27) | (1u << 28) | (1u << 30) |
                                       (1u << 31);
constexpr uint32_t Leaf7EcxAvxFamily = (1u << 1) | (1u << 3) | (1u << 4) | (1u << 6) | (1u << 9) |
                                       (1u << 10) | (1u << 11) | (1u << 12) | (1u << 14);
constexpr uint32_t Leaf7EdxAvxFamily =
    (1u << 2) | (1u << 3) | (1u << 8) | (1u << 22) | (1u << 23) | (1u << 24) | (1u << 25);
constexpr uint32_t Leaf7Sub1EaxAvxFamily = (1u << 4) | (1u << 5);
constexpr uint32_t ExtEcxXop = 1u << 11, ExtEcxFma4 = 1u << 16;

uint32_t vendor_word(const char* text)
{
    return static_cast<uint32_t>(static_cast<uint8_t>(text[0])) |
           static_cast<uint32_t>(static_cast<uint8_t>(text[1])) << 8 |
           static_cast<uint32_t>(static_cast<uint8_t>(text[2])) << 16 |
           static_cast<uint32_t>(static_cast<uint8_t>(text[3])) << 24;
}

// MSR numbers (AMD APM vol. 2, appendix A; Intel SDM vol. 4 for the architectural ones).
constexpr uint32_t MsrPlatformId = 0x17;
constexpr uint32_t MsrApicBase = 0x1b;
constexpr uint32_t MsrBiosSignature = 0x8b; // microcode patch level on AMD
constexpr uint32_t MsrMtrrCap = 0xfe;
constexpr uint32_t MsrMiscEnable = 0x1a0;
constexpr uint32_t MsrMtrrDefType = 0x2ff;
constexpr uint32_t MsrMtrrFirst = 0x200, MsrMtrrLast = 0x26f;
constexpr uint32_t MsrPatchLoader = 0xc0010020;
constexpr uint32_t MsrHwcr = 0xc0010015;
constexpr uint32_t MsrSyscfg = 0xc0010010;
// AMD's Interrupt Pending and CMP-Halt register: Linux reads it with a plain RDMSR (its AMD
// erratum 400 check, arch_post_acpi_subsys_init) on the CPU families QEMU's max model reports,
// and warns with a stack trace on a #GP. 0: no C1E, so no idle workaround.
constexpr uint32_t MsrIntPending = 0xc0010055;

constexpr uint64_t ApicBaseBsp = 1ull << 8, ApicBaseEnable = 1ull << 11;

} // namespace

CpuidRegisters guest_cpuid(const CpuidPolicy& policy, const HostCpuid& host, uint32_t leaf,
                           uint32_t subleaf)
{
    if (leaf == HypervisorLeaf) {
        return {HypervisorLeaf, vendor_word("Tess"), vendor_word("eraV"), vendor_word("MM\0\0")};
    }
    if (leaf > HypervisorLeaf && leaf < 0x80000000)
        return {0, 0, 0, 0};
    bool extended = leaf >= 0x80000000;
    uint32_t host_max = host.query(extended ? 0x80000000 : 0, 0).eax;
    uint32_t ours = extended ? MaxExtendedLeaf : MaxBasicLeaf;
    uint32_t max = host_max < ours ? host_max : ours;
    if (leaf > max)
        return {0, 0, 0, 0}; // AMD's answer beyond the range (not Intel's repeat of the last)

    CpuidRegisters r = host.query(leaf, subleaf);
    switch (leaf) {
    case 0:
    case 0x80000000:
        r.eax = max;
        break;
    case 1:
        // EBX: APIC ID in 31..24, one logical processor, CLFLUSH size and brand index kept.
        r.ebx = (r.ebx & 0x0000ffffu) | (1u << 16) | (policy.apic_id << 24);
        r.ecx &=
            ~(Leaf1EcxMonitor | Leaf1EcxVmx | Leaf1EcxSmx | Leaf1EcxX2Apic | Leaf1EcxTscDeadline |
              Leaf1EcxOsxsave | Leaf1EcxFma | Leaf1EcxXsave | Leaf1EcxAvx | Leaf1EcxF16c);
        if (policy.guest_osxsave)
            r.ecx |= Leaf1EcxOsxsave;
        r.ecx |= Leaf1EcxHypervisor;
        // No MTRRs: e820 types are the memory types.
        r.edx &= ~(Leaf1EdxMtrr | Leaf1EdxHtt | Leaf1EdxMce | Leaf1EdxMca);
        break;
    case 5:   // MONITOR/MWAIT: hidden
    case 6:   // thermal and power management: none
    case 0xa: // architectural performance monitoring: none
        r = {0, 0, 0, 0};
        break;
    case 7:
        if (subleaf == 0) {
            r.ebx &= ~Leaf7EbxAvxFamily;
            r.ecx &= ~(Leaf7EcxWaitpkg | Leaf7EcxLa57 | Leaf7EcxRdpid | Leaf7EcxAvxFamily);
            r.edx &= ~Leaf7EdxAvxFamily;
        } else if (subleaf == 1) {
            r.eax &= ~Leaf7Sub1EaxAvxFamily;
        }
        break;
    case 0xb:
    case 0xd: // XSAVE state components: none (see above)
        r = {0, 0, 0, 0};
        break;
    case 0x80000001:
        r.ecx &= ~(ExtEcxCmpLegacy | ExtEcxSvm | ExtEcxMonitorX | ExtEcxTopology | ExtEcxXop |
                   ExtEcxFma4);
        r.edx &= ~ExtEdxRdtscp;
        break;
    case 0x80000008:
        r.ecx &= ~0xf0ffu; // one core; ApicIdSize 0 (derived from NC)
        break;
    default:
        break;
    }
    return r;
}

MsrRead guest_read_msr(uint32_t msr, uint32_t apic_id)
{
    switch (msr) {
    case MsrApicBase:
        return {MsrOutcome::Done,
                LocalApicAddress | ApicBaseEnable | (apic_id == 0 ? ApicBaseBsp : 0)};
    case MsrPlatformId:
    case MsrBiosSignature:
    case MsrMtrrCap:
    case MsrMtrrDefType:
    case MsrMiscEnable:
    case MsrHwcr:
    case MsrSyscfg:
    case MsrIntPending:
        return {MsrOutcome::Done, 0};
    default:
        return {MsrOutcome::InjectGp, 0};
    }
}

MsrOutcome guest_write_msr(uint32_t msr, uint64_t value)
{
    switch (msr) {
    case MsrApicBase:
        // Moving or disabling the local APIC is not supported; writing what it reads is.
        return (value & ~ApicBaseBsp) == (LocalApicAddress | ApicBaseEnable) ? MsrOutcome::Done
                                                                             : MsrOutcome::InjectGp;
    case MsrBiosSignature:
    case MsrPatchLoader:
    case MsrMtrrDefType:
        return MsrOutcome::Done;
    default:
        if (msr >= MsrMtrrFirst && msr <= MsrMtrrLast)
            return MsrOutcome::Done;
        return MsrOutcome::InjectGp;
    }
}

} // namespace tessera::services::vmm
