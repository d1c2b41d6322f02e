// Register probes: hand-written assembly that loads every general register from a Probe, executes
// one trapping instruction (a `syscall`, a `ud2`, a load that page-faults, or a spin a timer
// interrupt must preempt) and stores every register as it came back. The suite compares what came
// back with what seL4's x86_64 kernel leaves there (docs/abi.md, "Registers on every way out").
#pragma once

#include <sel4/sel4.h>
#include <stddef.h>
#include <stdint.h>

namespace register_suite {

// The registers in the probe's own order (probes.S depends on the offsets).
struct RegisterSet {
    seL4_Word rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    seL4_Word r8, r9, r10, r11, r12, r13, r14, r15;
    seL4_Word rflags;
};
constexpr size_t RegisterCount = sizeof(RegisterSet) / sizeof(seL4_Word);
static_assert(RegisterCount == 17);
static_assert(offsetof(RegisterSet, r8) == 64 && offsetof(RegisterSet, rflags) == 128);

// `in`: what the probe loads before the trap. Three words are not loaded but recorded there: rsp
// (the stack pointer at the trap), rbx (set to that stack pointer: the probe finds its stack again
// through rbx, as libsel4's stubs do, since seL4 returns from `syscall` with rsp = 0) and rflags
// (the flags at the trap). `out`: every register after the trap, flags included.
struct Probe {
    RegisterSet in;
    RegisterSet out;
};
static_assert(offsetof(Probe, out) == 136);

extern "C" {
// Each probe runs one trap with `probe`'s registers; `*_trap` is the trapping instruction and
// `*_after` the one after it (the next IP, and where a fault handler resumes the probe).
void probe_syscall(Probe* probe);
void probe_ud2(Probe* probe);
void probe_load(Probe* probe);   // cmpb $0, (%r13): a page fault when r13 is unmapped
void probe_spin(Probe* probe);   // spins until spin_release is non-zero
extern const char probe_syscall_trap[], probe_syscall_after[];
extern const char probe_ud2_trap[], probe_ud2_after[];
extern const char probe_load_trap[], probe_load_after[];
extern const char probe_spin_trap[], probe_spin_after[];
extern volatile seL4_Word spin_release;
}

inline seL4_Word address_of(const char* symbol)
{
    return reinterpret_cast<seL4_Word>(symbol);
}

} // namespace register_suite
