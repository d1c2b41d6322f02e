// The debug kernel's system calls beyond seL4's API (debug_syscalls.h): seL4's CONFIG_PRINTING
// and CONFIG_DEBUG_BUILD calls that libsel4 declares, and Tessera's own debug calls.
#include "arch/x86_64/debug_syscalls.h"

#include <tessera/abi/syscalls.h>

#include "arch/platform.h"
#include "arch/x86_64/arch_thread.h"
#include "arch/x86_64/devices.h"
#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/thread.h"
#include "cap/cap_kinds.h"
#include "cnode/lookup.h"
#include "kernel/console.h"

namespace tessera::x86_64 {
namespace {

// seL4's capType tags for x86_64 (include/object/structures_64.bf and the x86_64 mode
// structures.bf): even numbers for generic capabilities, odd ones for arch capabilities.
core::Word sel4_cap_tag(core::CapType type)
{
    using core::CapType;
    switch (type) {
    case CapType::Null: return 0;
    case CapType::Untyped: return 2;
    case CapType::Endpoint: return 4;
    case CapType::Notification: return 6;
    case CapType::Reply: return 8;
    case CapType::CNode: return 10;
    case CapType::Tcb: return 12;
    case CapType::IrqControl: return 14;
    case CapType::IrqHandler: return 16;
    case CapType::Zombie: return 18;
    case CapType::Domain: return 20;
    case CapType::Frame: return 1;
    case CapType::PageTable: return 3;
    case CapType::PageDirectory: return 5;
    case CapType::Pdpt: return 7;
    case CapType::Pml4: return 9;
    case CapType::AsidControl: return 11;
    case CapType::AsidPool: return 13;
    case CapType::IoPort: return 19;
    case CapType::IoPortControl: return 31;
    case CapType::SvmVcpu: return 21; // seL4's cap_vcpu_cap number: the one VCPU kind seL4 has
    }
    return 0;
}

} // namespace

bool handle_debug_syscall(core::Tcb& thread, SavedRegisters& r, int64_t number)
{
    switch (number) {
    case seL4_SysDebugPutChar:
        console_put_char(char(r.rdi));
        return true;
    case seL4_SysDebugHalt:
        kprintf("tessera: halted by seL4_DebugHalt\n");
        arch::exit_system(0);
    case seL4_SysDebugCapIdentify:
        debug_cap_identify(thread);
        return true;
    case seL4_SysDebugSnapshot: // issue 6
        debug_snapshot(thread.display_name(), thread.slot(core::TcbSlot::CSpace).cap);
        return true;
    case seL4_SysDebugNameThread:
        debug_name_thread(thread);
        return true;
    case TESSERA_SysDebugGetChar: // issue 6
        r.rdi = uint64_t(int64_t(serial_try_get()));
        return true;
    case TESSERA_SysDebugCheckInvariants: // issue 10
        debug_check_invariants(thread);
        return true;
    case seL4_SysBenchmarkNullSyscall:
        return true; // the cost of entering and leaving the kernel, for `make bench`
    case TESSERA_SysDebugExit: {
        // Statuses from 110 up are the kernel's own (panic, refused boot) and the launcher's.
        const uint64_t status = r.rdi < 110 ? r.rdi : 109;
        kprintf("tessera: exit status %lu from thread '%s'\n", status, thread.display_name());
        arch::exit_system(unsigned(status));
    }
    default:
        return false;
    }
}

void debug_cap_identify(core::Tcb& thread)
{
    SavedRegisters& r = registers_of(thread);
    const auto cap = core::lookup_cap(core_context(), thread.slot(core::TcbSlot::CSpace).cap, core::CPtr{r.rdi});
    r.rdi = cap ? sel4_cap_tag(cap.value().type()) : 0;
}

void debug_name_thread(core::Tcb& thread)
{
    const auto cap =
        core::lookup_cap(core_context(), thread.slot(core::TcbSlot::CSpace).cap, core::CPtr{registers_of(thread).rdi});
    const core::Word* buffer = ipc_buffer_words(thread, BufferAccess::Read);
    if (!cap || !core::TcbCap::is(cap.value()) || buffer == nullptr)
        return; // seL4 halts here; a debug name is not worth stopping the system for
    core::Tcb& target = *core_context().window.at<core::Tcb>(core::TcbCap{cap.value()}.object());
    const auto* name = reinterpret_cast<const char*>(buffer + 1); // msg[0] onwards
    size_t i = 0;
    for (; i + 1 < sizeof(target.thread.name) && name[i] != 0; i++)
        target.thread.name[i] = name[i];
    target.thread.name[i] = 0;
}

} // namespace tessera::x86_64
