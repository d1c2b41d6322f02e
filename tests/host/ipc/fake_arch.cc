// core::ArchThread for the host tests, over FakeArch's maps. The bulk calls (deliver_message,
// the register blocks) are their one-register-at-a-time definitions, which an architecture's
// faster versions must equal.
#include "fake_arch.h"

#include <tessera/abi/faults.h>

namespace tessera::core {

namespace {

// Sound because a host test makes no ArchThread but a FakeArch (ArchThread's constructor is
// protected and FakeArch is its only class here).
test::FakeThread& fake(ArchThread& arch, Tcb& t)
{
    return static_cast<test::FakeArch&>(arch).of(t);
}

// How many message registers the thread can send or receive (seL4 n_msgRegisters without a
// buffer).
size_t message_register_limit(const test::FakeThread& f)
{
    return f.has_buffer ? size_t{seL4_MsgMaxLength} : size_t{seL4_FastMessageRegisters};
}

} // namespace

Word ArchThread::message_register(Tcb& t, size_t i)
{
    test::FakeThread& f = fake(*this, t);
    return i < seL4_FastMessageRegisters || f.has_buffer ? f.buffer[1 + i] : 0;
}

void ArchThread::set_message_register(Tcb& t, size_t i, Word v)
{
    test::FakeThread& f = fake(*this, t);
    if (i < seL4_FastMessageRegisters || f.has_buffer)
        f.buffer[1 + i] = v;
}

void ArchThread::copy_message_registers(Tcb& from, Tcb& to, size_t count)
{
    for (size_t i = 0; i < count; ++i)
        set_message_register(to, i, message_register(from, i));
}

bool ArchThread::deliver_message(Tcb& from, Tcb& to, size_t count, Word info, Badge badge)
{
    if (message_register_limit(fake(*this, from)) < count ||
        message_register_limit(fake(*this, to)) < count)
        return false;
    copy_message_registers(from, to, count);
    set_message_info(to, info);
    set_badge(to, badge);
    return true;
}

void ArchThread::set_message_registers(Tcb& t, const Word* values, size_t count)
{
    for (size_t i = 0; i < count; ++i)
        set_message_register(t, i, values[i]);
}

void ArchThread::read_message_registers(Tcb& t, Word* values, size_t count)
{
    for (size_t i = 0; i < count; ++i)
        values[i] = message_register(t, i);
}

size_t ArchThread::clamp_message_length(Tcb& t, size_t length)
{
    const size_t limit = message_register_limit(fake(*this, t));
    return length < limit ? length : limit;
}

Word ArchThread::ipc_buffer_word(Tcb& t, size_t w)
{
    test::FakeThread& f = fake(*this, t);
    return f.has_buffer ? f.buffer[w] : 0;
}

void ArchThread::set_ipc_buffer_word(Tcb& t, size_t w, Word v)
{
    test::FakeThread& f = fake(*this, t);
    if (f.has_buffer)
        f.buffer[w] = v;
}

Word ArchThread::message_info(Tcb& t) { return fake(*this, t).info; }

void ArchThread::set_message_info(Tcb& t, Word v) { fake(*this, t).info = v; }

void ArchThread::set_badge(Tcb& t, Badge b) { fake(*this, t).badge = b.raw(); }

Word ArchThread::user_register(Tcb& t, UserRegister r) { return fake(*this, t).registers[size_t(r)]; }

void ArchThread::set_user_register(Tcb& t, UserRegister r, Word v) { fake(*this, t).registers[size_t(r)] = v; }

void ArchThread::frame_registers(Tcb& t, Word (&values)[FrameRegisterCount])
{
    for (size_t i = 0; i < FrameRegisterCount; ++i)
        values[i] = user_register(t, UserRegister(i));
}

void ArchThread::set_frame_registers(Tcb& t, const Word (&values)[FrameRegisterCount], uint32_t which)
{
    for (size_t i = 0; i < FrameRegisterCount; ++i)
        if ((which >> i) & 1)
            set_user_register(t, UserRegister(i), values[i]);
}

// seL4's layout word by word from abi/faults.h's own indices, with no bulk copy: the reference
// an architecture's one pass must equal (fault_test.cc checks the words against the ABI).
bool ArchThread::set_syscall_fault_message(Tcb& from, Tcb& to, Word number, Word info, Badge badge)
{
    if (!fake(*this, to).has_buffer)
        return false;
    for (size_t i = 0; i < SyscallMessageRegisterCount; ++i)
        set_message_register(to, seL4_UnknownSyscall_RAX + i, user_register(from, SyscallMessageRegisters[i]));
    set_message_register(to, seL4_UnknownSyscall_FaultIP, fault_ip(from));
    set_message_register(to, seL4_UnknownSyscall_SP, user_register(from, UserRegister::Rsp));
    set_message_register(to, seL4_UnknownSyscall_FLAGS, user_register(from, UserRegister::Rflags));
    set_message_register(to, seL4_UnknownSyscall_Syscall, number);
    set_message_info(to, info);
    set_badge(to, badge);
    return true;
}

bool ArchThread::apply_syscall_fault_reply(Tcb& replier, Tcb& faulted, size_t length)
{
    if (!fake(*this, replier).has_buffer)
        return false;
    for (size_t i = 0; i < SyscallMessageRegisterCount; ++i)
        set_user_register(faulted, SyscallMessageRegisters[i], message_register(replier, seL4_UnknownSyscall_RAX + i));
    set_fault_ip(faulted, message_register(replier, seL4_UnknownSyscall_FaultIP));
    if (length > seL4_UnknownSyscall_SP)
        set_user_register(faulted, UserRegister::Rsp, message_register(replier, seL4_UnknownSyscall_SP));
    if (length > seL4_UnknownSyscall_FLAGS)
        set_user_register(faulted, UserRegister::Rflags, message_register(replier, seL4_UnknownSyscall_FLAGS));
    return true;
}

Word ArchThread::fault_ip(Tcb& t) { return fake(*this, t).fault_ip; }

void ArchThread::set_fault_ip(Tcb& t, Word v) { fake(*this, t).fault_ip = v; }

bool ArchThread::has_ipc_buffer(Tcb& t) { return fake(*this, t).has_buffer; }

void ArchThread::restart_at_fault_ip(Tcb& t)
{
    test::FakeThread& f = fake(*this, t);
    f.registers[size_t(UserRegister::Rip)] = f.fault_ip;
    f.restarted_at = f.fault_ip;
}

void ArchThread::registers_written_from_outside(Tcb& t) { fake(*this, t).written_from_outside++; }

void ArchThread::copy_fpu_state(Tcb&, Tcb&) {}

void ArchThread::tcb_flags_changed(Tcb&) {}

void ArchThread::vspace_changed(Tcb& t) { fake(*this, t).vspace_changes++; }

void ArchThread::release_fpu_owner() { static_cast<test::FakeArch&>(*this).fpu_releases++; }

void ArchThread::release_fpu(Tcb&) {}

} // namespace tessera::core
