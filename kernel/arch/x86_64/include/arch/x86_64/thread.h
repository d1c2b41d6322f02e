// Threads on x86_64: what a TCB's arch area holds (the user register frame and the FPU state),
// the way out of the kernel (act on the scheduler's choice, switch address space, TLS bases and
// FPU ownership, return to user mode) and the idle loop.
#pragma once

#include <cstddef>
#include <cstdint>

#include "arch/x86_64/context.h"
#include "ipc/ipc_buffer_cache.h"
#include "tcb/tcb.h"

namespace tessera::x86_64 {

// The FXSAVE image: x87, MMX and SSE state (Intel SDM vol. 1, 10.5.1). AVX stays disabled
// (XCR0 is never set), so this is all the extended state a user thread can have.
struct alignas(16) FpuState {
    uint8_t bytes[512];
};

// seL4 keeps two instruction pointers per thread: FaultIP (the instruction that trapped or made
// the system call, where a restarted thread resumes) and NextIP (where it continues otherwise),
// which here is the frame's rip. FaultIP is kept plus 2, the length of `syscall`: the system call
// entry then stores rcx as it is (one instruction fewer on every system call than the `lea` and
// the store of rcx - 2); fault_ip_of and set_fault_ip_of read and write it.
struct ArchTcb {
    ThreadContext context; // first, so that its register frame ends 16-byte aligned (TSS.RSP0)
    uint64_t fault_ip_plus_2;
    // The PML4 the thread runs in (CR3, PCID included), as resolved from its VSpace slot at
    // `resolved_epoch` (vspace_epoch()): a thread switch reuses it while the epoch is unchanged.
    // Every change that could resolve a thread's VSpace differently (its VSpace slot written,
    // any PML4 capability deleted, an ASID pool deleted) advances the epoch, so one word
    // compared is the whole check (0 never matches: a new thread resolves on its first switch).
    uint64_t resolved_root;
    uint64_t resolved_epoch;
    uint32_t eager_fpu_switches; // switches that load its FPU state without waiting for #NM
    core::IpcBufferCache ipc_buffer; // its IPC buffer, found again only when slot or address change
    uint64_t svm_vcpu; // physical address of the SVM VCPU bound to it (svm.h), 0 for none
    // The thread itself while its system calls may take the fastpaths; while it is foreign
    // (TcbFlagForeignSyscalls: its rdx is no seL4 system call number) its address plus one,
    // which no CPU ever has as its loaded thread (not even the null one after a register write).
    // The fastpath entries compare it with the CPU's loaded thread: one compare for "not
    // foreign" and "loaded", where a test of the flags took two instructions more.
    // init_arch_tcb and tcb_flags_changed keep it.
    uintptr_t fastpath_self;
    FpuState fpu;
};
static_assert(sizeof(ArchTcb) <= sizeof(core::Tcb::arch), "the arch state fits the TCB");
static_assert(offsetof(ArchTcb, fault_ip_plus_2) - offsetof(ArchTcb, context) == CONTEXT_FAULT_IP_PLUS_2,
              "syscall_entry.S writes the fault IP beside the frame");
static_assert(SYSCALL_INSTRUCTION_LENGTH == 2, "`syscall` is 0f 05");
static_assert(sizeof(SavedRegisters) % 16 == 0, "interrupt frames land 16-byte aligned");

inline ArchTcb& arch_of(core::Tcb& tcb) { return *reinterpret_cast<ArchTcb*>(tcb.arch); }
inline void update_fastpath_self(core::Tcb& tcb)
{
    reinterpret_cast<ArchTcb*>(tcb.arch)->fastpath_self =
        reinterpret_cast<uintptr_t>(&tcb) | (tcb.is_foreign() ? 1 : 0); // a TCB is 1 KiB aligned
}
inline SavedRegisters& registers_of(core::Tcb& tcb) { return arch_of(tcb).context.registers; }
// seL4's FaultIP of the thread (ArchTcb::fault_ip_plus_2).
inline uint64_t fault_ip_of(const ArchTcb& arch) { return arch.fault_ip_plus_2 - SYSCALL_INSTRUCTION_LENGTH; }
inline void set_fault_ip_of(ArchTcb& arch, uint64_t ip) { arch.fault_ip_plus_2 = ip + SYSCALL_INSTRUCTION_LENGTH; }

// A new thread's arch state: a user frame at address 0 that leaves through iretq, interrupts on,
// the FPU in its reset state.
void init_arch_tcb(core::Tcb& tcb);

// The thread running on this CPU (the idle thread when nothing else can run).
core::Tcb& current_tcb();

// Leaves the kernel: acts on the scheduler's decision, switches to the chosen thread and returns
// to user mode in it. With nothing to run it halts until an interrupt makes something runnable.
[[noreturn]] void restore_user_context();
// Leaves the kernel into `next`, which the IPC fastpath has just made current: the scheduler has
// nothing to decide (its action is still ResumeCurrentThread) and `next` is Running, so only the
// switch itself remains.
[[noreturn]] void return_to_thread(core::Tcb& next);

// The current thread took exception `registers.vector` in user mode (`fault_address` is CR2 for
// page faults): a fault message to its handler, or one line and the thread stops.
void handle_user_exception(SavedRegisters& registers, uint64_t fault_address);

// The one console line for a fault that has no handler: the thread, what it did, and `line`.
void report_unhandled_fault(core::Tcb& tcb, const char* line);

// #NM from user mode: the current thread touched the FPU while another thread's state was in it.
void switch_fpu_owner();
// TCB_SetFlags' seL4_TCBFlag_fpuDisabled.
inline bool fpu_disabled(const core::Tcb& tcb) { return (tcb.thread.flags & core::TcbFlagFpuDisabled) != 0; }
// Writes `tcb`'s FPU state back to its TCB if it is the one loaded, and gives the FPU up (before
// the TCB is deleted or its state copied).
void release_fpu(core::Tcb& tcb);

// The PML4 to run `tcb` in: its VSpace root if that is still a mapped PML4, else the kernel's
// own (the thread then faults on its first user access, as on seL4).
uint64_t vspace_root_of(core::Tcb& tcb);

// With the boot option `exit_on_idle` (used by tests) QEMU ends, with status 0, when nothing is
// left to run.
void set_exit_on_idle(bool enabled);

// Makes the boot-allocated TCB at `tcb` the root task's thread, running at `entry` on `stack`
// with `boot_info` in rdi, in `vspace`'s address space and `cspace`'s capability space, with its
// IPC buffer frame in `buffer_slot` mapped at `ipc_buffer`.
[[noreturn]] void start_root_thread(core::Tcb& tcb, uint64_t entry, uint64_t stack, uint64_t boot_info, uint64_t ipc_buffer,
                       core::Slot& cspace_slot, core::Slot& vspace_slot, core::Slot& buffer_slot);

} // namespace tessera::x86_64
