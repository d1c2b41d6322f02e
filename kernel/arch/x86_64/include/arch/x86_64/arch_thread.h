// The portable IPC core's view of an x86_64 thread (core::ArchThread): seL4's x86_64 register
// convention (badge in rdi, message info in rsi, MR0..MR3 in r10, r8, r9, r15, the rest in the
// IPC buffer) over the frame kept in the TCB's arch area.
#pragma once

#include "arch/x86_64/context.h"
#include "tcb/arch_thread.h"

namespace tessera::x86_64 {

class X86ArchThread final : public core::ArchThread {
public:
    core::Word message_register(core::Tcb& tcb, size_t index) override;
    void set_message_register(core::Tcb& tcb, size_t index, core::Word value) override;
    void copy_message_registers(core::Tcb& from, core::Tcb& to, size_t count) override;
    bool deliver_message(core::Tcb& from, core::Tcb& to, size_t count, core::Word info, core::Badge badge) override;
    size_t message_register_limit(core::Tcb& tcb) override;
    core::Word ipc_buffer_word(core::Tcb& tcb, size_t word_index) override;
    void set_ipc_buffer_word(core::Tcb& tcb, size_t word_index, core::Word value) override;
    core::Word message_info(core::Tcb& tcb) override;
    void set_message_info(core::Tcb& tcb, core::Word info) override;
    void set_badge(core::Tcb& tcb, core::Badge badge) override;
    core::Word user_register(core::Tcb& tcb, core::UserRegister reg) override;
    void set_user_register(core::Tcb& tcb, core::UserRegister reg, core::Word value) override;
    core::Word fault_ip(core::Tcb& tcb) override;
    void set_fault_ip(core::Tcb& tcb, core::Word value) override;
    bool has_ipc_buffer(core::Tcb& tcb) override;
    void restart_at_fault_ip(core::Tcb& tcb) override;
    void registers_written_from_outside(core::Tcb& tcb) override;
    void copy_fpu_state(core::Tcb& from, core::Tcb& to) override;
    void tcb_flags_changed(core::Tcb& tcb) override;
};

// The thread's IPC buffer as the kernel reaches it through the direct map (seL4
// lookupIPCBuffer): the frame in its Buffer slot at the offset of its buffer address, or null
// when that slot holds no RAM frame the access is allowed on.
enum class BufferAccess { Read, Write };
core::Word* ipc_buffer_words(core::Tcb& tcb, BufferAccess access);

// Message registers that travel in registers, in order.
inline constexpr size_t RegisterMessageWords = 4;
uint64_t& register_message_word(SavedRegisters& registers, size_t index);

} // namespace tessera::x86_64
