// The HPET (IA-PC HPET specification 1.0a) as a OneShotClock: the main counter is the clock, and
// timer 0, in legacy replacement routing (I/O APIC pin 2 on a PC), raises the one event. The
// driver holds only the HPET's register page and that interrupt.
#pragma once

#include <stdint.h>

#include "clock_conversion.h"
#include "one_shot_clock.h"

namespace tessera::timer {

enum class HpetInitError {
    None,
    NoHpet,            // the period is 0 or above 100 ns: not an HPET
    NarrowCounter,     // a 32-bit main counter, which this driver does not handle
    NoLegacyRouting,   // timer 0 cannot be routed in legacy replacement mode
};
const char* describe(HpetInitError error);

class Hpet final : public OneShotClock {
public:
    // `registers` is the uncached mapping of the HPET's 1 KiB register block. Starts the main
    // counter (leaving its value: time goes on across a driver restart) in legacy routing, with
    // timer 0 one-shot, edge-triggered and its interrupt off.
    HpetInitError init(volatile uint64_t* registers);

    Instant now() override;
    bool arm(Instant deadline) override;
    void disarm() override;

    const ClockConversion& conversion() const { return conversion_; }

private:
    volatile uint64_t& reg(uint32_t offset) const { return registers_[offset / 8]; }

    volatile uint64_t* registers_ = nullptr;
    ClockConversion conversion_;
};

} // namespace tessera::timer
