// A user thread's saved registers. Interrupts from user mode push the hardware frame straight into
// it (TSS.RSP0 points at its top) and `syscall` entry builds the same frame by hand, so one layout
// serves every way into and out of the kernel (asm_constants.h holds the offsets for assembly).
#pragma once

#include <cstddef>
#include <cstdint>

#include "arch/x86_64/asm_constants.h"

namespace tessera::x86_64 {

struct SavedRegisters {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;     // interrupt vector, or VECTOR_SYSCALL for syscall entry
    uint64_t error_code; // the CPU's error code for exceptions that have one, else 0
    uint64_t rip, cs, rflags, rsp, ss;
};
static_assert(sizeof(SavedRegisters) == FRAME_WORDS * 8);
static_assert(offsetof(SavedRegisters, r15) == FRAME_R15 * 8);
static_assert(offsetof(SavedRegisters, rax) == FRAME_RAX * 8);
static_assert(offsetof(SavedRegisters, vector) == FRAME_VECTOR * 8);
static_assert(offsetof(SavedRegisters, error_code) == FRAME_ERROR * 8);
static_assert(offsetof(SavedRegisters, rip) == FRAME_RIP * 8);
static_assert(offsetof(SavedRegisters, ss) == FRAME_SS * 8);

// RFLAGS bits a register write from outside (WriteRegisters, a fault reply) may set; everything
// else is forced: bit 1 and IF set, TF, AC, IOPL, NT and the rest clear (seL4 sanitiseRegister:
// only the low 12 bits, without TF and the reserved bits 3 and 5). Code in user mode can still
// set TF and AC itself with popf, and its own flags are kept across a system call.
namespace rflags {
inline constexpr uint64_t Carry = 1u << 0, Parity = 1u << 2, Adjust = 1u << 4, Zero = 1u << 6,
                          Sign = 1u << 7, Trap = 1u << 8, Interrupt = 1u << 9, Direction = 1u << 10,
                          Overflow = 1u << 11, Reserved1 = 1u << 1, AlignmentCheck = 1u << 18;
inline constexpr uint64_t UserModifiable = Carry | Parity | Adjust | Zero | Sign | Direction | Overflow;
inline constexpr uint64_t UserInitial = Interrupt | Reserved1;
} // namespace rflags

struct ThreadContext {
    SavedRegisters registers;
    uint64_t fs_base;
    uint64_t gs_base;
};

// x86_64 addresses are 48-bit sign-extended; anything else faults when loaded into RIP, RSP or a
// segment base, in kernel mode.
constexpr bool is_canonical(uint64_t address)
{
    return address < 0x0000800000000000 || address >= 0xffff800000000000;
}

// Makes `registers` a fresh user frame that starts at `entry` with stack `stack`.
void init_user_registers(SavedRegisters& registers, uint64_t entry, uint64_t stack);

} // namespace tessera::x86_64
