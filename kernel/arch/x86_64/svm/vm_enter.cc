// seL4_VMEnter (-29) for SVM guests: seL4's VT-x call shape (RIP, control and the event to
// inject in, the exit out in the message, result in the message-info register, badge in rdi),
// with abi/svm.h's SVM message. The guest's whole state changes places here: general registers
// (svm_run.S), the FPU (its FXSAVE image in the VCPU), CR2, EFER and the segment/SYSCALL MSRs
// (VMCB, VMRUN/VMLOAD/VMSAVE).
#include <tessera/abi/svm.h>
#include <tessera/abi/syscalls.h>

#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/svm.h"
#include "arch/x86_64/thread.h"
#include "arch/x86_64/thread_switch.h"
#include "arch/x86_64/vspace.h"
#include "ipc/fault.h"
#include "ipc/ipc_context.h"
#include "notification/notification.h"
#include "svm_host.h"
#include "tcb/arch_thread.h"
#include "vcpu_object.h"

namespace tessera::x86_64 {
namespace {

using core::Word;

// EVENTINJ as the VMM may give it: vector, type, error-code-valid, valid and the error code.
// Types 1 and 5-7 are reserved (VMRUN would refuse them): such an event is dropped.
uint64_t sanitise_event(uint64_t event)
{
    const uint64_t kept =
        event & (vmcb::event::Vector | vmcb::event::Type | vmcb::event::ErrorValid |
                 vmcb::event::Valid | vmcb::event::ErrorCode);
    const uint64_t type = kept & vmcb::event::Type;
    const bool known = type == vmcb::event::TypeInterrupt || type == vmcb::event::TypeNmi ||
                       type == vmcb::event::TypeException || type == vmcb::event::TypeSoftware;
    return known ? kept : 0;
}

bool has_guest_memory(const SvmVcpu& v)
{
    return v.state.npt_root != 0 && pml4_for_asid(core::Asid{v.state.npt_asid}) == v.state.npt_root;
}

// The VMM's entry words into the VMCB: RIP, the event, the interrupt window, and with
// RegistersInMessage RSP and the general registers.
void load_entry(core::IpcContext& ipc, core::Tcb& thread, SvmVcpu& v)
{
    vmcb_field<uint64_t>(v, vmcb::Rip) = ipc.arch.message_register(thread, TESSERA_VMEnter_RIP);
    const Word control = ipc.arch.message_register(thread, TESSERA_VMEnter_Control);
    vmcb_field<uint64_t>(v, vmcb::EventInject) =
        sanitise_event(ipc.arch.message_register(thread, TESSERA_VMEnter_Event));
    uint32_t& misc1 = vmcb_field<uint32_t>(v, vmcb::InterceptMisc1);
    uint64_t& vintr = vmcb_field<uint64_t>(v, vmcb::VirtualInterrupt);
    if (control & TESSERA_VMEnterControl_InterruptWindow) {
        misc1 |= vmcb::misc1::Vintr;
        vintr |= vmcb::vintr::Irq | vmcb::vintr::IgnoreTpr;
    } else if (misc1 & vmcb::misc1::Vintr) {
        misc1 &= ~vmcb::misc1::Vintr;
        vintr &= ~(vmcb::vintr::Irq | vmcb::vintr::IgnoreTpr);
    }
    if (!(control & TESSERA_VMEnterControl_RegistersInMessage))
        return;
    Word words[TESSERA_VMEnter_MessageLength];
    ipc.arch.read_message_registers(thread, words, TESSERA_VMEnter_MessageLength);
    vmcb_field<uint64_t>(v, vmcb::Rsp) = words[TESSERA_VMEnter_RSP];
    vmcb_field<uint64_t>(v, vmcb::Rax) = words[TESSERA_VMEnter_RAX];
    for (unsigned r = TESSERA_SVMField_RBX; r <= TESSERA_SVMField_R15; r++)
        v.state.registers[r] = words[TESSERA_VMEnter_RAX + r];
}

// One run of the guest, with its FPU state in the FPU: the VMM's own state goes back to its TCB
// first and is loaded again lazily (#NM) when it next uses the FPU.
void run_guest(core::Tcb& thread, SvmVcpu& v, uint64_t vcpu_physical)
{
    CpuLocal& cpu = this_cpu();
    release_fpu(thread);
    write_back_fpu(cpu); // another thread's state: written back before it is lost
    set_fpu_trapping(cpu, false);
    fxrstor(v.state.fpu);
    vmcb_field<uint64_t>(v, vmcb::NestedCr3) = v.state.npt_root;
    const GuestTlbEntry tlb = guest_tlb().enter(v.state.tlb, cpu.index);
    vmcb_field<uint32_t>(v, vmcb::GuestAsid) = tlb.asid;
    vmcb_field<uint32_t>(v, vmcb::TlbControl) = uint32_t(tlb.flush);
    asm volatile("clgi" ::: "memory");
    svm_run(vcpu_physical, v.state.registers, svm_host_vmsave_area());
    fxsave(v.state.fpu);
    set_fpu_trapping(cpu, true);
    // Interrupts stay off until the way out to user mode: one that ended the run is taken there.
    asm volatile("stgi" ::: "memory");
}

// VMRUN refused the guest state (VMEXIT_INVALID, -1). The save area then holds no guest state
// worth keeping: QEMU, for one, writes back what it had loaded so far, partly the host's own
// (its RIP, CR3, descriptor tables). None of that may reach the VMM, so the VCPU is reset
// and the exit reports the RIP the VMM gave. Exit codes are 32 bits wide in QEMU's VMCB;
// the negative ones are sign-extended here as the APM writes them.
void settle_invalid_exit(SvmVcpu& v, uint64_t entry_rip)
{
    uint64_t& code = vmcb_field<uint64_t>(v, vmcb::ExitCode);
    if (code >= 0x80000000 && code <= 0xffffffff)
        code = uint64_t(int64_t(int32_t(uint32_t(code))));
    if (code != uint64_t(int64_t{TESSERA_SVMExit_Invalid}))
        return;
    reset_guest_state(v);
    vmcb_field<uint64_t>(v, vmcb::Rip) = entry_rip;
    vmcb_field<uint64_t>(v, vmcb::ExitInfo1) = 0;
    vmcb_field<uint64_t>(v, vmcb::ExitInfo2) = 0;
    vmcb_field<uint64_t>(v, vmcb::ExitInterruptInfo) = 0;
}

bool is_host_event(uint64_t exit_code)
{
    return exit_code == vmcb::ExitIntr || exit_code == vmcb::ExitNmi ||
           exit_code == vmcb::ExitSmi || exit_code == vmcb::ExitInit;
}

// A host interrupt ended the run. The thread re-issues seL4_VMEnter (FaultIP) after the
// interrupt, which is pending and is taken as soon as the way out enables interrupts; its entry
// words now say where the guest is, with any event the exit interrupted to be delivered again.
void restart_after_host_event(core::IpcContext& ipc, core::Tcb& thread, SvmVcpu& v)
{
    SavedRegisters& r = registers_of(thread);
    r.rip = fault_ip_of(arch_of(thread));
    const Word control = ipc.arch.message_register(thread, TESSERA_VMEnter_Control);
    ipc.arch.set_message_register(thread, TESSERA_VMEnter_RIP, vmcb_field<uint64_t>(v, vmcb::Rip));
    ipc.arch.set_message_register(thread, TESSERA_VMEnter_Control,
                                  control & ~Word{TESSERA_VMEnterControl_RegistersInMessage});
    const uint64_t pending = vmcb_field<uint64_t>(v, vmcb::ExitInterruptInfo);
    ipc.arch.set_message_register(thread, TESSERA_VMEnter_Event,
                                  (pending & vmcb::event::Valid) ? pending : 0);
}

void deliver_exit(core::IpcContext& ipc, core::Tcb& thread, SvmVcpu& v)
{
    Word words[TESSERA_VMEnter_MessageLength];
    words[TESSERA_VMEnter_RIP] = vmcb_field<uint64_t>(v, vmcb::Rip);
    words[TESSERA_VMEnter_Control] = ipc.arch.message_register(thread, TESSERA_VMEnter_Control);
    words[TESSERA_VMEnter_Event] = vmcb_field<uint64_t>(v, vmcb::ExitInterruptInfo);
    words[TESSERA_VMEnter_ExitCode] = vmcb_field<uint64_t>(v, vmcb::ExitCode);
    words[TESSERA_VMEnter_ExitInfo1] = vmcb_field<uint64_t>(v, vmcb::ExitInfo1);
    words[TESSERA_VMEnter_ExitInfo2] = vmcb_field<uint64_t>(v, vmcb::ExitInfo2);
    words[TESSERA_VMEnter_RFLAGS] = vmcb_field<uint64_t>(v, vmcb::Rflags);
    words[TESSERA_VMEnter_InterruptShadow] = vmcb_field<uint64_t>(v, vmcb::InterruptShadow) & 1;
    words[TESSERA_VMEnter_CR0] = vmcb_field<uint64_t>(v, vmcb::Cr0);
    words[TESSERA_VMEnter_CR3] = vmcb_field<uint64_t>(v, vmcb::Cr3);
    words[TESSERA_VMEnter_CR4] = vmcb_field<uint64_t>(v, vmcb::Cr4);
    words[TESSERA_VMEnter_EFER] = vmcb_field<uint64_t>(v, vmcb::Efer);
    words[TESSERA_VMEnter_CR2] = vmcb_field<uint64_t>(v, vmcb::Cr2);
    words[TESSERA_VMEnter_RSP] = vmcb_field<uint64_t>(v, vmcb::Rsp);
    words[TESSERA_VMEnter_RAX] = vmcb_field<uint64_t>(v, vmcb::Rax);
    for (unsigned r = TESSERA_SVMField_RBX; r <= TESSERA_SVMField_R15; r++)
        words[TESSERA_VMEnter_RAX + r] = v.state.registers[r];
    // The event was consumed (or is in EXITINTINFO for the VMM to give again).
    vmcb_field<uint64_t>(v, vmcb::EventInject) = 0;
    ipc.arch.set_message_registers(thread, words, TESSERA_VMEnter_MessageLength);
    SavedRegisters& r = registers_of(thread);
    r.rsi = TESSERA_VMEnter_Exit;
    r.rdi = 0;
}

} // namespace

void handle_vm_enter(core::Tcb& thread)
{
    core::IpcContext& ipc = ipc_context();
    SavedRegisters& r = registers_of(thread);
    const uint64_t vcpu_physical = arch_of(thread).svm_vcpu;
    if (!svm_enabled() || vcpu_physical == 0) { // as on a kernel without virtualisation
        core::handle_fault(ipc, thread, core::unknown_syscall_fault(Word(seL4_SysVMEnter)));
        return;
    }
    SvmVcpu& v = *physical_to_virtual<SvmVcpu>(vcpu_physical);
    // seL4's order: a signal waiting on the bound notification is delivered instead of a run.
    core::Notification* bound = thread.thread.bound_notification;
    if (bound != nullptr && bound->state() == core::NotificationState::Active) {
        core::complete_signal(ipc, *bound, thread); // the badge into rdi
        r.rsi = TESSERA_VMEnter_Notification;
        return;
    }
    if (!has_guest_memory(v)) {
        r.rsi = TESSERA_VMEnter_NoGuestMemory;
        r.rdi = 0;
        return;
    }
    load_entry(ipc, thread, v);
    const uint64_t entry_rip = vmcb_field<uint64_t>(v, vmcb::Rip);
    run_guest(thread, v, vcpu_physical);
    settle_invalid_exit(v, entry_rip);
    guest_tlb().ran(v.state.tlb, vmcb_field<uint64_t>(v, vmcb::ExitCode) ==
                                     uint64_t(int64_t{TESSERA_SVMExit_Invalid}));
    if (is_host_event(vmcb_field<uint64_t>(v, vmcb::ExitCode))) {
        restart_after_host_event(ipc, thread, v);
        return;
    }
    deliver_exit(ipc, thread, v);
}

} // namespace tessera::x86_64
