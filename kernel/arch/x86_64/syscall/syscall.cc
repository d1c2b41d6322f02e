// System call entry for seL4's x86_64 convention (abi/syscalls.h): the number is in rdx, the
// capability address in rdi, the message info in rsi. The API calls are the portable core's
// (core/api/syscall.h); the rest, which touch the CPU, the console or the debug state, are here.
// Every path ends in restore_user_context, which runs whichever thread the scheduler chose.
#include <tessera/abi/syscalls.h>

#include "arch/platform.h"
#include "arch/x86_64/context.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/debug_syscalls.h"
#include "arch/x86_64/devices.h"
#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/svm.h"
#include "arch/x86_64/thread.h"
#include "api/syscall.h"
#include "tcb/arch_thread.h"
#include "kernel/console.h"
#include "scheduler/scheduler.h"

using namespace tessera;
using namespace tessera::x86_64;

// handle_fault for an unknown system call `number`, straight to a waiting handler when it can
// (fastpath_entry.cc); never returns.
extern "C" [[noreturn]] void fastpath_fault_entry(core::Word number);

namespace {

// A foreign thread's `syscall` (TESSERA_TCBFlag_foreignSyscalls, abi/tcb_flags.h) belongs to
// another operating system's ABI: whatever rdx holds, it becomes an UnknownSyscall fault. The
// message reports the registers as the CPU left them (rcx the next instruction, r11 RFLAGS,
// rsp the thread's, which the entry kept in a per-CPU word), and the thread leaves by iretq, so
// that a reply's registers all come back, rsp included, as a Linux `syscall` returns.
[[noreturn]] void foreign_system_call(SavedRegisters& r)
{
    r.rsp = this_cpu().syscall_user_rsp;
    r.rcx = r.rip;
    r.r11 = r.rflags;
    r.vector = 0; // not VECTOR_SYSCALL: the way back is iretq, restoring every register
    fastpath_fault_entry(r.rdx);
}

[[noreturn]] void unknown_system_call(int64_t number) { fastpath_fault_entry(core::Word(number)); }

} // namespace

// One switch decides what the number is, once: one of the portable core's API calls (each its own
// entry, core/api/syscall.h), a call that touches this CPU, or else the debug kernel's call or
// an unknown number's fault. Asking the core first and the debug calls last, each declining in
// turn, cost every call that is not a fastpath's (the benchmark's null system call among them) a
// chain of declines; a core that switched over the number again cost the API calls a second
// dispatch.
extern "C" [[noreturn]] void handle_syscall(SavedRegisters* r)
{
    core::IpcContext& ipc = ipc_context();
    core::Tcb& thread = *ipc.scheduler.current();
    // The restart address (seL4's FaultIP) is set: syscall_entry.S wrote it.
    if (thread.is_foreign()) { // before any number is looked at: nothing else is reachable
        foreign_system_call(*r);
    }
    const int64_t number = int64_t(r->rdx);
    const core::CPtr cptr{r->rdi};
    switch (number) {
    case seL4_SysCall: // after the flat fastpath (fastpath_entry.cc) declined
        core::handle_call(ipc, thread, cptr, core::MessageInfo{r->rsi});
        break;
    case seL4_SysReplyRecv: // likewise
        core::handle_reply_recv(ipc, thread, cptr);
        break;
    case seL4_SysSend:
        core::handle_send(ipc, thread, cptr, core::MessageInfo{r->rsi});
        break;
    case seL4_SysNBSend:
        core::handle_nb_send(ipc, thread, cptr, core::MessageInfo{r->rsi});
        break;
    case seL4_SysRecv:
        core::handle_recv(ipc, thread, cptr);
        break;
    case seL4_SysNBRecv:
        core::handle_nb_recv(ipc, thread, cptr);
        break;
    case seL4_SysReply:
        core::handle_reply(ipc, thread);
        break;
    case seL4_SysYield:
        core::handle_yield(ipc);
        break;
    case seL4_SysSetTLSBase:
        // CONFIG_SET_TLS_BASE_SELF: the thread's own FS base, which user code may not write
        // directly (CR4.FSGSBASE stays off). seL4 returns nothing from this call.
        ipc.arch.set_user_register(thread, core::UserRegister::FsBase, r->rdi);
        break;
    case seL4_SysVMEnter: // issue 24: SVM guests (svm/vm_enter.cc)
        handle_vm_enter(thread);
        break;
    default: // a debug call, only in the debug kernel (debug_syscalls.h), or an unknown one
        if (!handle_debug_syscall(thread, *r, number))
            unknown_system_call(number);
    }
    restore_user_context();
}
