// What the guest sees of the CPU: CPUID leaves derived from the host's with everything the VMM
// does not virtualise hidden (SVM itself, x2APIC, the TSC-deadline timer, MONITOR/MWAIT, MTRRs,
// multi-threading), the hypervisor bit and leaf set, the APIC ID of each VCPU. And the MSRs the VMM
// answers itself on an MSR exit: a short list read as a fresh machine would, every other MSR a #GP
// (Linux probes with rdmsr_safe). Bits from the AMD APM vol. 3, appendix E (CPUID), and vol. 2.
#pragma once

#include <stdint.h>

namespace tessera::services::vmm {

struct CpuidRegisters {
    uint32_t eax, ebx, ecx, edx;
    bool operator==(const CpuidRegisters&) const = default;
};

// The host's CPUID (the VMM runs it in user mode; tests give a table).
class HostCpuid {
public:
    virtual CpuidRegisters query(uint32_t leaf, uint32_t subleaf) const = 0;

protected:
    ~HostCpuid() = default;
};

struct CpuidPolicy {
    uint32_t apic_id;   // this VCPU's local APIC ID
    bool guest_osxsave; // the guest's CR4.OSXSAVE, mirrored in leaf 1 ECX bit 27
};

// "TesseraVMM\0\0" in EBX, ECX, EDX of leaf 0x40000000 (the hypervisor vendor leaf).
constexpr uint32_t HypervisorLeaf = 0x40000000;

CpuidRegisters guest_cpuid(const CpuidPolicy& policy, const HostCpuid& host, uint32_t leaf,
                           uint32_t subleaf);

enum class MsrOutcome : uint8_t { Done, InjectGp };

struct MsrRead {
    MsrOutcome outcome;
    uint64_t value;
};

// Reads and writes of the MSRs the VMM emulates (those the kernel does not switch or pass
// through). Writes to read-only or unknown MSRs inject #GP; writes the guest may make but that
// change nothing here (MTRRs, patch loader) are accepted and dropped.
MsrRead guest_read_msr(uint32_t msr, uint32_t apic_id);
MsrOutcome guest_write_msr(uint32_t msr, uint64_t value);

} // namespace tessera::services::vmm
