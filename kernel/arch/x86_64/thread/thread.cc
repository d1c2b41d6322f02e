#include "arch/x86_64/thread.h"

#include "arch/platform.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/vectors.h"
#include "kernel/console.h"

extern "C" [[noreturn]] void return_to_user();

namespace tessera::x86_64 {
namespace {

Thread* running = nullptr;
bool exit_when_idle = false;

void describe_page_fault(uint64_t error)
{
    // Error code bits (Intel SDM vol. 3A, 4.7): present, write, user, reserved bit, fetch.
    kprintf(" (%s %s%s)", (error & 0x10) ? "instruction fetch" : (error & 2) ? "write" : "read",
            (error & 1) ? "protection violation" : "not present", (error & 8) ? ", reserved bit set" : "");
}

} // namespace

Thread* current_thread() { return running; }

void set_exit_on_idle(bool enabled) { exit_when_idle = enabled; }

void start_thread(Thread& thread)
{
    running = &thread;
    set_current_context(thread.context);
    write_cr3(thread.address_space);
    write_msr(msr::FsBase, thread.context.fs_base);
    write_msr(msr::KernelGsBase, thread.context.gs_base); // swapped in on the way out
    return_to_user();
}

void current_thread_faulted(const SavedRegisters& r, uint64_t fault_address)
{
    const char* name = running ? running->name : "?";
    kprintf("tessera: thread '%s' faulted: %s at rip 0x%lx", name, vector::exception_name(unsigned(r.vector)), r.rip);
    if (r.vector == vector::PageFault) {
        kprintf(", address 0x%lx", fault_address);
        describe_page_fault(r.error_code);
    } else if (r.error_code != 0) {
        kprintf(", error code 0x%lx", r.error_code);
    }
    kprintf("; no fault handler: thread suspended\n");
    suspend_current_thread();
}

void suspend_current_thread()
{
    if (running)
        running->runnable = false;
    idle();
}

void idle()
{
    kprintf("tessera: no runnable thread: idle\n");
    if (exit_when_idle)
        arch::exit_system(0);
    for (;;)
        asm volatile("sti; hlt; cli" ::: "memory");
}

} // namespace tessera::x86_64
