// System call dispatch for seL4's x86_64 convention: the number is in rdx (abi/syscalls.h).
// The IPC system calls arrive with the threads-and-IPC issue (#5); until then they, like any
// number the kernel does not know, stop the calling thread with one line on the console.
#include <tessera/abi/syscalls.h>

#include "arch/platform.h"
#include "arch/x86_64/context.h"
#include "arch/x86_64/debug_syscalls.h"
#include "arch/x86_64/devices.h"
#include "arch/x86_64/invocation.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/thread.h"
#include "kernel/console.h"

using namespace tessera;
using namespace tessera::x86_64;

extern "C" void handle_syscall(SavedRegisters* r)
{
    const auto number = int64_t(r->rdx);
    switch (number) {
    case seL4_SysCall:
        handle_invocation(*current_thread(), *r, ReplyWanted::Yes);
        return;
    case seL4_SysSend:
    case seL4_SysNBSend:
        handle_invocation(*current_thread(), *r, ReplyWanted::No);
        return;
    case seL4_SysDebugPutChar: {
        const char c = char(r->rdi);
        if (c == '\n')
            arch::console_put('\r');
        arch::console_put(c);
        return;
    }
    case seL4_SysSetTLSBase:
        // CONFIG_SET_TLS_BASE_SELF: the thread's own FS base, which user code may not write
        // directly (CR4.FSGSBASE stays off). A non-canonical base would fault the kernel's
        // wrmsr, so it is refused silently like any other bad register value: seL4 returns
        // nothing from this call.
        if (is_canonical(r->rdi) && current_thread()) {
            current_thread()->context.fs_base = r->rdi;
            write_msr(msr::FsBase, r->rdi);
        }
        return;
    case seL4_SysDebugSnapshot: // issue 6
        debug_snapshot(current_thread()->name, current_thread()->cspace_root);
        return;
    case TESSERA_SysDebugGetChar: // issue 6
        r->rdi = uint64_t(int64_t(serial_try_get()));
        return;
    case seL4_SysDebugCapIdentify:
        debug_cap_identify(*current_thread(), *r);
        return;
    case TESSERA_SysDebugExit: {
        // Statuses from 110 up are the kernel's own (panic, refused boot) and the launcher's.
        const uint64_t status = r->rdi < 110 ? r->rdi : 109;
        kprintf("tessera: exit status %lu from thread '%s'\n", status, current_thread() ? current_thread()->name : "?");
        arch::exit_system(unsigned(status));
    }
    case seL4_SysDebugHalt:
        kprintf("tessera: halted by seL4_DebugHalt\n");
        arch::exit_system(0);
    default:
        break;
    }
    // FIXME(#5): the IPC system calls and the unknown-syscall fault message to a handler.
    kprintf("tessera: thread '%s' made system call %ld, which this kernel does not handle yet; "
            "thread suspended\n",
            current_thread() ? current_thread()->name : "?", number);
    suspend_current_thread();
}
