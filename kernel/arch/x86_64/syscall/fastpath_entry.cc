// The flat IPC fastpath on x86_64: seL4_Call and seL4_ReplyRecv from the `syscall` entry to
// `sysretq` in one function each (a reply to a fault included), seL4_Send (Signal) and seL4_Recv
// (Wait) without the general dispatch and CSpace walk, and a system call's fault sent to a waiting
// handler (fastpath_fault_entry, from handle_syscall). syscall_entry.S has saved the frame and checked the system call
// number and the extra capabilities; here the portable checks and commits (ipc/fastpath_steps.h,
// the code the host tests compare with the slow path) run inline with the message delivery and
// the thread switch, so that nothing is called on the common path and everything stays in
// registers. Any failed condition leaves everything as it was and runs handle_syscall, the
// reference, on the same frame.
#include <tessera/abi/message_info.h>
#include <tessera/abi/syscalls.h>

#include "arch/x86_64/arch_thread.h"
#include "arch/x86_64/asm_constants.h"
#include "arch/x86_64/invocation.h"
#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/syscall_fault_message.h"
#include "arch/x86_64/thread_switch.h"
#include "ipc/fastpath_steps.h"
#include "ipc/fault.h"
#include "ipc/transfer.h"
#include "notification/notification.h"

extern "C" [[noreturn]] void handle_syscall(tessera::x86_64::SavedRegisters* r);
// The way out to the current thread (syscall_entry.S): sysretq when it waits in a system call.
extern "C" [[noreturn]] void fastpath_return();

static_assert(SYSCALL_CALL == seL4_SysCall && SYSCALL_REPLY_RECV == seL4_SysReplyRecv &&
              SYSCALL_SEND == seL4_SysSend && SYSCALL_RECV == seL4_SysRecv);
static_assert(MSGINFO_EXTRA_CAPS_MASK ==
              ((1 << TESSERA_MSGINFO_EXTRA_CAPS_BITS) - 1) << TESSERA_MSGINFO_EXTRA_CAPS_SHIFT);
static_assert(MSGINFO_LENGTH_MASK == ((1 << TESSERA_MSGINFO_LENGTH_BITS) - 1) << TESSERA_MSGINFO_LENGTH_SHIFT);
static_assert(MSG_MAX_LENGTH == seL4_MsgMaxLength && MSG_MAX_LENGTH < MSGINFO_EXTRA_CAPS_MASK);

namespace tessera::x86_64 {
namespace {

using core::Tcb;
using core::Word;

// The switch after a fastpath IPC and the way out to `next`. `from` entered by `syscall` a moment
// ago, so its frame, bases and address space are the loaded ones and nothing is dirty: only what
// differs between the two threads changes.
[[noreturn, gnu::always_inline]] inline void switch_and_leave(CpuLocal& cpu, Tcb& from, Tcb& next)
{
    ArchTcb& arch = arch_of(next);
    const ThreadContext& context = arch.context;
    // Two threads nearly always have their own TLS (FS) bases: the write is the common case,
    // laid out in line (as an unlikely branch it cost a jump back a side).
    if (cpu.loaded_fs_base != context.fs_base)
        write_msr(msr::FsBase, cpu.loaded_fs_base = context.fs_base);
    if (cpu.loaded_gs_base != context.gs_base) [[unlikely]]
        write_msr(msr::KernelGsBase, cpu.loaded_gs_base = context.gs_base);
    switch_fpu_for(cpu, next);
    set_current_context(cpu, arch.context);
    cpu.loaded_thread = &next;
    // `next`'s PML4 as resolved, while nothing has changed any VSpace since (one word: the
    // epoch), then compared with the loaded one, which is `from`'s (two threads of one program
    // share it).
    (void)from;
    if (arch.resolved_epoch != vspace_epoch()) [[unlikely]] {
        resolve_and_load_root(next);
        fastpath_return();
    }
    if (cpu.loaded_root == arch.resolved_root)
        fastpath_return();
    // The CR3 load goes on to the way out itself: no return here and no jump back (2 a side).
    cpu.loaded_root = arch.resolved_root;
    load_user_root_and_return(arch.resolved_root);
}

// What every fastpath entry starts with: this CPU, the IPC context, the calling thread and its
// frame. A foreign thread (a Linux call: rdx only looked like an seL4 system call number) and a
// thread that is not the loaded one or whose TLS bases changed (never so right after `syscall`,
// checked because a wrong guess would return into stale bases) go to handle_syscall at once.
// The restart address (seL4's FaultIP) is already set: syscall_entry.S wrote it.
struct Entry {
    CpuLocal& cpu;
    core::IpcContext& ipc;
    Tcb& thread;
};

// The slow path for the system call a fastpath declines. Its frame is the CPU's current context
// (syscall_entry.S wrote it there and passes the same to handle_syscall), found again here so
// that no fastpath keeps its address in a register (an `lea` a side, and one register more).
[[noreturn, gnu::noinline, gnu::cold]] void decline()
{
    handle_syscall(&this_cpu().current_context->registers);
}

[[gnu::always_inline]] inline Entry enter()
{
    CpuLocal& cpu = this_cpu();
    core::IpcContext& ipc = ipc_context();
    Tcb& thread = *ipc.scheduler.current();
    // Odd for a foreign thread: never the CPU's loaded thread (ArchTcb::fastpath_self).
    if (arch_of(thread).fastpath_self != reinterpret_cast<uintptr_t>(cpu.loaded_thread)) [[unlikely]]
        decline();
    return Entry{cpu, ipc, thread};
}

// One flat fastpath: the portable check (a CallPlan or ReplyRecvPlan naming the thread to run),
// the delivery, the portable commit, the switch and the way out. `Steps` supplies check,
// commit, the thread that runs next and the badge the message carries.
// syscall_entry.S has checked that the message names no extra capability and that its length
// (passed in `length`, the info's length field) needs no clamp: the portable checks need not
// test the one again, and the delivered info is the sent one with the capability fields cleared.
template <class Steps>
[[noreturn, gnu::always_inline]] inline void flat_fastpath(Word cptr, Word info_word, Word length)
{
    const Entry entry = enter();
    const core::MessageInfo info{info_word};
    if (info.extra_caps() != 0 || length > seL4_MsgMaxLength || length != info.length())
        __builtin_unreachable();
    typename Steps::Plan plan;
    if (!Steps::check(entry.ipc, entry.thread, core::CPtr{cptr}, info, plan)) [[unlikely]]
        decline();
    Steps::divert(entry.cpu, entry.ipc, entry.thread, plan);
    if (!Steps::deliver(entry.ipc, entry.thread, plan, info, length)) [[unlikely]]
        decline();
    Steps::commit(entry.ipc, entry.thread, plan);
    switch_and_leave(entry.cpu, entry.thread, Steps::next(plan));
}

struct CallSteps {
    using Plan = core::fastpath::CallPlan;
    static constexpr auto check = core::fastpath::check_call;
    static constexpr auto commit = core::fastpath::commit_call;
    static Tcb& next(const Plan& plan) { return *plan.receiver; }
    static void divert(CpuLocal&, core::IpcContext&, Tcb&, const Plan&) {}
    [[gnu::always_inline]] static bool deliver(core::IpcContext& ipc, Tcb& thread, const Plan& plan, core::MessageInfo info,
                                               Word length)
    {
        return deliver_message_words(ipc.core, thread, *plan.receiver, length,
                                     core::fastpath::delivered_info(info), plan.badge);
    }
};

struct ReplyRecvSteps {
    using Plan = core::fastpath::ReplyRecvPlan;
    static constexpr auto check = core::fastpath::check_reply_recv;
    static constexpr auto commit = core::fastpath::commit_reply_recv;
    static Tcb& next(const Plan& plan) { return *plan.caller; }
    // A reply to a fault takes its own way (reply_to_fault): kept out of this function, so that
    // nothing here lives across its calls or in memory (everything is passed by value) and the
    // common path below knows it is not one.
    [[gnu::always_inline]] static void divert(CpuLocal& cpu, core::IpcContext& ipc, Tcb& thread, const Plan& plan)
    {
        if (plan.fault_reply) [[unlikely]]
            reply_to_fault(cpu, ipc, thread, plan);
    }
    // A reply carries no badge.
    [[gnu::always_inline]] static bool deliver(core::IpcContext& ipc, Tcb& thread, const Plan& plan, core::MessageInfo info,
                                               Word length)
    {
        return deliver_message_words(ipc.core, thread, *plan.caller, length,
                                     core::fastpath::delivered_info(info), core::Badge{0});
    }
    // The reply written into the faulted thread's registers and the commit; the faulted thread
    // resumes at its fault IP. An emulator's answer to a system call (the POSIX server's every
    // reply) is read from the replier's registers and IPC buffer in one pass here, inline
    // (syscall_fault_message.h), as handle_fault_reply's architecture pass reads it; any other
    // reply goes out of line (fastpath::reply_to_fault).
    [[noreturn, gnu::noinline]] static void reply_to_fault(CpuLocal& cpu, core::IpcContext& ipc, Tcb& thread, Plan plan)
    {
        Tcb& faulted = *plan.caller;
        const core::MessageInfo info{registers_of(thread).rsi};
        if (core::takes_syscall_reply_pass(faulted, info)) [[likely]] {
            if (const Word* buffer = find_ipc_buffer(ipc.core, thread, BufferAccess::Read)) [[likely]] {
                read_syscall_fault_reply(thread, faulted, buffer, info.length());
                core::fastpath::commit_reply_recv(ipc, thread, plan);
                switch_and_leave(cpu, thread, faulted);
            }
        }
        core::fastpath::reply_to_fault(ipc, thread, plan);
        switch_and_leave(cpu, thread, faulted);
    }
};

// seL4_Signal and seL4_Send: send_signal on a notification, or what the slow path does on an
// endpoint (send_to_endpoint), straight from the entry with the one-compare lookup; then the way
// out acts on whatever switch it asked for. Anything else (no capability, a kernel object's
// method, a reply capability) runs handle_syscall.
[[noreturn]] void send_fastpath(Word cptr, Word info)
{
    [[maybe_unused]] const auto [cpu, ipc, thread] = enter();
    const core::Slot* found = core::fastpath::lookup_in(ipc, thread, core::CPtr{cptr});
    if (found == nullptr) [[unlikely]]
        decline();
    core::Badge badge{0};
    if (core::Notification* notification = core::fastpath::signal_target(ipc, *found, badge))
        core::send_signal(ipc, *notification, badge);
    else if (core::EndpointCap::is(found->cap) && core::EndpointCap{found->cap}.can_send())
        send_to_endpoint(ipc, thread, core::EndpointCap{found->cap}, core::IsCall::No, core::Blocking::Yes);
    else
        decline();
    (void)info; // syscall_entry.S checked that it names no extra capabilities
    restore_user_context();
}

// seL4_Wait and seL4_Recv: what handle_recv does once it has the capability (receive_on), with
// the one-compare lookup. A failed lookup or a capability nobody receives on runs handle_syscall,
// which raises the fault.
[[noreturn]] void recv_fastpath(Word cptr)
{
    [[maybe_unused]] const auto [cpu, ipc, thread] = enter();
    const core::Slot* found = core::fastpath::lookup_in(ipc, thread, core::CPtr{cptr});
    if (found == nullptr || !core::fastpath::receive_on(ipc, thread, found->cap, core::Blocking::Yes)) [[unlikely]]
        decline();
    restore_user_context();
}

// handle_fault for the unknown system call `number` the fault fastpath declines, then the way out
// to whichever thread runs. Out of line and cold: the fastpath keeps nothing across it.
[[noreturn, gnu::noinline, gnu::cold]] void decline_fault(Word number)
{
    core::IpcContext& ipc = ipc_context();
    core::handle_fault(ipc, *ipc.scheduler.current(), core::unknown_syscall_fault(number));
    restore_user_context();
}

// seL4 handleFault for the thread that entered the kernel a moment ago with an unknown system
// call (a foreign thread's `syscall`: a Linux call for the POSIX server) when a handler waits on
// its fault endpoint: the message goes straight into the handler's registers and IPC buffer in
// one pass (syscall_fault_message.h), the record straight into the thread, and the handler runs
// next, as the flat Call's receiver does (core::fastpath_syscall_fault, the steps the host tests
// compare with handle_fault). Anything else, a thread that is not the loaded one and a handler
// without an IPC buffer, is handle_fault's.
[[noreturn]] void fault_fastpath(Word number)
{
    CpuLocal& cpu = this_cpu();
    core::IpcContext& ipc = ipc_context();
    Tcb& thread = *ipc.scheduler.current();
    core::fastpath::CallPlan plan;
    if (cpu.loaded_thread != &thread || !core::fastpath::check_fault(ipc, thread, plan)) [[unlikely]]
        decline_fault(number);
    Word* buffer = find_ipc_buffer(ipc.core, *plan.receiver, BufferAccess::Write);
    if (buffer == nullptr) [[unlikely]]
        decline_fault(number);
    write_syscall_fault_message(thread, *plan.receiver, buffer, number, core::SyscallFaultInfo, plan.badge);
    core::fastpath::commit_syscall_fault(ipc, thread, number, plan);
    switch_and_leave(cpu, thread, *plan.receiver);
}

} // namespace
} // namespace tessera::x86_64

extern "C" [[noreturn]] void fastpath_call_entry(tessera::core::Word cptr, tessera::core::Word info,
                                                 tessera::core::Word length)
{
    tessera::x86_64::flat_fastpath<tessera::x86_64::CallSteps>(cptr, info, length);
}

extern "C" [[noreturn]] void fastpath_reply_recv_entry(tessera::core::Word cptr, tessera::core::Word info,
                                                       tessera::core::Word length)
{
    tessera::x86_64::flat_fastpath<tessera::x86_64::ReplyRecvSteps>(cptr, info, length);
}

extern "C" [[noreturn]] void fastpath_signal_entry(tessera::core::Word cptr, tessera::core::Word info)
{
    tessera::x86_64::send_fastpath(cptr, info);
}

extern "C" [[noreturn]] void fastpath_fault_entry(tessera::core::Word number)
{
    tessera::x86_64::fault_fastpath(number);
}

extern "C" [[noreturn]] void fastpath_wait_entry(tessera::core::Word cptr)
{
    tessera::x86_64::recv_fastpath(cptr);
}
