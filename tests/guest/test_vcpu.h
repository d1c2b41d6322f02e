// A test VMM's use of one SVM VCPU, shared by the tiny-guest suite and the VMM benchmarks
// (bench/vmm): objects from the process allocator, seL4_VMEnter with the exit's message read
// back, and the flat 32-bit state tests/guest/tiny_guest.S runs in.
#pragma once

#include <sel4/sel4.h>
#include <sel4/tessera_svm.h>

namespace vmm_suite {

// Where the tiny guest is copied in guest-physical memory, and the CR0 it runs with (PE, MP, ET,
// NE: protected mode, no paging).
constexpr seL4_Word GuestBase = 0x1000;
constexpr seL4_Word Cr0 = 0x33;

// An object of `type` from the process allocator, or seL4_CapNull (after printing why).
seL4_CPtr new_object(seL4_Word type);

// The last exit's message, and the registers the next entry gives back.
struct Exit {
    seL4_Word result = 0;
    seL4_Word badge = 0;
    seL4_Word words[TESSERA_VMEnter_MessageLength] = {};
    seL4_Word code() const { return words[TESSERA_VMEnter_ExitCode]; }
    seL4_Word info1() const { return words[TESSERA_VMEnter_ExitInfo1]; }
    seL4_Word info2() const { return words[TESSERA_VMEnter_ExitInfo2]; }
    seL4_Word rip() const { return words[TESSERA_VMEnter_RIP]; }
    seL4_Word& reg(seL4_Word field) { return words[TESSERA_VMEnter_RAX + field]; }
};

void read_exit(Exit& e);

// Enters at `rip`; with `registers` the exit's general registers (changed by the caller) go in.
Exit enter(seL4_Word rip, const Exit* registers = nullptr, seL4_Word event = 0);

// WriteState, printing a refusal.
seL4_Error write_state(seL4_CPtr vcpu, seL4_Word field, seL4_Word value);

// Flat 32-bit protected mode, paging off, as tiny_guest.S expects.
void set_protected_mode(seL4_CPtr vcpu);

} // namespace vmm_suite
