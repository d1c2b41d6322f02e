// The SVM VCPU object's memory (TESSERA_SVMVCPUBits, retyped from untyped like any object): the
// VMCB in its first page (the CPU reads it by physical address), the kernel's state for the
// guest in the second. The rest is reserved.
#pragma once

#include <tessera/abi/svm.h>

#include "arch/x86_64/thread.h"
#include "guest_tlb_policy.h"
#include "vmcb.h"

namespace tessera::x86_64 {

struct SvmVcpuState {
    core::Tcb* tcb;    // the thread whose seL4_VMEnter runs it (SetTCB), or null
    uint64_t npt_root; // the guest-physical PML4 (SetNPT), or 0
    uint64_t npt_asid; // the ASID it had then: entry checks that it still names that PML4
    GuestTlbTag tlb;   // the SVM ASID its guest's translations are cached under
    uint64_t registers[TESSERA_SVMField_RSP]; // RBX..R15 as svm_run moves them; [0] unused
    FpuState fpu;                             // the guest's x87/SSE state (FXSAVE image)
};

struct alignas(4096) SvmVcpu {
    uint8_t vmcb[4096];
    SvmVcpuState state;
};
static_assert(sizeof(SvmVcpu) <= (1u << TESSERA_SVMVCPUBits), "the VCPU fits its object");
static_assert(TESSERA_SVMField_RSP == 15 && TESSERA_SVMField_R15 == 14,
              "svm_run.S indexes registers so");

// The VMCB's state save area in the processor's reset state (real mode at 0xffff0), as a new
// VCPU starts and as one is left after VMRUN refused the state it was given.
void reset_guest_state(SvmVcpu& vcpu);

template <class T> T& vmcb_field(SvmVcpu& vcpu, unsigned offset)
{
    return vmcb::at<T>(vcpu.vmcb, offset);
}

} // namespace tessera::x86_64
