// What the VCPU and seL4_VMEnter take from the host side (svm_cpu.cc): physical addresses of the
// permission maps and of this CPU's VMSAVE area, and the guest-run primitive (svm_run.S).
#pragma once

#include <cstdint>

#include "guest_tlb_policy.h"

namespace tessera::x86_64 {

uint64_t svm_io_permission_map();
uint64_t svm_msr_permission_map();
uint64_t svm_host_vmsave_area();
// Which ASID each guest runs with and what VMRUN flushes (guest_tlb_policy.h), sized by the CPU.
GuestTlbPolicy& guest_tlb();

// Runs the guest of the VMCB at physical `vmcb` until its next #VMEXIT: saves the host's VMSAVE
// state to `host_vmsave`, VMLOADs the guest's, loads the general registers from `registers`
// (indexed as TESSERA_SVMField; RAX and RSP come from the VMCB), VMRUNs with interrupts enabled
// under GIF = 0 (so that with V_INTR_MASKING a host interrupt exits), then stores the guest's
// registers back, VMSAVEs the guest and VMLOADs the host. Returns with interrupts off and GIF 0:
// the caller does STGI once the exit is read.
extern "C" void svm_run(uint64_t vmcb, uint64_t* registers, uint64_t host_vmsave);

} // namespace tessera::x86_64
