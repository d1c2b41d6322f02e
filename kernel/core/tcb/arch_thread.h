// How the portable core reaches a thread's registers and IPC buffer. Declared here, defined once
// per architecture and chosen at link time (STYLE rule 9): kernel/arch/x86_64/thread/arch_thread.cc
// (badge in rdi, message info in rsi, MR0..3 in r10, r8, r9, r15, the rest in the IPC buffer);
// the host tests link their own (tests/host/ipc/fake_arch.cc).
#pragma once

#include <cstddef>

#include <tessera/abi/ipc_buffer.h>

#include "base/types.h"
// The architecture's register names (UserRegister, the frame/gp split, the registers a fault
// message carries): found in the arch folder on the core's include path (kernel/core/CMakeLists.txt).
#include "tcb/user_register.h"

namespace tessera::core {

struct Tcb;

// Calls are direct, not virtual: an image holds one architecture. The class has no state; an
// architecture that needs some derives the one class its image makes ArchThread objects of (the
// host fake keeps registers in maps), and its definitions below may take `*this` to be that class.
class ArchThread {
public:
    // Message register `index` (< seL4_MsgMaxLength). Registers beyond the fast ones come from
    // the IPC buffer; with no buffer mapped they read as 0.
    Word message_register(Tcb& tcb, size_t index);
    void set_message_register(Tcb& tcb, size_t index, Word value);
    // Message registers 0..count-1 from one thread to another, within both limits (the IPC
    // paths' bulk copy; equal to copying one register at a time).
    void copy_message_registers(Tcb& from, Tcb& to, size_t count);
    // The IPC fastpath's whole transfer of a message without capabilities: message registers
    // 0..count-1, the message info and the badge, in one call where the three below would be
    // three. False, with nothing written, when `count` exceeds either thread's limit.
    bool deliver_message(Tcb& from, Tcb& to, size_t count, Word info, Badge badge);
    // Message registers 0..count-1 of `tcb` from `values`, or into `values`: what `count` calls
    // of set_message_register or message_register do, for fault messages and fault replies; an
    // architecture looks the IPC buffer up once instead of once per word.
    void set_message_registers(Tcb& tcb, const Word* values, size_t count);
    void read_message_registers(Tcb& tcb, Word* values, size_t count);
    // `length` (at most seL4_MsgMaxLength) clamped to how many message registers the thread can
    // send or receive: the fast registers only when it has no IPC buffer (seL4 truncates to
    // n_msgRegisters). The IPC buffer is looked up only when `length` passes the fast registers:
    // most kernel invocations and their replies fit in them and need no buffer.
    size_t clamp_message_length(Tcb& tcb, size_t length);
    // A word of the IPC buffer by seL4_IPCBuffer word index (caps_or_badges, receive slot...),
    // or 0 with no buffer. Writes without a buffer are dropped.
    Word ipc_buffer_word(Tcb& tcb, size_t word_index);
    void set_ipc_buffer_word(Tcb& tcb, size_t word_index, Word value);
    // The message info word (rsi on x86_64) and the badge word (rdi) of a syscall's return.
    Word message_info(Tcb& tcb);
    void set_message_info(Tcb& tcb, Word info);
    void set_badge(Tcb& tcb, Badge badge);
    Word user_register(Tcb& tcb, UserRegister reg);
    void set_user_register(Tcb& tcb, UserRegister reg, Word value);
    // The frame registers (Rip..R15, UserRegister order) in one call: what FrameRegisterCount
    // calls of user_register return. Fault messages read them so.
    void frame_registers(Tcb& tcb, Word (&values)[FrameRegisterCount]);
    // Those frame registers whose bit (1 << UserRegister) is set in `which`, each written as
    // set_user_register writes it, in one call: a fault reply's writes.
    void set_frame_registers(Tcb& tcb, const Word (&values)[FrameRegisterCount], uint32_t which);
    // seL4's UnknownSyscall fault message of `from` (abi/faults.h: SyscallMessageRegisters, its
    // fault IP, RSP, RFLAGS, then `number`) straight into `to`'s message registers
    // 0..seL4_UnknownSyscall_Length-1, with message info `info` and `badge` as set_message_info
    // and set_badge write them: what those words written by set_message_registers are, without
    // the two copies between (the POSIX personality's every system call). False, with nothing
    // written, when `to` has no IPC buffer (the general way then drops the words past the
    // registers).
    bool set_syscall_fault_message(Tcb& from, Tcb& to, Word number, Word info, Badge badge);
    // seL4 copyMRsFaultReply for an UnknownSyscall reply of `length` words (label 0, words up
    // to seL4_UnknownSyscall_FaultIP at least): every register its words name and the fault IP
    // (SP and FLAGS when the reply reaches them), written into `faulted` as
    // set_frame_registers and set_fault_ip write them, straight from `replier`'s message
    // registers. False, with nothing written, when `replier` has no IPC buffer (its message is
    // then only the registers: the general way takes it).
    bool apply_syscall_fault_reply(Tcb& replier, Tcb& faulted, size_t length);
    // The instruction that faulted or made the syscall, and where a restarted thread resumes.
    Word fault_ip(Tcb& tcb);
    void set_fault_ip(Tcb& tcb, Word value);
    // Whether the thread has an IPC buffer the kernel can reach.
    bool has_ipc_buffer(Tcb& tcb);
    // A thread in Restart resumes at its fault IP (seL4 getRestartPC/setNextPC).
    void restart_at_fault_ip(Tcb& tcb);
    // WriteRegisters or CopyRegisters changed the registers of `tcb`, which is not the calling
    // thread: its next exit restores every register it was given (seL4 Arch_postModifyRegisters).
    void registers_written_from_outside(Tcb& tcb);
    // Copies the FPU/extended state (CopyRegisters with the arch flag).
    void copy_fpu_state(Tcb& from, Tcb& to);
    // The thread's VSpace slot was written (SetSpace, Configure): whatever the architecture
    // resolved from it before (x86_64: the PML4 a switch loads) is stale.
    void vspace_changed(Tcb& tcb);
    // TCB_SetFlags changed the thread's flags: with the FPU disabled its live FPU state is
    // saved and released, so its next FPU instruction faults.
    void tcb_flags_changed(Tcb& tcb);
    // The domain scheduler keeps FPU state from crossing domains (seL4 prepareNextDomain and
    // prepareSetDomain): the state live in the FPU is saved to its owner and the FPU released,
    // for whichever thread owns it or only when `tcb` does.
    void release_fpu_owner();
    void release_fpu(Tcb& tcb);

protected:
    // Only an architecture's own class makes one.
    ArchThread() = default;
    ~ArchThread() = default;
};

// Word indices in seL4_IPCBuffer, taken from its one layout (abi/ipc_buffer.h).
inline constexpr size_t BufferCapsOrBadges = offsetof(seL4_IPCBuffer, caps_or_badges) / sizeof(Word);
inline constexpr size_t BufferReceiveCNode = offsetof(seL4_IPCBuffer, receiveCNode) / sizeof(Word);
inline constexpr size_t BufferReceiveIndex = offsetof(seL4_IPCBuffer, receiveIndex) / sizeof(Word);
inline constexpr size_t BufferReceiveDepth = offsetof(seL4_IPCBuffer, receiveDepth) / sizeof(Word);
static_assert(BufferCapsOrBadges == 122 && BufferReceiveDepth == 127); // seL4 manual, "IPC Buffer"

} // namespace tessera::core
