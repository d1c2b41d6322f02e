// Faults and their replies: the fault message's registers, and the registers a faulting thread
// resumes with. A thread that faulted in a system call (unknown system call, capability fault)
// leaves by `sysretq` like any system call (rcx, r11 and rsp as sysret_exit says) even when
// the reply rewrote its registers; one that took an exception leaves by `iretq` with every
// register restored, rcx and r11 included.
#include "register_scenarios.h"

#include <stdio.h>

namespace register_suite {
namespace {

using namespace ipc_suite;
using libos_suite::check;

// What seL4's sanitiseRegister makes of RFLAGS written from outside: bit 1 set, bits 3 and 5
// clear, IF set, TF clear, nothing above bit 11.
seL4_Word sanitised_flags(seL4_Word flags)
{
    return (((flags | 0x2) & ~seL4_Word(0x128)) | 0x200) & 0xfff;
}

void* run_syscall(void* probe)
{
    probe_syscall(static_cast<Probe*>(probe));
    return nullptr;
}

void* run_ud2(void* probe)
{
    probe_ud2(static_cast<Probe*>(probe));
    return nullptr;
}

void* run_load(void* probe)
{
    probe_load(static_cast<Probe*>(probe));
    return nullptr;
}

// Waits for the next fault message on `endpoint`: its label and words.
struct FaultMessage {
    seL4_Word label;
    seL4_Word length;
    seL4_Word words[seL4_UnknownSyscall_Length];
};
FaultMessage receive_fault(seL4_CPtr endpoint)
{
    FaultMessage m{};
    const seL4_MessageInfo_t info = seL4_Recv(endpoint, nullptr);
    m.label = seL4_MessageInfo_get_label(info);
    m.length = seL4_MessageInfo_get_length(info);
    for (seL4_Word i = 0; i < m.length && i < seL4_UnknownSyscall_Length; i++)
        m.words[i] = seL4_GetMR(i);
    return m;
}

bool words_are(const char* name, const FaultMessage& m, seL4_Word label, const seL4_Word* expected,
               seL4_Word length, seL4_Word skip = 0)
{
    bool same = m.label == label && m.length == length;
    if (!same)
        printf("  %s: label %lu length %lu, seL4 sends %lu and %lu\n", name, m.label, m.length, label, length);
    for (seL4_Word i = 0; same && i < length; i++) {
        if ((skip & (seL4_Word(1) << i)) == 0 && m.words[i] != expected[i]) {
            printf("  %s: word %lu is 0x%lx, seL4 sends 0x%lx\n", name, i, m.words[i], expected[i]);
            same = false;
        }
    }
    check(name, same);
    return same;
}

// The UnknownSyscall message: RAX..R15, FaultIP, SP, FLAGS, the number. RCX, R11 and SP are left
// out: seL4's `syscall` entry saves rcx as the next IP and r11 as FLAGS and does not save rsp,
// so those three words are whatever an earlier exception or register write left (docs/abi.md).
constexpr seL4_Word StaleSyscallWords = (1u << seL4_UnknownSyscall_RCX) | (1u << seL4_UnknownSyscall_R11) |
                                        (1u << seL4_UnknownSyscall_SP);
void expect_syscall_message(const Probe& p, seL4_Word (&words)[seL4_UnknownSyscall_Length])
{
    const seL4_Word in_order[15] = {p.in.rax, p.in.rsp, 0, p.in.rdx, p.in.rsi, p.in.rdi, p.in.rbp, p.in.r8,
                                    p.in.r9, p.in.r10, 0, p.in.r12, p.in.r13, p.in.r14, p.in.r15};
    for (unsigned i = 0; i < 15; i++)
        words[i] = in_order[i];
    words[seL4_UnknownSyscall_FaultIP] = address_of(probe_syscall_trap);
    words[seL4_UnknownSyscall_SP] = 0;
    words[seL4_UnknownSyscall_FLAGS] = p.in.rflags;
    words[seL4_UnknownSyscall_Syscall] = p.in.rdx;
}

void unknown_syscall_exits(seL4_CPtr fault_endpoint)
{
    constexpr seL4_Word Number = 0x1234;
    static Probe full, part;
    seL4_Word message[seL4_UnknownSyscall_Length];

    // A reply of 18 words rewrites every register and moves the thread past the call.
    fill(full, 50, Number, 0x5151, 0x6161);
    Thread* worker = spawn(run_syscall, &full, WorkerPriority, fault_endpoint);
    FaultMessage m = receive_fault(fault_endpoint);
    expect_syscall_message(full, message);
    words_are("registers.fault.unknown_syscall_message", m, seL4_Fault_UnknownSyscall, message,
              seL4_UnknownSyscall_Length, StaleSyscallWords);
    RegisterSet replied{};
    const Reg order[15] = {Reg::Rax, Reg::Rbx, Reg::Rcx, Reg::Rdx, Reg::Rsi, Reg::Rdi, Reg::Rbp, Reg::R8,
                           Reg::R9,  Reg::R10, Reg::R11, Reg::R12, Reg::R13, Reg::R14, Reg::R15};
    for (unsigned i = 0; i < 15; i++) {
        reg(replied, order[i]) = 0x7e91000000000000ull | i;
        seL4_SetMR(i, reg(replied, order[i]));
    }
    replied.rbx = full.in.rsp; // the probe finds its stack through rbx
    seL4_SetMR(seL4_UnknownSyscall_RBX, replied.rbx);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, address_of(probe_syscall_after));
    seL4_SetMR(seL4_UnknownSyscall_SP, 0x5b5b5b50);
    const seL4_Word flags = 0x8d7 | 0x100 | 0x3000 | 0x40000; // TF, IOPL and AC go
    seL4_SetMR(seL4_UnknownSyscall_FLAGS, flags);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_FLAGS + 1));
    join(worker);
    destroy(worker);
    RegisterSet expected = replied;
    expected.rcx = address_of(probe_syscall_after);
    expected.r11 = sanitised_flags(flags);
    expected.rflags = sanitised_flags(flags);
    expected.rsp = 0;
    check_registers("registers.fault.unknown_syscall_full_reply", full.out, expected);

    // A reply of 5 words (RAX..RSI) leaves FaultIP: the thread runs its `syscall` again, now
    // with the reply's rdx, which makes it a Yield.
    fill(part, 51, Number, 0x5252, 0x6262);
    worker = spawn(run_syscall, &part, WorkerPriority, fault_endpoint);
    m = receive_fault(fault_endpoint);
    check("registers.fault.unknown_syscall_second", m.label == seL4_Fault_UnknownSyscall);
    seL4_SetMR(0, 0xaaaa);
    seL4_SetMR(1, part.in.rsp);
    seL4_SetMR(2, 0xcccc);
    seL4_SetMR(3, seL4_Word(seL4_SysYield));
    seL4_SetMR(4, 0xeeee);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 5));
    join(worker);
    destroy(worker);
    expected = sysret_exit(part, address_of(probe_syscall_after));
    expected.rax = 0xaaaa;
    expected.rdx = seL4_Word(seL4_SysYield);
    expected.rsi = 0xeeee;
    check_registers("registers.fault.unknown_syscall_short_reply_restarts", part.out, expected);
}

void user_exception_exits(seL4_CPtr fault_endpoint)
{
    static Probe p;
    fill(p, 52);
    Thread* worker = spawn(run_ud2, &p, WorkerPriority, fault_endpoint);
    const FaultMessage m = receive_fault(fault_endpoint);
    const seL4_Word message[seL4_UserException_Length] = {address_of(probe_ud2_trap), p.in.rsp, p.in.rflags,
                                                          6 /* #UD */, 0};
    words_are("registers.fault.user_exception_message", m, seL4_Fault_UserException, message,
              seL4_UserException_Length);
    seL4_SetMR(seL4_UserException_FaultIP, address_of(probe_ud2_after));
    seL4_SetMR(seL4_UserException_SP, p.in.rsp);
    seL4_SetMR(seL4_UserException_FLAGS, p.in.rflags | 0x1);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 3));
    join(worker);
    destroy(worker);
    RegisterSet expected = p.in; // `iretq`: every register, rcx and r11 too
    expected.rflags = sanitised_flags(p.in.rflags | 0x1);
    check_registers("registers.fault.user_exception_reply_restores_all", p.out, expected);
}

// A page fault; the handler reads the thread's registers, writes them back with rip past the
// load, and replies: the thread resumes with exactly those registers.
void vm_fault_exits(seL4_CPtr fault_endpoint)
{
    constexpr seL4_Word Unmapped = 0x100000000000ull; // 16 TiB: nothing maps it
    static Probe p;
    fill(p, 53);
    p.in.r13 = Unmapped;
    Thread* worker = spawn(run_load, &p, WorkerPriority, fault_endpoint);
    const FaultMessage m = receive_fault(fault_endpoint);
    const seL4_Word message[seL4_VMFault_Length] = {address_of(probe_load_trap), Unmapped, 0, 4 /* user read */};
    words_are("registers.fault.vm_fault_message", m, seL4_Fault_VMFault, message, seL4_VMFault_Length);

    seL4_UserContext context{};
    const seL4_Error read = seL4_TCB_ReadRegisters(raw_cap(worker), 0, 0, 20, &context);
    const RegisterSet& in = p.in;
    const seL4_UserContext want = {address_of(probe_load_trap), in.rsp, in.rflags, in.rax, in.rbx, in.rcx,
                                   in.rdx, in.rsi, in.rdi, in.rbp, in.r8, in.r9, in.r10, in.r11,
                                   in.r12, in.r13, in.r14, in.r15, context.fs_base, context.gs_base};
    bool same = read == seL4_NoError;
    for (unsigned i = 0; same && i < 18; i++) {
        const seL4_Word got = (&context.rip)[i], expected = (&want.rip)[i];
        if (got != expected) {
            printf("  registers.fault.vm_fault_read_registers: word %u is 0x%lx, seL4 has 0x%lx\n", i, got, expected);
            same = false;
        }
    }
    check("registers.fault.vm_fault_read_registers", same);
    context.rip = address_of(probe_load_after);
    (void)seL4_TCB_WriteRegisters(raw_cap(worker), 0, 0, 18, &context);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    join(worker);
    destroy(worker);
    RegisterSet expected = p.in;
    expected.rflags = sanitised_flags(p.in.rflags);
    check_registers("registers.fault.vm_fault_written_registers", p.out, expected);
}

// Recv on an empty slot: a capability fault in the receive phase. The handler puts a signalled
// notification there and replies; the Recv runs again and takes the notification's word.
void cap_fault_exits(seL4_CPtr fault_endpoint)
{
    static Probe p;
    const seL4_CPtr slot = empty_slot();
    const seL4_CPtr notification = make(seL4_NotificationObject);
    const seL4_CPtr badged = mint(notification, seL4_AllRights, 0x33);
    fill(p, 54, seL4_SysRecv, slot, 0x5454);
    Thread* worker = spawn(run_syscall, &p, WorkerPriority, fault_endpoint);
    const FaultMessage m = receive_fault(fault_endpoint);
    const seL4_Word message[5] = {address_of(probe_syscall_trap), slot, 1, seL4_MissingCapability, 0};
    words_are("registers.fault.cap_fault_message", m, seL4_Fault_CapFault, message, 5);
    seL4_Signal(badged);
    (void)seL4_CNode_Copy(seL4_CapInitThreadCNode, slot, seL4_WordBits, seL4_CapInitThreadCNode, badged,
                          seL4_WordBits, seL4_AllRights);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    join(worker);
    destroy(worker);
    RegisterSet expected = sysret_exit(p, address_of(probe_syscall_after));
    expected.rdi = 0x33;
    check_registers("registers.fault.cap_fault_reply_restarts_call", p.out, expected);
}

} // namespace

void fault_exit_tests()
{
    const seL4_CPtr fault_endpoint = make(seL4_EndpointObject);
    unknown_syscall_exits(fault_endpoint);
    user_exception_exits(fault_endpoint);
    vm_fault_exits(fault_endpoint);
    cap_fault_exits(fault_endpoint);
}

} // namespace register_suite
