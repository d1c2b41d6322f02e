// The x86_64 half of threads: the way out of the kernel, the lazy FPU switch, user exceptions as
// fault messages, the idle loop, and the root task's thread.
#include "arch/x86_64/thread.h"

#include "arch/platform.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/thread_switch.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/vectors.h"
#include "arch/x86_64/vspace.h"
#include "cap/cap_arch_kinds.h"
#include "cdt/cdt.h"
#include "endpoint/endpoint.h"
#include "ipc/fault.h"
#include "ipc/ipc_context.h"
#include "kernel/console.h"
#include "scheduler/scheduler.h"

extern "C" [[noreturn]] void return_to_user();

namespace tessera::x86_64 {
namespace {

bool exit_when_idle = false;

// FXSAVE image of a freshly initialised FPU (Intel SDM vol. 1, 10.5.1): FCW 0x37f (all x87
// exceptions masked, extended precision), MXCSR 0x1f80 (all SSE exceptions masked).
constexpr unsigned FxsaveFcw = 0, FxsaveMxcsr = 24;
constexpr uint16_t ResetFcw = 0x037f;
constexpr uint32_t ResetMxcsr = 0x1f80;

[[noreturn]] void idle_until_runnable()
{
    core::Scheduler& scheduler = ipc_context().scheduler;
    // With a domain schedule the idle thread also fills a domain's turn whose threads all wait
    // while other domains' threads are ready: that is not the system going idle.
    if (!scheduler.is_waiting_for_domain()) {
        kprintf("tessera: no runnable thread: idle\n");
        if (exit_when_idle)
            arch::exit_system(0);
    }
    // Interrupts arrive through handle_kernel_trap; one that makes a thread runnable changes
    // the scheduler's action, and the next restore picks that thread.
    while (scheduler.cpu().action == core::SchedulerAction::ResumeCurrentThread)
        asm volatile("sti; hlt; cli" ::: "memory");
    restore_user_context();
}

void describe_page_fault(uint64_t error)
{
    // Error code bits (Intel SDM vol. 3A, 4.7): present, write, user, reserved bit, fetch.
    kprintf(" (%s %s%s)", (error & 0x10) ? "instruction fetch" : (error & 2) ? "write" : "read",
            (error & 1) ? "protection violation" : "not present", (error & 8) ? ", reserved bit set" : "");
}


} // namespace

void report_unhandled_fault(core::Tcb& tcb, const char* line)
{
    const core::PendingFault& f = tcb.thread.fault;
    const uint64_t ip = fault_ip_of(arch_of(tcb));
    kprintf("tessera: thread '%s' faulted: ", tcb.display_name());
    switch (f.kind) {
    case core::FaultKind::VmFault:
        kprintf("#PF page fault at rip 0x%lx, address 0x%lx", ip, f.address);
        describe_page_fault(f.detail[1]);
        break;
    case core::FaultKind::UserException:
        kprintf("%s at rip 0x%lx", vector::exception_name(unsigned(f.detail[0])), ip);
        if (f.detail[1] != 0)
            kprintf(", error code 0x%lx", f.detail[1]);
        break;
    case core::FaultKind::UnknownSyscall:
        kprintf("system call %ld at rip 0x%lx", int64_t(f.detail[0]), ip);
        break;
    case core::FaultKind::CapFault:
        kprintf("capability 0x%lx cannot be looked up (%s, lookup failure %lu) at rip 0x%lx", f.address,
                f.in_receive ? "receive" : "send", f.detail[0], ip);
        break;
    case core::FaultKind::None:
        break;
    }
    kprintf("; %s\n", line);
}

void set_exit_on_idle(bool enabled) { exit_when_idle = enabled; }

core::Tcb& current_tcb() { return *ipc_context().scheduler.current(); }

void init_arch_tcb(core::Tcb& tcb)
{
    ArchTcb& arch = arch_of(tcb);
    init_user_registers(arch.context.registers, 0, 0);
    arch.context.fs_base = arch.context.gs_base = 0;
    set_fault_ip_of(arch, 0);
    arch.eager_fpu_switches = 0;
    update_fastpath_self(tcb);
    arch.resolved_epoch = 0; // resolved on its first switch
    arch.ipc_buffer = core::IpcBufferCache{};
    arch.fpu = FpuState{};
    __builtin_memcpy(arch.fpu.bytes + FxsaveFcw, &ResetFcw, sizeof(ResetFcw));
    __builtin_memcpy(arch.fpu.bytes + FxsaveMxcsr, &ResetMxcsr, sizeof(ResetMxcsr));
}

void resolve_and_load_root(core::Tcb& next)
{
    ArchTcb& arch = arch_of(next);
    arch.resolved_root = vspace_root_of(next);
    arch.resolved_epoch = vspace_epoch();
    load_root(this_cpu(), arch.resolved_root);
}

uint64_t vspace_root_of(core::Tcb& tcb)
{
    const core::Cap cap = tcb.slot(core::TcbSlot::VSpace).cap;
    if (core::Pml4Cap::is(cap)) {
        const core::Pml4Cap root{cap};
        if (root.is_mapped() && pml4_for_asid(root.mapped_asid()) == root.object().raw())
            return tagged_root(root.object().raw(), root.mapped_asid());
    }
    return kernel_pml4_physical();
}

void restore_user_context()
{
    core::Scheduler& scheduler = ipc_context().scheduler;
    scheduler.schedule();
    scheduler.activate_current();
    core::Tcb& next = *scheduler.current();
    if (&next == scheduler.cpu().idle)
        idle_until_runnable();
    return_to_thread(next);
}

void return_to_thread(core::Tcb& next)
{
    switch_to(next);
    return_to_user();
}

void handle_user_exception(SavedRegisters& r, uint64_t fault_address)
{
    core::Tcb& tcb = current_tcb();
    const bool page_fault = r.vector == vector::PageFault;
    const core::PendingFault fault = page_fault
                                         ? core::vm_fault(core::VAddr{fault_address}, (r.error_code & 0x10) != 0, r.error_code)
                                         : core::user_exception_fault(r.vector, r.error_code);
    core::handle_fault(ipc_context(), tcb, fault);
}

void switch_fpu_owner()
{
    core::Tcb& tcb = current_tcb();
    arch_of(tcb).eager_fpu_switches = EagerFpuSwitches;
    take_fpu(this_cpu(), tcb);
}

void release_fpu(core::Tcb& tcb)
{
    CpuLocal& cpu = this_cpu();
    if (cpu.fpu_owner != &arch_of(tcb).fpu)
        return;
    write_back_fpu(cpu);
    set_fpu_trapping(cpu, true);
}

void start_root_thread(core::Tcb& tcb, uint64_t entry, uint64_t stack, uint64_t boot_info, uint64_t ipc_buffer,
                       core::Slot& cspace_slot, core::Slot& vspace_slot, core::Slot& buffer_slot)
{
    core::IpcContext& ipc = ipc_context();
    init_arch_tcb(tcb);
    static constexpr char name[] = "rootserver";
    __builtin_memcpy(tcb.thread.name, name, sizeof(name));
    core::insert_derived(cspace_slot.cap, cspace_slot, tcb.slot(core::TcbSlot::CSpace));
    core::insert_derived(vspace_slot.cap, vspace_slot, tcb.slot(core::TcbSlot::VSpace));
    vspace_changed();
    core::insert_derived(buffer_slot.cap, buffer_slot, tcb.slot(core::TcbSlot::Buffer));
    tcb.thread.ipc_buffer = core::VAddr{ipc_buffer};
    tcb.thread.priority = core::MaxPriority;
    tcb.thread.max_controlled_priority = core::MaxPriority;
    tcb.thread.time_slice = core::TimeSliceTicks;
    core::setup_reply_master(ipc, tcb);

    SavedRegisters& r = registers_of(tcb);
    init_user_registers(r, entry, stack);
    r.rdi = boot_info; // seL4 passes the BootInfo pointer here
    set_fault_ip_of(arch_of(tcb), entry);

    ipc.scheduler.set_thread_state(tcb, core::ThreadState::Running);
    ipc.scheduler.enqueue(tcb);
    ipc.scheduler.reschedule_required();
    restore_user_context();
}

} // namespace tessera::x86_64
