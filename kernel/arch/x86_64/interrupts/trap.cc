// What happens after trap_entry.S: user exceptions become faults of the current thread, device and
// timer interrupts are acknowledged and counted, and anything unexpected in kernel mode is a panic
// that names the exception and dumps every register.
#include "arch/x86_64/context.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/devices.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/kernel_symbols.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/thread.h"
#include "arch/x86_64/vectors.h"
#include "kernel/console.h"
#include "scheduler/scheduler.h"
#include "arch/platform.h"

namespace tessera::x86_64 {

const char* vector::exception_name(unsigned v)
{
    static const char* const names[ExceptionCount] = {
        "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
        "#BR bound range exceeded", "#UD invalid opcode", "#NM device not available",
        "#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
        "#NP segment not present", "#SS stack fault", "#GP general protection",
        "#PF page fault", "reserved 15", "#MF x87 floating point", "#AC alignment check",
        "#MC machine check", "#XM SIMD floating point", "#VE virtualization",
        "#CP control protection", "reserved 22", "reserved 23", "reserved 24", "reserved 25",
        "reserved 26", "reserved 27", "#HV hypervisor injection", "#VC VMM communication",
        "#SX security", "reserved 31"};
    return v < ExceptionCount ? names[v] : "interrupt";
}

namespace {

void print_symbol(uint64_t address)
{
    uint64_t offset = 0;
    const char* name = kernel_symbol_for(address, offset);
    if (name)
        kprintf(" <%s+0x%lx>", name, offset);
}

[[noreturn]] void panic_with_frame(const SavedRegisters& r, const char* where)
{
    kprintf("\nKERNEL PANIC: %s %lu (%s) %s, error code 0x%lx\n", r.vector < vector::ExceptionCount ? "exception" : "vector",
            r.vector, vector::exception_name(unsigned(r.vector)), where, r.error_code);
    kprintf("  rip 0x%016lx", r.rip);
    print_symbol(r.rip);
    kprintf("\n  cs  0x%lx  rflags 0x%lx  rsp 0x%016lx  ss 0x%lx\n", r.cs, r.rflags, r.rsp, r.ss);
    kprintf("  cr0 0x%lx  cr2 0x%016lx  cr3 0x%lx  cr4 0x%lx\n", read_cr0(), read_cr2(), read_cr3(), read_cr4());
    kprintf("  rax 0x%016lx  rbx 0x%016lx  rcx 0x%016lx  rdx 0x%016lx\n", r.rax, r.rbx, r.rcx, r.rdx);
    kprintf("  rsi 0x%016lx  rdi 0x%016lx  rbp 0x%016lx  r8  0x%016lx\n", r.rsi, r.rdi, r.rbp, r.r8);
    kprintf("  r9  0x%016lx  r10 0x%016lx  r11 0x%016lx  r12 0x%016lx\n", r.r9, r.r10, r.r11, r.r12);
    kprintf("  r13 0x%016lx  r14 0x%016lx  r15 0x%016lx\n", r.r13, r.r14, r.r15);
    arch::exit_system(PanicExitStatus);
}

// Returns true when `v` was an interrupt that this function fully handled.
bool handle_interrupt(unsigned v)
{
    CpuLocal& cpu = this_cpu();
    cpu.interrupt_count++;
    if (v == vector::LocalApicTimer) {
        cpu.timer_ticks++;
        lapic_end_of_interrupt();
        ipc_context().scheduler.tick(); // a thread at the end of its slice goes to the back
        return true;
    }
    if (v == vector::LocalApicSpurious || v == vector::PicSpuriousMaster || v == vector::PicSpuriousSlave) {
        cpu.spurious_count++; // spurious interrupts take no EOI
        return true;
    }
    if (v >= vector::PicBase) {
        handle_device_interrupt(v); // issue 6: signal the IRQ's notification, or count it
        return true;
    }
    return false;
}

} // namespace

} // namespace tessera::x86_64

using namespace tessera;
using namespace tessera::x86_64;

extern "C" [[noreturn]] void handle_user_trap(SavedRegisters* registers)
{
    const unsigned v = unsigned(registers->vector);
    if (v == vector::NonMaskable || v == vector::DoubleFault || v == vector::MachineCheck)
        panic_with_frame(*registers, "while in user mode");
    // Where a restarted thread resumes: the instruction that trapped or was interrupted.
    set_fault_ip_of(arch_of(current_tcb()), registers->rip);
    // #NM is the lazy FPU switch, except for a thread whose FPU is disabled (TCB_SetFlags),
    // which gets seL4's UserException fault instead.
    if (v == vector::DeviceNotAvailable && !fpu_disabled(current_tcb()))
        switch_fpu_owner();
    else if (!handle_interrupt(v))
        handle_user_exception(*registers, v == vector::PageFault ? read_cr2() : 0);
    restore_user_context();
}

extern "C" void handle_kernel_trap(SavedRegisters* registers)
{
    const unsigned v = unsigned(registers->vector);
    // The idle loop is the one place the kernel runs with interrupts enabled.
    if (v >= vector::ExceptionCount && handle_interrupt(v))
        return;
    panic_with_frame(*registers, "in kernel mode");
}
