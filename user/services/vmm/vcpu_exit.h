// One VCPU's view between two seL4_VMEnter calls: the exit the kernel reported (abi/svm.h's
// message, decoded into the encoding's register order that the MMIO decoder uses) and the entry
// the VMM gives back. Converting both ways is all that touches the message layout.
#pragma once

#include <tessera/abi/svm.h>

#include "mmio_decode.h"

#include <stdint.h>

namespace tessera::services::vmm {

// Encoding order of the general registers (GuestRegisters::gpr).
namespace reg {
constexpr unsigned Rax = 0, Rcx = 1, Rdx = 2, Rbx = 3, Rsp = 4, Rbp = 5, Rsi = 6, Rdi = 7;
}

struct VcpuExit {
    uint64_t code;
    uint64_t info1, info2;
    uint64_t rip, rflags;
    bool interrupt_shadow;
    uint64_t cr0, cr2, cr3, cr4, efer;
    uint64_t pending_event; // EXITINTINFO: an event the exit interrupted, to deliver again
    GuestRegisters registers;
};

struct VcpuEntry {
    uint64_t rip;
    uint64_t event; // EVENTINJ, 0 for none
    bool interrupt_window;
    // The guest wrote EFER: the protection domain writes `efer` into the VCPU (WriteState, which
    // keeps SVME) before it enters. EFER lives in the VMCB, not in the message.
    bool write_efer;
    uint64_t efer;
    // Likewise the guest's PAT (the VMCB's G_PAT, which nested paging uses).
    bool write_pat;
    uint64_t pat;
    // The guest's registers are already in the VCPU (the guest ran since the last exit and a
    // notification, not an exit, returned): `registers` are not sent.
    bool registers_in_vcpu;
    GuestRegisters registers;
};

constexpr unsigned VmEnterWords = TESSERA_VMEnter_MessageLength;

// From the exit message's words (TESSERA_VMEnter_*).
VcpuExit exit_from_message(const uint64_t (&words)[VmEnterWords]);
// Into the entry message's words, registers included (TESSERA_VMEnterControl_RegistersInMessage)
// unless they are in the VCPU already.
void entry_to_message(const VcpuEntry& entry, uint64_t (&words)[VmEnterWords]);

// EVENTINJ values (AMD APM vol. 2, 15.20).
constexpr uint64_t EventValid = 1ull << 31;
constexpr uint64_t external_interrupt(uint8_t vector)
{
    return EventValid | vector;
}
constexpr uint64_t exception_with_code(uint8_t vector, uint32_t code)
{
    return EventValid | (3ull << 8) | (1ull << 11) | vector | (uint64_t{code} << 32);
}

} // namespace tessera::services::vmm
