// The local APIC (xAPIC through MMIO, x2APIC through MSRs where present) and its timer, and the
// legacy 8259 PICs, which are remapped and masked (Intel SDM vol. 3A, chapter 11).
#pragma once

#include <cstdint>

namespace tessera::x86_64 {

// Remaps the 8259 PICs away from the exception vectors and masks every line.
void disable_legacy_pic();

// Enables this CPU's local APIC with the spurious vector, x2APIC mode where the CPU has it.
void lapic_init();
uint32_t lapic_id();
void lapic_end_of_interrupt();
// Whether an interrupt waits to be taken (the kernel runs with interrupts off).
bool lapic_interrupt_pending();

// Measures the TSC and the APIC timer against the PIT over ~10 ms. Returns the TSC in Hz.
uint64_t calibrate_timers();
uint64_t tsc_hz();

// Starts the periodic timer interrupt every `microseconds`.
void lapic_timer_start_periodic(uint32_t microseconds);

} // namespace tessera::x86_64
