#include "arch/x86_64/arch_thread.h"

#include <tessera/abi/faults.h>
#include <tessera/abi/ipc_buffer.h>

#include <utility>

#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/syscall_fault_message.h"
#include "arch/x86_64/thread.h"
#include "arch/x86_64/thread_switch.h"
#include "cap/cap_arch_kinds.h"

namespace tessera::x86_64 {

using core::Tcb;
using core::UserRegister;
using core::Word;

namespace {

uint64_t* user_register_slot(SavedRegisters& r, UserRegister reg)
{
    switch (reg) {
    case UserRegister::Rip: return &r.rip;
    case UserRegister::Rsp: return &r.rsp;
    case UserRegister::Rflags: return &r.rflags;
    case UserRegister::Rax: return &r.rax;
    case UserRegister::Rbx: return &r.rbx;
    case UserRegister::Rcx: return &r.rcx;
    case UserRegister::Rdx: return &r.rdx;
    case UserRegister::Rsi: return &r.rsi;
    case UserRegister::Rdi: return &r.rdi;
    case UserRegister::Rbp: return &r.rbp;
    case UserRegister::R8: return &r.r8;
    case UserRegister::R9: return &r.r9;
    case UserRegister::R10: return &r.r10;
    case UserRegister::R11: return &r.r11;
    case UserRegister::R12: return &r.r12;
    case UserRegister::R13: return &r.r13;
    case UserRegister::R14: return &r.r14;
    case UserRegister::R15: return &r.r15;
    case UserRegister::FsBase:
    case UserRegister::GsBase: break;
    }
    return nullptr;
}

// seL4 sanitiseRegister: values that would fault the kernel on the way out (a non-canonical
// RIP makes iretq/sysretq fault in ring 0; a non-canonical base faults wrmsr) become 0, and
// RFLAGS keeps only the bits user code owns.
Word sanitise(UserRegister reg, Word value)
{
    switch (reg) {
    case UserRegister::Rip:
    case UserRegister::FsBase:
    case UserRegister::GsBase:
        return is_canonical(value) ? value : 0;
    case UserRegister::Rflags:
        return (value & rflags::UserModifiable) | rflags::UserInitial;
    default:
        return value;
    }
}

} // namespace

uint64_t& register_message_word(SavedRegisters& r, size_t index)
{
    switch (index) {
    case 0: return r.r10;
    case 1: return r.r8;
    case 2: return r.r9;
    default: return r.r15;
    }
}

core::FoundIpcBuffer decode_ipc_buffer(const core::CoreContext& ctx, core::Cap cap, Word address)
{
    if (!core::FrameCap::is(cap))
        return {};
    const core::FrameCap frame{cap};
    if (frame.device() == core::Device::Yes)
        return {};
    const core::VmRights rights = frame.rights();
    if (rights != core::VmRights::ReadWrite && rights != core::VmRights::ReadOnly)
        return {};
    const Word offset = address & core::mask(frame.size_bits().raw());
    return {ctx.window.at<Word>(frame.object() + offset), rights == core::VmRights::ReadWrite};
}

bool deliver_buffer_words_found(const core::CoreContext& ctx, Tcb& from, Tcb& to, size_t count)
{
    const Word* in = find_ipc_buffer(ctx, from, BufferAccess::Read);
    Word* out = find_ipc_buffer(ctx, to, BufferAccess::Write);
    if (in == nullptr || out == nullptr)
        return false;
    copy_buffer_words(in, out, count);
    return true;
}

Word* ipc_buffer_words(Tcb& tcb, BufferAccess access) { return find_ipc_buffer(core_context(), tcb, access); }

} // namespace tessera::x86_64

// core::ArchThread for x86_64: the definitions the kernel links in place of the host tests' fake.
namespace tessera::core {

using x86_64::arch_of;
using x86_64::BufferAccess;
using x86_64::copy_buffer_words;
using x86_64::copy_register_words;
using x86_64::core_context;
using x86_64::deliver_message_words;
using x86_64::fpu_disabled;
using x86_64::FrameSlots;
using x86_64::register_message_word;
using x86_64::RegisterMessageWords;
using x86_64::registers_of;
using x86_64::sanitise;
using x86_64::SavedRegisters;
using x86_64::ThreadContext;
using x86_64::this_cpu;
using x86_64::user_register_slot;

namespace {

// The thread's IPC buffer, its cached hit path inline in each function here: through the
// out-of-line ipc_buffer_words every slow-path message access paid a call and its frame (the
// slow-path round trip measured 114 instructions more when GCC stopped inlining it).
[[gnu::always_inline]] inline Word* buffer_words(Tcb& tcb, BufferAccess access)
{
    return x86_64::find_ipc_buffer(core_context(), tcb, access);
}

} // namespace

Word ArchThread::message_register(Tcb& tcb, size_t index)
{
    if (index < RegisterMessageWords)
        return register_message_word(registers_of(tcb), index);
    const Word* buffer = buffer_words(tcb, BufferAccess::Read);
    return buffer ? buffer[1 + index] : 0; // msg[i] follows the tag word
}

void ArchThread::set_message_register(Tcb& tcb, size_t index, Word value)
{
    if (index < RegisterMessageWords) {
        register_message_word(registers_of(tcb), index) = value;
        return;
    }
    if (Word* buffer = buffer_words(tcb, BufferAccess::Write))
        buffer[1 + index] = value;
}

void ArchThread::set_message_registers(Tcb& tcb, const Word* values, size_t count)
{
    SavedRegisters& r = registers_of(tcb);
    if (count >= RegisterMessageWords) {
        // The common case (every fault message), without a switch per word.
        r.r10 = values[0];
        r.r8 = values[1];
        r.r9 = values[2];
        r.r15 = values[3];
    } else {
        for (size_t i = 0; i < count; ++i)
            register_message_word(r, i) = values[i];
    }
    if (count <= RegisterMessageWords)
        return;
    Word* buffer = buffer_words(tcb, BufferAccess::Write);
    if (buffer == nullptr)
        return; // without a buffer the words past the registers are dropped, one by one or not
    for (size_t i = RegisterMessageWords; i < count; ++i)
        buffer[1 + i] = values[i]; // msg[i] follows the tag word
}

void ArchThread::read_message_registers(Tcb& tcb, Word* values, size_t count)
{
    SavedRegisters& r = registers_of(tcb);
    if (count >= RegisterMessageWords) {
        values[0] = r.r10;
        values[1] = r.r8;
        values[2] = r.r9;
        values[3] = r.r15;
    } else {
        for (size_t i = 0; i < count; ++i)
            values[i] = register_message_word(r, i);
    }
    if (count <= RegisterMessageWords)
        return;
    const Word* buffer = buffer_words(tcb, BufferAccess::Read);
    if (buffer == nullptr) {
        for (size_t i = RegisterMessageWords; i < count; ++i)
            values[i] = 0; // without a buffer they read as 0
        return;
    }
    for (size_t i = RegisterMessageWords; i < count; ++i)
        values[i] = buffer[1 + i];
}

void ArchThread::copy_message_registers(Tcb& from, Tcb& to, size_t count)
{
    copy_register_words(registers_of(from), registers_of(to), count);
    if (count <= RegisterMessageWords)
        return;
    const Word* in = buffer_words(from, BufferAccess::Read);
    Word* out = buffer_words(to, BufferAccess::Write);
    if (in == nullptr || out == nullptr)
        return; // callers clamp `count` to both threads' limits
    copy_buffer_words(in, out, count);
}

bool ArchThread::deliver_message(Tcb& from, Tcb& to, size_t count, Word info, Badge badge)
{
    return deliver_message_words(core_context(), from, to, count, info, badge);
}

size_t ArchThread::clamp_message_length(Tcb& tcb, size_t length)
{
    if (length <= RegisterMessageWords)
        return length;
    return buffer_words(tcb, BufferAccess::Read) ? length : RegisterMessageWords;
}

Word ArchThread::ipc_buffer_word(Tcb& tcb, size_t word_index)
{
    const Word* buffer = buffer_words(tcb, BufferAccess::Read);
    return buffer ? buffer[word_index] : 0;
}

void ArchThread::set_ipc_buffer_word(Tcb& tcb, size_t word_index, Word value)
{
    if (Word* buffer = buffer_words(tcb, BufferAccess::Write))
        buffer[word_index] = value;
}

Word ArchThread::message_info(Tcb& tcb) { return registers_of(tcb).rsi; }

void ArchThread::set_message_info(Tcb& tcb, Word info) { registers_of(tcb).rsi = info; }

void ArchThread::set_badge(Tcb& tcb, Badge badge) { registers_of(tcb).rdi = badge.raw(); }

Word ArchThread::user_register(Tcb& tcb, UserRegister reg)
{
    ThreadContext& c = arch_of(tcb).context;
    if (reg == UserRegister::FsBase)
        return c.fs_base;
    if (reg == UserRegister::GsBase)
        return c.gs_base;
    return *user_register_slot(c.registers, reg);
}

void ArchThread::set_user_register(Tcb& tcb, UserRegister reg, Word value)
{
    ThreadContext& c = arch_of(tcb).context;
    value = sanitise(reg, value);
    if (reg == UserRegister::FsBase || reg == UserRegister::GsBase) {
        (reg == UserRegister::FsBase ? c.fs_base : c.gs_base) = value;
        this_cpu().loaded_thread = nullptr; // the way out reloads the MSRs
        return;
    }
    *user_register_slot(c.registers, reg) = value;
}


// Both run on every fault delivery and reply (a POSIX program's every system call): unrolled
// over the slots, so that each register is a constant offset and only RIP and RFLAGS keep a
// sanitising step (a loop through the member table cost about 17 instructions a register).
void ArchThread::frame_registers(Tcb& tcb, Word (&values)[FrameRegisterCount])
{
    const SavedRegisters& r = registers_of(tcb);
    [&]<size_t... I>(std::index_sequence<I...>) {
        ((values[I] = r.*FrameSlots[I]), ...);
    }(std::make_index_sequence<FrameRegisterCount>{});
}

void ArchThread::set_frame_registers(Tcb& tcb, const Word (&values)[FrameRegisterCount], uint32_t which)
{
    SavedRegisters& r = registers_of(tcb);
    // Only the set bits: a fault reply names 15 to 17 of the 18.
    [&]<size_t... I>(std::index_sequence<I...>) {
        ((which & (uint32_t{1} << I) ? void(r.*FrameSlots[I] = sanitise(UserRegister(I), values[I]))
                                     : void()),
         ...);
    }(std::make_index_sequence<FrameRegisterCount>{});
}

// The UnknownSyscall message and its reply, a POSIX program's every system call: each word a
// constant offset on both sides, with no array between (three copies became one) and one IPC
// buffer lookup.
bool ArchThread::set_syscall_fault_message(Tcb& from, Tcb& to, Word number, Word info, Badge badge)
{
    Word* buffer = buffer_words(to, BufferAccess::Write);
    if (buffer == nullptr) [[unlikely]]
        return false;
    x86_64::write_syscall_fault_message(from, to, buffer, number, info, badge);
    return true;
}

bool ArchThread::apply_syscall_fault_reply(Tcb& replier, Tcb& faulted, size_t length)
{
    const Word* buffer = buffer_words(replier, BufferAccess::Read);
    if (buffer == nullptr) [[unlikely]]
        return false;
    x86_64::read_syscall_fault_reply(replier, faulted, buffer, length);
    return true;
}

Word ArchThread::fault_ip(Tcb& tcb) { return fault_ip_of(arch_of(tcb)); }

void ArchThread::set_fault_ip(Tcb& tcb, Word value)
{
    // seL4 writes FaultIP and then sets NextIP from it (invokeTCB_WriteRegisters).
    value = sanitise(UserRegister::Rip, value);
    set_fault_ip_of(arch_of(tcb), value);
    registers_of(tcb).rip = value;
}

bool ArchThread::has_ipc_buffer(Tcb& tcb) { return buffer_words(tcb, BufferAccess::Read) != nullptr; }

// seL4 activateThread for Restart: only the next IP changes. A thread that entered by `syscall`
// still leaves by `sysretq` (rcx, r11 and rsp as that exit sets them), as on seL4.
void ArchThread::restart_at_fault_ip(Tcb& tcb) { registers_of(tcb).rip = fault_ip_of(arch_of(tcb)); }

// seL4 Mode_postModifyRegisters (x86_64): the frame's vector stops saying "syscall", so the
// thread's next exit is an `iretq` restoring every register it was given (sysretq would set rcx,
// r11 and rsp itself). The core calls this only for a thread other than the caller.
void ArchThread::registers_written_from_outside(Tcb& tcb) { registers_of(tcb).vector = 0; }

void ArchThread::copy_fpu_state(Tcb& from, Tcb& to)
{
    // Whichever thread's state is live in the FPU is written back first.
    release_fpu(from);
    release_fpu(to);
    arch_of(to).fpu = arch_of(from).fpu;
}

void ArchThread::release_fpu_owner()
{
    x86_64::CpuLocal& cpu = x86_64::this_cpu();
    if (cpu.fpu_owner == &cpu.no_fpu_owner)
        return;
    x86_64::write_back_fpu(cpu);
    x86_64::set_fpu_trapping(cpu, true);
}

void ArchThread::release_fpu(Tcb& tcb) { x86_64::release_fpu(tcb); }

void ArchThread::vspace_changed(Tcb&) { x86_64::vspace_changed(); }

void ArchThread::tcb_flags_changed(Tcb& tcb)
{
    x86_64::update_fastpath_self(tcb); // the foreign flag may have changed
    if (fpu_disabled(tcb)) {
        arch_of(tcb).eager_fpu_switches = 0; // switch_fpu_for then never loads its state
        release_fpu(tcb);
    }
}

} // namespace tessera::core
