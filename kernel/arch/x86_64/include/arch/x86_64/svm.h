// AMD SVM guests (issue 24, Tessera-only ABI in abi/svm.h): the host's SVM setup, the VCPU
// object's creation, invocations and deletion, and seL4_VMEnter. Implemented in ../../svm/.
#pragma once

#include "base/context.h"
#include "base/invocation.h"
#include "base/result.h"
#include "cap/cap.h"
#include "cap/slot.h"
#include "tcb/tcb.h"

namespace tessera::x86_64 {

struct CpuFeatures;

// Boot, once per CPU after its per-CPU block exists: turns SVM on (EFER.SVME, the host save
// area) when the CPU has SVM with nested paging and the BIOS left it enabled, and says so.
void init_svm(const CpuFeatures& features);
// Whether init_svm turned SVM on: only then can VCPUs be made or entered.
bool svm_enabled();

// The TLB hooks (vspace/tlb.cc): a translation of the address space of seL4 ASID `space` changed
// or a paging structure of it was unlinked; `space` stopped naming its PML4. Guests whose nested
// page table that is drop what they cached before they run again (svm/guest_tlb_policy.h).
void nested_translations_changed(core::Asid space);
void nested_space_released(core::Asid space);

// Untyped_Retype made a VCPU (zeroed): its VMCB's reset state, intercepts and permission maps.
void initialise_svm_vcpu(core::CoreContext& ctx, core::Cap cap);
// seL4 finaliseCap for the last capability to a VCPU or a TCB: unbinds the pair.
void finalise_svm_binding(core::CoreContext& ctx, core::Cap cap);
// A VCPU capability's methods (TESSERA_X86SVMVCPU*): decode, then perform; reply words out.
core::Result<core::Progress> invoke_svm_vcpu(core::CoreContext& ctx, core::Word label,
                                             const core::Invocation& inv, core::Slot& slot,
                                             core::Word* reply, core::Word& reply_length);

// seL4_VMEnter from `thread` (the current thread): runs its VCPU's guest until an exit the VMM
// must see, and writes the result into the thread's registers and message. A host interrupt
// during the guest leaves the thread to re-issue the call once the interrupt has been taken.
void handle_vm_enter(core::Tcb& thread);

} // namespace tessera::x86_64
