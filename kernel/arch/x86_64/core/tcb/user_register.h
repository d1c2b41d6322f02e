// x86_64's user registers as the portable core names them: the register enum in seL4_UserContext
// order, the frame/gp split CopyRegisters uses, the registers an UnknownSyscall fault message
// carries, and the roles (stack pointer, flags, TLS base) the core's fault and TCB code reads by
// role, not by x86 name. kernel/core/tcb/arch_thread.h includes it from the arch folder the build
// puts on the core's include path; another architecture would provide its own with these names.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tessera::core {

// The user registers in seL4_UserContext order (libsel4 sel4_arch/types.h, x86_64), which is
// also the order Read/WriteRegisters use.
enum class UserRegister : size_t {
    Rip,
    Rsp,
    Rflags,
    Rax,
    Rbx,
    Rcx,
    Rdx,
    Rsi,
    Rdi,
    Rbp,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
    FsBase,
    GsBase,
};
inline constexpr size_t UserRegisterCount = 20;
// A register's bit in a set of registers (ArchThread::set_frame_registers).
constexpr uint32_t register_bit(UserRegister reg) { return uint32_t{1} << static_cast<size_t>(reg); }
// seL4 x86_64 splits them into "frame" registers (rip..r15, 18) and "gp" registers (fs_base,
// gs_base); CopyRegisters transfers each group on its own flag.
inline constexpr size_t FrameRegisterCount = 18;
inline constexpr size_t GpRegisterCount = 2;
static_assert(FrameRegisterCount + GpRegisterCount == UserRegisterCount);

// The registers seL4's UnknownSyscall fault message reports, and its reply may rewrite, in its
// first words (abi/faults.h seL4_UnknownSyscall_RAX..R15); FaultIP, SP, FLAGS and the number
// follow. One table for the portable message (ipc/transfer.cc) and an architecture's one-pass copy.
inline constexpr UserRegister SyscallMessageRegisters[] = {
    UserRegister::Rax, UserRegister::Rbx, UserRegister::Rcx, UserRegister::Rdx, UserRegister::Rsi,
    UserRegister::Rdi, UserRegister::Rbp, UserRegister::R8,  UserRegister::R9,  UserRegister::R10,
    UserRegister::R11, UserRegister::R12, UserRegister::R13, UserRegister::R14, UserRegister::R15,
};
inline constexpr size_t SyscallMessageRegisterCount = sizeof SyscallMessageRegisters / sizeof SyscallMessageRegisters[0];

// The registers the portable core names by role: seL4's fault messages carry SP and FLAGS
// (seL4_UnknownSyscall_SP/FLAGS, seL4_UserException_SP/FLAGS), and seL4_TCB_SetTLSBase writes the
// TLS base register (fs_base on x86_64).
inline constexpr UserRegister StackPointerRegister = UserRegister::Rsp;
inline constexpr UserRegister FlagsRegister = UserRegister::Rflags;
inline constexpr UserRegister TlsBaseRegister = UserRegister::FsBase;

} // namespace tessera::core
