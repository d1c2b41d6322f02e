// What seL4's x86_64 kernel leaves in the registers on each way out (docs/abi.md, "Registers on
// every way out"), as expectations built from a probe's own inputs, and the check that compares
// them with what a probe saw: one result line, and one line per register that differs.
#pragma once

#include "probe.h"

namespace register_suite {

// A set of registers the check leaves out, by their position in RegisterSet.
enum class Reg : unsigned { Rax, Rbx, Rcx, Rdx, Rsi, Rdi, Rbp, Rsp, R8, R9, R10, R11, R12, R13, R14, R15, Rflags };
using RegMask = unsigned;
constexpr RegMask bit(Reg reg)
{
    return 1u << unsigned(reg);
}

seL4_Word& reg(RegisterSet& set, Reg which);
seL4_Word reg(const RegisterSet& set, Reg which);

// Distinct values for every register of `probe.in` (`seed` tells probes apart), then the system
// call's own: number in rdx, capability in rdi, message info in rsi.
void fill(Probe& probe, seL4_Word seed, seL4_Word syscall = 0, seL4_Word cap = 0, seL4_Word info = 0);

// The exit by `sysretq` that every system call takes unless its thread's registers were written
// from outside: every register as the thread left it, except rcx (the next instruction), r11 (the
// flags at the call) and rsp (0: seL4 neither saves nor restores it). `after` is the next IP.
RegisterSet sysret_exit(const Probe& probe, seL4_Word after);
// A message of `length` words arrived: rdi the badge, rsi the info, and only the message
// registers the length covers (MR0..3 = r10, r8, r9, r15) from the sender; the rest untouched.
void receive(RegisterSet& expected, seL4_Word badge, seL4_Word info, const seL4_Word (&sent)[4], seL4_Word length);
// The message registers a probe sent (r10, r8, r9, r15 of its `in`).
void sent_words(const Probe& probe, seL4_Word (&words)[4]);

// One check line named `name`: `got` equals `expected` except the registers in `ignore`.
bool check_registers(const char* name, const RegisterSet& got, const RegisterSet& expected, RegMask ignore = 0);

// The message info word, as a register holds it.
inline seL4_Word info_word(seL4_Word label, seL4_Word length, seL4_Word extra_caps = 0, seL4_Word unwrapped = 0)
{
    return seL4_MessageInfo_new(label, unwrapped, extra_caps, length).words[0];
}

} // namespace register_suite
